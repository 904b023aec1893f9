"""The function's own HTML pages in the reader's language: Vietnamese, or English after an English page.

Without JavaScript, the portal's forms post to the function, which answers with
its own pages (``templates/``). Those pages speak the language of the page the
post came from, and nothing else decides it: each no-JavaScript form carries a
``language`` field (``vi`` or ``en``), and its action URL carries the same
``?language=``, so that a refusal made before the body is read (the budget's
429, a body too large) still speaks the page's language. The value must be
exactly ``vi`` or ``en``; anything else, or nothing, means Vietnamese. The
browser's Accept-Language is never used, nor anything else about the person.

Every text of those pages lives here, in both languages, with the same keys: the
sentences the browser's pages say too come from ``words.json`` (``words``), the
pages' own are written here; the JSON API keeps its Vietnamese messages unchanged (``errors``), and English
error pages are chosen by the error's code, never by translating its message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import g, has_request_context

from . import report, words

LANGUAGES = ("vi", "en")
DEFAULT = "vi"

# The no-JavaScript forms, by the view that takes their posts: what the person was doing, which
# the title of a refusal names ("the report was not sent", "could not check").
FORM_OF_VIEW = {"submit_form": "report", "submit_followup_form": "followup", "check_replies": "check"}
_REFUSAL_TITLES = {"report": "report_not_sent", "followup": "followup_not_sent", "check": "check_failed"}
# The page a form's address shows when it is opened by GET, by the address under /api/v1.
ADDRESS_KINDS = {
    "/submissions/form": "address_report",
    "/replies/check": "address_check",
    "/followups/form": "address_followup",
}

_PAGE_TEXTS: dict[str, dict[str, str]] = {
    "vi": {
        "site": "Ban Quản lý Khu kinh tế tỉnh An Giang",
        "site_name": "Phản ánh, tố giác – Ban Quản lý Khu kinh tế tỉnh An Giang",
        "home": "Trang chủ",
        "other_language": "English",
        "time": "%H:%M ngày %d/%m/%Y",
        "code_heading": "Mã tra cứu cần ghi lại",
        # Followed on the page by code_one_to_keep (words.json).
        "code_keep": "Vui lòng ghi lại mã này hoặc in trang này ngay: mã chỉ hiển thị trên trang này.",
        "receipt_stored": "Phản ánh đã được mã hóa ngay khi đến máy chủ và được lưu an toàn lúc",
        "receipt_stored_after": (
            "(giờ Việt Nam). Chỉ Văn phòng Ban Quản lý Khu kinh tế tỉnh An Giang mở được nội dung này."
        ),
        "receipt_again": (
            "Nếu trang này được tải lại, đây vẫn là phản ánh đã gửi, với cùng mã tra cứu: không có phản ánh thứ "
            "hai nào được lưu."
        ),
        "next_contact": "Nếu Ông/Bà để lại thông tin liên hệ, Văn phòng Ban có thể liên hệ khi cần làm rõ nội dung.",
        "receipt_note": (
            "Trang này không lưu lại nội dung phản ánh. Phần mềm tiếp nhận không ghi địa chỉ IP hay thông tin "
            "thiết bị của Ông/Bà; việc hạ tầng lưu trữ có ghi nhật ký truy cập hay không được nói tại mục 4 của "
            "Quy trình bảo mật thông tin người phản ánh, tố giác trên cổng thông tin."
        ),
        "open_check_after": "(dùng mã tra cứu ở trên)",
        "contacts": "Các kênh liên hệ khác của Ban",
        "back_to_check": "Trở lại trang Theo dõi phản ánh",
        "followup_title": "Đã nhận thông tin bổ sung",
        "followup_stored": "Thông tin bổ sung đã được mã hóa ngay khi đến máy chủ và được lưu an toàn.",
        "followup_known": "Văn phòng Ban sẽ xem cùng với phản ánh trước đó của Ông/Bà.",
        # Followed on the page by kept_for_matching (words.json).
        "followup_kept": (
            "Văn phòng Ban chưa có hồ sơ nào gắn với mã tra cứu này (phản ánh có thể chưa được vào sổ, hoặc mã "
            "được ghi nhầm)."
        ),
        "followup_unsure": "Văn phòng Ban sẽ đối chiếu với hồ sơ của mã tra cứu này.",
        "followup_again": ("Nếu trang này được tải lại, thông tin bổ sung vẫn chỉ được lưu một lần."),
        "replies_title": "Theo dõi phản ánh",
        "replies_note": (
            "Trang này được tạo khi không dùng JavaScript: mã tra cứu đã được gửi tới máy chủ để giải mã những gì "
            "Văn phòng Ban đã đăng, chỉ trong bộ nhớ; mã không được lưu lại. Máy chủ không lưu mã và không ghi "
            "nhật ký về mã."
        ),
        # Followed on the page by no_replies (words.json).
        "nothing_yet": "Nếu mã vừa được cấp, vui lòng quay lại sau.",
        "add_unmatched": (
            "Thông tin bổ sung gửi bằng mã này sẽ được giữ lại để Văn phòng Ban đối chiếu, vì chưa có hồ sơ nào "
            "gắn với mã."
        ),
        "add_files": "Tệp đính kèm (không bắt buộc, tổng dung lượng nhỏ)",
        "check_nothing_sent": "Chưa có gì được tải về hay gửi đi. Vui lòng sửa mã rồi tra cứu lại.",
        "code_label": "Mã tra cứu",
        "check_again": "Tra cứu lại",
        "request_failed": "Chưa thực hiện được yêu cầu",
        "problems_fix": "Vui lòng sửa các mục trên rồi gửi lại.",
        "typed_kept": (
            "Những gì Ông/Bà đã nhập vẫn còn trong trình duyệt: bấm nút Quay lại (←) của trình duyệt để trở về "
            "biểu mẫu. Các ô họ tên, điện thoại, thư điện tử, địa chỉ có thể phải nhập lại, vì trình duyệt không "
            "giữ lại các ô này; tệp đính kèm có thể phải chọn lại."
        ),
        "typed_kept_check": (
            "Mã đã nhập vẫn còn trong trình duyệt: bấm nút Quay lại (←) của trình duyệt để trở về trang tra cứu."
        ),
        # What a function address is, for whoever opens it by GET (history, bookmark, shared link).
        "address_report_title": "Địa chỉ nhận phản ánh",
        "address_report": (
            "Đây là địa chỉ mà biểu mẫu gửi phản ánh (khi trình duyệt không chạy JavaScript) gửi tới. Mở lại địa "
            "chỉ này từ lịch sử duyệt, dấu trang hay một đường liên kết không gửi gì đi, và không hiển thị lại phản "
            "ánh hay mã tra cứu: mã chỉ hiện trên trang xác nhận, ngay khi gửi."
        ),
        "address_report_sent": (
            "Nếu trước đó Ông/Bà đã thấy trang “Phản ánh của Ông/Bà đã được gửi và lưu an toàn”, phản ánh đã được "
            "lưu: không cần gửi lại. Dùng mã tra cứu đã ghi để theo dõi phản ánh."
        ),
        "address_check_title": "Địa chỉ tra cứu trả lời",
        "address_check": (
            "Đây là địa chỉ mà trang Theo dõi phản ánh (khi trình duyệt không chạy JavaScript) gửi mã tra cứu tới. "
            "Những gì trang đó hiển thị không được lưu lại, nên mở lại địa chỉ này không hiển thị lại. Để xem, vui "
            "lòng nhập mã tra cứu tại trang Theo dõi phản ánh."
        ),
        "address_followup_title": "Địa chỉ nhận thông tin bổ sung",
        "address_followup": (
            "Đây là địa chỉ mà phần “Bổ sung thông tin” (khi trình duyệt không chạy JavaScript) gửi tới. Mở lại địa "
            "chỉ này không gửi gì đi. Nếu trước đó Ông/Bà đã thấy trang “Đã nhận thông tin bổ sung”, thông tin đã "
            "được lưu: không cần gửi lại."
        ),
        "address_other_title": "Không có trang nào ở địa chỉ này",
        "address_other": (
            "Địa chỉ này dành cho phần mềm của cổng thông tin, không phải một trang để đọc. Mở địa chỉ này không "
            "gửi gì đi."
        ),
        "where_to": "Ông/Bà có thể:",
        "go_check": "Theo dõi phản ánh bằng mã tra cứu",
        "go_report": "Gửi phản ánh",
        "go_home": "Về trang chủ của cổng thông tin",
    },
    "en": {
        "site": "Economic Zone Management Board of An Giang Province",
        "site_name": "Reporting misconduct – Economic Zone Management Board of An Giang Province",
        "home": "Home",
        "other_language": "Tiếng Việt",
        "time": "%H:%M on %d/%m/%Y",
        "code_heading": "The receipt code to keep",
        "code_keep": "Please write this code down or print this page now: it is shown only on this page.",
        "receipt_stored": "Your report was encrypted as soon as it reached the server and stored safely at",
        "receipt_stored_after": (
            "(Viet Nam time). Only the Office of the Economic Zone Management Board of An Giang Province can open it."
        ),
        "receipt_again": (
            "If this page is loaded again, it is still the report you sent, with the same receipt code: no second "
            "report is stored."
        ),
        "next_contact": "If you left contact details, the Office may contact you when something needs clarifying.",
        "receipt_note": (
            "This page does not keep what you reported. The reporting software records no IP address or device "
            "information; whether the hosting keeps access logs is set out in section 4 of the confidentiality "
            "procedure on the portal."
        ),
        "open_check_after": "(with the receipt code above)",
        "contacts": "The Board's other channels",
        "back_to_check": "Back to the “Follow up on your report” page",
        "followup_title": "Information received",
        "followup_stored": (
            "The information you added was encrypted as soon as it reached the server and stored safely."
        ),
        "followup_known": "The Office reads it together with your earlier report.",
        "followup_kept": (
            "The Office has no case linked to this receipt code yet (the report may not be registered yet, or the "
            "code was written down wrongly)."
        ),
        "followup_unsure": "The Office matches it with the case of this receipt code.",
        "followup_again": "If this page is loaded again, the information is still stored only once.",
        "replies_title": "Follow up on your report",
        "replies_note": (
            "This page was made without JavaScript: the receipt code was sent to the server to decrypt what the "
            "Office posted, in memory only. The server does not keep the code and records nothing about it."
        ),
        "nothing_yet": "If the code was issued just now, please come back later.",
        "add_unmatched": (
            "As no case is linked to this code yet, what you add with it is kept for the Office to match."
        ),
        "add_files": "Attach files (optional, small in total)",
        "check_nothing_sent": "Nothing was fetched or sent. Please correct the code and check again.",
        "code_label": "Receipt code",
        "check_again": "Check again",
        "request_failed": "The request could not be carried out",
        "problems_fix": "Please correct the items above and send again.",
        "typed_kept": (
            "What you typed is still in the browser: press the browser's Back button (←) to return to the form. "
            "The name, phone, e-mail and address fields may need typing again, as the browser does not keep them; "
            "attached files may need choosing again."
        ),
        "typed_kept_check": (
            "The code you typed is still in the browser: press the browser's Back button (←) to return to the check."
        ),
        "address_report_title": "The address that receives reports",
        "address_report": (
            "This is the address the report form sends to (when the browser runs no JavaScript). Opening it again "
            "from the history, a bookmark or a link sends nothing, and shows neither the report nor its receipt "
            "code: the code appears only on the confirmation page, right after sending."
        ),
        "address_report_sent": (
            "If you saw the page “Your report has been sent and stored safely” before, the report was stored: no "
            "need to send it again. Use the receipt code you wrote down to follow it up."
        ),
        "address_check_title": "The address that checks for answers",
        "address_check": (
            "This is the address the “Follow up on your report” page sends the receipt code to (when the browser "
            "runs no JavaScript). What a check finds is not kept, so opening this address again does not show it "
            "again. To see it, please type the receipt code on the “Follow up on your report” page."
        ),
        "address_followup_title": "The address that receives added information",
        "address_followup": (
            "This is the address “Add information” sends to (when the browser runs no JavaScript). Opening it again "
            "sends nothing. If you saw the page “Information received” before, the information was stored: no need "
            "to send it again."
        ),
        "address_other_title": "There is no page at this address",
        "address_other": ("This address is for the portal's software, not a page to read. Opening it sends nothing."),
        "where_to": "You can:",
        "go_check": "Follow up on your report with the receipt code",
        "go_report": "Send a report",
        "go_home": "Go to the portal's home page",
    },
}

# What the pages say: the sentences the browser's pages say too (words.json), and the pages' own.
TEXTS: dict[str, dict[str, str]] = {lang: {**words.CATALOG[lang], **_PAGE_TEXTS[lang]} for lang in LANGUAGES}

# English error messages by ApiError code; the Vietnamese ones are the errors' own messages, which
# the JSON API also sends. ``{size}`` and ``{minutes}`` come from the error (see ``error_message``).
ERRORS_EN: dict[str, str] = {
    "bad_request": "The request is not valid.",
    "not_found": "This address does not exist.",
    "method_not_allowed": "This address does not take this kind of request.",
    "too_large": "What was sent is larger than allowed.",
    "too_large_limit": "What was sent is larger than allowed: at most {size}.",
    "unsupported_media_type": "What was sent is of a type not accepted here. Please send the form from the portal.",
    "too_many_requests": "The system is receiving too many requests. Please try again in a few minutes.",
    "headers_too_large": "The headers of the request are too large.",
    "busy": (
        "This channel is receiving too many requests at once. Please try again in about {minutes} minute(s), "
        "or use the page with JavaScript on."
    ),
    "slow_down": (
        "Many requests have come from your network address in a short time. Please try again in about "
        "{minutes} minute(s)."
    ),
    "page_outdated": "The check page has been updated. Please reload the page and check again.",
    "form_disabled": "Sending without JavaScript is paused for now. Please turn JavaScript on and send again.",
    "store_unavailable": (
        "The storage is not available for the moment, so nothing was stored. Please send again in a few minutes."
    ),
    "internal_error": "Something went wrong in the system. Please try again later.",
    "invalid_encoding": (
        "What was sent holds characters that are not valid (not UTF-8), so it was not received. Please type "
        "that part again on the page and send again."
    ),
    "bad_form": ("The form that arrived is damaged or incomplete, so it was not received. Please send it again."),
    "too_many_files": words.say("too_many_files", "en", n=report.max_attachments()),
    "invalid_report": ("The report was not sent because some information is not valid. Please see each item below."),
    "invalid_followup": "Some information is not valid. Please see the item below.",
}
ERROR_EN_FALLBACK = "The request could not be handled."


def language_of(*sources: Mapping[str, Any]) -> str:
    """The page language the first source naming one gives: exactly "vi" or "en", else Vietnamese.

    A source is a form's fields or the query string. A repeated ``language`` is not a choice: Vietnamese.
    """
    for source in sources:
        values = source.getlist("language") if hasattr(source, "getlist") else [source.get("language")]
        values = [v for v in values if v is not None]
        if values:
            value = values[0] if len(values) == 1 else None
            return value if isinstance(value, str) and value in LANGUAGES else DEFAULT
    return DEFAULT


def use_language(*sources: Mapping[str, Any]) -> str:
    """Remember, for this request's pages (errors included), the language the sources give."""
    g.page_language = language_of(*sources)
    return g.page_language


def current() -> str:
    """The page language of this request: Vietnamese unless a no-JavaScript form said English."""
    if not has_request_context():
        return DEFAULT
    return g.get("page_language", DEFAULT)


def texts(lang: str | None = None) -> dict[str, str]:
    return TEXTS[lang or current()]


def other_language(lang: str) -> str:
    return "en" if lang == "vi" else "vi"


def local_time(moment: datetime, lang: str | None = None) -> str:
    return moment.strftime(texts(lang)["time"])


def status_label(status: str, lang: str | None = None) -> str:
    return report.status_labels().get(status, {}).get(lang or current(), status)


def site_url(url: str, site_origin: str | None, lang: str | None = None) -> str:
    """A link to one of the portal's pages, in the page language (English pages live under /en/).

    Only links to the portal itself are moved; an address elsewhere is kept as configured.
    """
    if (lang or current()) != "en":
        return url
    parts = urlsplit(url)
    on_site = not parts.netloc or (site_origin and f"{parts.scheme}://{parts.netloc}" == site_origin)
    if not on_site or not parts.path.startswith("/") or parts.path.startswith("/en/"):
        return url
    return urlunsplit(parts._replace(path="/en" + parts.path))


def code_problem(kind: str, groups: tuple[int, ...], lang: str | None = None) -> str:
    """What is wrong with a receipt code that was refused, in the page language: which group to look at.

    ``kind`` and ``groups`` are a ``receipt.ReceiptCodeError``'s; the words are words.json's, which the
    browser's pages say too.
    """
    lang = lang or current()
    if kind == "length" and not groups:
        return words.say("code_length", lang)
    key = {"length": "code_group_length", "check": "code_check"}.get(kind)
    if key:
        key += "_many" if len(groups) > 1 else "_one"
    return words.say(key or f"code_{kind}", lang, groups=words.listed(groups, lang))


def error_message(error: Any, lang: str | None = None) -> str:
    """An ApiError's message in the page language (English chosen by the error's code)."""
    if (lang or current()) == "vi":
        return error.message
    details = error.details or {}
    if error.code == "invalid_code" and "kind" in details:
        return code_problem(details["kind"], details["groups"], "en")
    if error.code in ("busy", "slow_down"):
        return ERRORS_EN[error.code].format(minutes=max(1, math.ceil((error.retry_after or 60) / 60)))
    if error.code == "too_large" and "size" in details:
        return ERRORS_EN["too_large_limit"].format(size=details["size"])
    return ERRORS_EN.get(error.code, ERROR_EN_FALLBACK)


def error_heading(error: Any, form: str | None, lang: str | None = None) -> str:
    """The title of a refusal: what did not happen, for the form it came from (else neutral)."""
    return texts(lang)[error.heading or _REFUSAL_TITLES.get(form, "request_failed")]


def typed_kept(form: str | None, lang: str | None = None) -> str:
    """What a refused form's page says about what the person typed (nothing outside a form)."""
    if form is None:
        return ""
    return texts(lang)["typed_kept_check" if form == "check" else "typed_kept"]


def error_problems(error: Any, lang: str | None = None) -> list[dict[str, str]]:
    """The error's field problems as the page shows them: the field's name and what is wrong."""
    english = (lang or current()) == "en"
    return [
        {
            "label": report.field_label(p["field"], "en") if english else (p.get("label") or p["field"]),
            "message": p.get("message_en", p["message"]) if english else p["message"],
        }
        for p in error.problems or []
    ]
