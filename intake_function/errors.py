"""Errors as the public sees them: ``{"error": CODE, "message": TEXT}`` in plain Vietnamese.

Every refusal goes through ``ApiError`` or a werkzeug HTTP exception, so bad
input always ends in a 4xx with a stable code and never in a 500. People who
post the no-JavaScript form get the same message as an HTML page instead, in the language of
the page they posted from (``pages``); the JSON bodies stay in Vietnamese.
"""

from __future__ import annotations

import logging
import traceback

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from . import pages

log = logging.getLogger("intake")

# Messages for the HTTP errors werkzeug (or the WSGI server, serve.py) raises before our code runs.
HTTP_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    404: ("not_found", "Không tìm thấy địa chỉ này."),
    405: ("method_not_allowed", "Địa chỉ này không nhận loại yêu cầu này."),
    413: ("too_large", "Nội dung gửi lên vượt quá dung lượng cho phép."),
    415: ("unsupported_media_type", "Kiểu nội dung gửi lên không được hỗ trợ."),
    429: ("too_many_requests", "Hệ thống đang nhận quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."),
    431: ("headers_too_large", "Phần tiêu đề của yêu cầu quá lớn."),
}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        problems: list[dict[str, str]] | None = None,
        retry_after: int | None = None,
        heading: str | None = None,
        details: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems
        self.retry_after = retry_after
        self.heading = heading  # the key (in pages.TEXTS) of the error page's title, when not about a report
        self.details = details  # what the page's message needs in another language (never in the JSON body)


def size_text(nbytes: int) -> str:
    """A size limit as people read it: whole megabytes (MB), or kilobytes below one."""
    if nbytes >= 1024 * 1024:
        return f"{nbytes // (1024 * 1024)} MB"
    return f"{max(1, nbytes // 1024)} KB"


def store_unavailable() -> ApiError:
    return ApiError(
        503,
        "store_unavailable",
        "Hệ thống lưu trữ tạm thời không sẵn sàng; nội dung chưa được lưu. Vui lòng gửi lại sau ít phút.",
        retry_after=30,
    )


def wants_html() -> bool:
    """Whether the client is a browser posting a form (it prefers HTML to JSON)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]


def error_response(error: ApiError) -> Response:
    if wants_html():
        if "page_language" not in g:  # refused before any view read the page's language
            pages.use_language(request.args)
        response = Response(_error_page(error), status=error.status, mimetype="text/html")
    else:
        body = {"error": error.code, "message": error.message}
        if error.problems:
            body["problems"] = error.problems
        response = jsonify(body)
        response.status_code = error.status
    if error.retry_after:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _error_page(error: ApiError) -> str:
    if request.method == "GET" and error.status in (404, 405):
        # An address opened in a browser (history, bookmark, a link): say what it is, not "not sent".
        return render_template("address.html", kind="address_other")
    form = pages.FORM_OF_VIEW.get(request.endpoint or "")
    return render_template(
        "error.html",
        heading=pages.error_heading(error, form),
        message=pages.error_message(error),
        problems=pages.error_problems(error),
        typed_kept=pages.typed_kept(form),
    )


def register(app: Flask) -> None:
    app.register_error_handler(ApiError, error_response)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        code, message = HTTP_MESSAGES.get(exc.code or 400, ("bad_request", "Yêu cầu không hợp lệ."))
        details = None
        if exc.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            if limit:
                message += f" Tối đa {size_text(limit)}."
                details = {"size": size_text(limit)}
        response = error_response(ApiError(exc.code or 400, code, message, details=details))
        if exc.code == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        # The type and the code locations are logged, never the message: it could quote the request.
        where = "".join(traceback.format_tb(exc.__traceback__)[-3:]).replace("\n", " | ")
        log.error("unexpected error %s at %s", type(exc).__name__, where)
        return error_response(ApiError(500, "internal_error", "Đã có lỗi trong hệ thống. Vui lòng thử lại sau."))
