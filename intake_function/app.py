"""The intake function: a small Flask app that stores ciphertext and nothing else.

Routes (all under /api/v1, documented in ``openapi.yaml``):

    GET  /health              liveness, and the public keys reports are encrypted to
    POST /submissions         one age envelope, encrypted in the browser
    POST /submissions/form    the no-JavaScript form, encrypted here on arrival

The function never holds a private key: it can check that a body is shaped
like an age envelope, but it can never read one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from flask import Flask, Response, jsonify, render_template, request

from . import config as config_module
from . import envelope, errors, form, headers, objects, requestlog
from .errors import ApiError, store_unavailable
from .store import Store, StoreError, open_store

API = "/api/v1"
PAGE_CSS = (Path(__file__).with_name("templates") / "page.css").read_text(encoding="utf-8")
VIETNAM_TIME = timezone(timedelta(hours=7))


def create_app(config: config_module.Config | None = None, store: Store | None = None) -> Flask:
    """Build the app; configuration comes from the environment unless given."""
    config = config or config_module.from_env()
    store = store or open_store(config.store_url)
    requestlog.configure_logging(config.log_level)

    app = Flask(__name__)
    app.request_class = form.InMemoryRequest
    app.url_map.merge_slashes = False  # "//" is an odd path, answered 404 rather than redirected
    app.config.update(MAX_CONTENT_LENGTH=config.max_bytes, MAX_FORM_MEMORY_SIZE=config.max_bytes)
    app.json.ensure_ascii = False
    app.extensions["intake"] = {"config": config, "store": store}

    app.context_processor(lambda: {"css": PAGE_CSS, "contacts_url": config.contacts_url})
    requestlog.register(app)
    headers.register(app, config.site_origin, headers.page_csp(PAGE_CSS))
    errors.register(app)

    @app.get(f"{API}/health")
    def health() -> Response:
        return jsonify(
            status="ok",
            recipients=[{"recipient": r, "fingerprint": envelope.fingerprint(r)} for r in config.recipient_strings],
            max_bytes=config.max_bytes,
            form=config.form_enabled,
        )

    @app.post(f"{API}/submissions")
    def submit_envelope() -> tuple[Response, int]:
        if request.mimetype != "application/octet-stream":
            raise ApiError(
                415,
                "unsupported_media_type",
                "Phản ánh phải được gửi dưới dạng phong bì mã hóa (application/octet-stream).",
            )
        body = request.get_data(cache=False)
        if not body:
            raise ApiError(400, "empty_body", "Không có nội dung nào được gửi lên.")
        try:
            envelope.check_envelope(body)
        except envelope.EnvelopeError:
            raise ApiError(
                400,
                "invalid_envelope",
                "Nội dung gửi lên không phải là phong bì mã hóa hợp lệ; phản ánh chưa được lưu.",
            ) from None
        object_id = _store_new(store, body)
        return jsonify(id=object_id, received_at=_now_iso()), 201

    @app.post(f"{API}/submissions/form")
    def submit_form() -> tuple[Response | str, int]:
        if not config.form_enabled:
            return _form_disabled()
        if request.mimetype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
            raise ApiError(415, "unsupported_media_type", "Biểu mẫu phải được gửi từ trang phản ánh trực tuyến.")
        object_id = form.store_form_report(request.form, request.files, store, config.recipients)
        received = datetime.now(UTC)
        if errors.wants_html():
            return (
                render_template(
                    "receipt.html",
                    object_id=object_id,
                    received=received.astimezone(VIETNAM_TIME).strftime("%H:%M ngày %d/%m/%Y"),
                ),
                201,
            )
        return jsonify(id=object_id, received_at=_iso(received)), 201

    return app


def _form_disabled() -> tuple[Response | str, int]:
    error = ApiError(
        503,
        "form_disabled",
        "Kênh gửi phản ánh không dùng JavaScript đang tạm ngừng. Vui lòng bật JavaScript "
        "hoặc liên hệ qua đường dây nóng, thư điện tử, hòm thư góp ý hay lịch tiếp công dân.",
    )
    if errors.wants_html():
        return render_template("error.html", error=error), 503
    return errors.error_response(error), 503


def _store_new(store: Store, body: bytes) -> str:
    """Store under a fresh inbox key; a (vanishingly rare) id collision just draws again."""
    try:
        for _ in range(3):
            object_id, key = objects.new_inbox_key()
            if store.create(key, body):
                return object_id
    except StoreError:
        raise store_unavailable() from None
    raise store_unavailable()


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _now_iso() -> str:
    return _iso(datetime.now(UTC))
