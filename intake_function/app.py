"""The intake function: a small Flask app that stores ciphertext and nothing else.

Routes (all under /api/v1, documented in ``openapi.yaml``):

    GET  /health              liveness, and the public keys reports are encrypted to
    GET  /challenge           a proof-of-work challenge set (six ALTCHA challenges)
    POST /uploads             upload slots for a report's encrypted files (proof-of-work)
    PUT  /uploads/<token>     one encrypted file, on a folder store (S3 takes them directly)
    POST /submissions         one age envelope, encrypted in the browser (proof-of-work or ticket)
    POST /submissions/form    the no-JavaScript form, encrypted here on arrival
    POST /replies             the Office's encrypted answers for a lookup id (in the body, never the URL)
    POST /replies/check       the no-JavaScript check: the code is used for one request, then forgotten
    POST /followups/form      the no-JavaScript way to add information with the code

The paths that store something from the page's script cost a proof-of-work. The
no-JavaScript form and follow-up, which cannot compute one, and checking answers,
which stores nothing, are bounded per client instead (``clients``: no address is
kept), with a store-wide budget far above that as a last resort (``budget``).
Every input is checked before any credential, limit or budget is spent, so a
refused request leaves nothing behind.

The function never holds a private key: it can check that a body is shaped
like an age envelope, but it can never read one.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.routing import BaseConverter

from . import (
    budget,
    clients,
    decode,
    envelope,
    errors,
    form,
    headers,
    objects,
    pages,
    proof,
    receipt,
    replies,
    requestlog,
    resubmit,
    uploads,
)
from . import config as config_module
from .errors import ApiError, store_unavailable
from .store import Store, StoreError, open_store

API = "/api/v1"
PAGE_CSS = (Path(__file__).with_name("templates") / "page.css").read_text(encoding="utf-8")
VIETNAM_TIME = timezone(timedelta(hours=7))
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def create_app(config: config_module.Config | None = None, store: Store | None = None) -> Flask:
    """Build the app; configuration comes from the environment unless given."""
    config = config or config_module.from_env()
    store = store or open_store(config.store_url)
    requestlog.configure_logging(config.log_level)

    app = Flask(__name__)
    app.request_class = form.InMemoryRequest
    app.url_map.merge_slashes = False  # "//" is an odd path, answered 404 rather than redirected
    app.url_map.converters["moved"] = _MovedSegment
    app.config.update(MAX_CONTENT_LENGTH=config.max_bytes, MAX_FORM_MEMORY_SIZE=config.max_bytes)
    app.json.ensure_ascii = False
    limits = clients.Clients(
        [clients.Limit("form", config.client_form_limit), clients.Limit("check", config.client_check_limit)]
    )
    app.extensions["intake"] = {"config": config, "store": store, "clients": limits}

    if config.secret_is_random:
        requestlog.log.warning(
            "INTAKE_SECRET is not set: using a random one; set it when more than one process serves the function"
        )
    # The site's pages the function's pages link to (the site is on this origin unless
    # INTAKE_SITE_ORIGIN names another), in the language of the page.
    site = config.site_origin or ""

    @app.context_processor
    def page_context() -> dict:
        lang = pages.current()
        other = pages.other_language(lang)
        on_site = lambda path, language=lang: pages.site_url(site + path, config.site_origin, language)  # noqa: E731
        return {
            "css": PAGE_CSS,
            "lang": lang,
            "other_lang": other,
            "t": pages.texts(lang),
            "contacts_url": config.contacts_url and pages.site_url(config.contacts_url, config.site_origin, lang),
            "check_url": on_site("/tra-cuu/"),
            "report_url": on_site("/gui-phan-anh/"),
            "home_url": on_site("/"),
            # A page a GET shows again in the other language; a post's answer cannot be asked again,
            # so its switch leads to the other language's home page.
            "switch_url": f"{request.path}?language={other}" if request.method == "GET" else on_site("/", other),
        }

    requestlog.register(app)
    headers.register(app, config.site_origin, headers.page_csp(PAGE_CSS))
    errors.register(app)

    @app.get(f"{API}/health")
    def health() -> Response:
        return jsonify(
            status="ok",
            recipients=[{"recipient": r, "fingerprint": envelope.fingerprint(r)} for r in config.recipient_strings],
            max_bytes=config.max_bytes,
            max_file_bytes=config.max_file_bytes,
            max_report_bytes=config.max_report_bytes,
            form=config.form_enabled,
            pow=config.pow_enabled,
        )

    cleanup = {"last": 0.0}

    @app.get(f"{API}/challenge")
    def challenge() -> Response:
        if time.monotonic() - cleanup["last"] > 600:
            cleanup["last"] = time.monotonic()
            try:
                proof.remove_old_markers(store)
            except (StoreError, OSError):
                pass  # cleaning is best effort; the next challenge tries again
        return jsonify(proof.new_challenge(config.secret, config.pow_cost, config.pow_max, config.pow_ttl))

    budgets = {"form": budget.Budget("form", config.form_budget), "check": budget.Budget("check", config.check_budget)}

    def client() -> str:
        """This request's client pseudonym (the Lambda handler made it already; see ``clients``)."""
        made = (request.environ.get("apig_wsgi.request_context") or {}).get("client")
        if made:
            return made
        address = clients.address_behind(
            request.environ.get("REMOTE_ADDR"), request.headers.get("X-Forwarded-For"), config.trusted_proxies
        )
        return limits.pseudonym(address)

    def refuse_early(path: str) -> None:
        """A flood is refused here, before its body is read: the client's limit, then the store's budget."""
        limits.check(path, client())
        budgets[path].check()

    def spend(path: str) -> None:
        """A request found good takes its client's share, then (last resort) the store's."""
        limits.take(path, client())
        budgets[path].claim(store)

    def credential(allow_ticket: bool) -> proof.Credential | None:
        """The one proof-of-work or ticket on this request (None when proof-of-work is switched off).

        Exactly one credential: a repeated header, or both kinds at once, is
        refused rather than resolved by picking one.
        """
        solution = proof.one_header(
            request.headers.get("X-Altcha"), ApiError(400, "pow_invalid", "Chỉ được gửi một mã xác minh.")
        )
        ticket = proof.one_header(
            request.headers.get("X-Upload-Ticket"), ApiError(400, "token_invalid", "Chỉ được gửi một mã phiên gửi.")
        )
        if ticket and allow_ticket:
            if solution:
                raise ApiError(400, "credential_ambiguous", "Chỉ được gửi một loại mã xác minh cho mỗi lần gửi.")
            return proof.verify_ticket(ticket, config.secret, config.upload_ttl)
        if not config.pow_enabled:
            return None
        return proof.verify_solution(solution, config.secret, config.pow_ttl)

    @app.post(f"{API}/uploads")
    def request_uploads() -> tuple[Response, int]:
        if request.mimetype != "application/json":
            raise ApiError(415, "unsupported_media_type", "Yêu cầu phải ở dạng JSON.")
        body = request.get_data(cache=False)
        sizes = uploads.read_sizes(body, config)
        proven = credential(allow_ticket=False)
        if proven is None:  # proof-of-work switched off: a fresh credential just to name the files
            proven = proof.Credential(secrets.token_hex(32), _now_ms())
        else:
            proof.spend(store, proven, uploads.request_digest(body))
        return jsonify(uploads.grant(store, config, proven, sizes, API)), 201

    @app.put(f"{API}/uploads/<token>")
    def receive_upload(token: str) -> tuple[Response, int]:
        if hasattr(store, "upload_slot"):
            raise ApiError(404, "not_found", "Tệp được gửi thẳng vào kho lưu trữ, không qua địa chỉ này.")
        if request.mimetype != "application/octet-stream":
            raise ApiError(415, "unsupported_media_type", "Tệp phải được gửi dưới dạng phong bì mã hóa.")
        # Files have their own bound (the slot's size, checked in receive), not the report's.
        request.max_content_length = uploads.envelope_limit(config.max_file_bytes)
        key, created = uploads.receive(store, config, token, request.stream, request.content_length)
        return jsonify(key=key), 201 if created else 200

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
        proven = credential(allow_ticket=True)
        if proven is None:
            object_id = _store_new(store, body)
        else:
            proof.spend(store, proven, hashlib.sha256(body).digest())
            object_id = proof.derived_id(config.secret, proven, 0)
            try:
                store.create(objects.inbox_key(object_id), body)  # False: a retry, already stored
            except StoreError:
                raise store_unavailable() from None
        return jsonify(id=object_id, received_at=_now_iso()), 201

    def form_request(path: str) -> tuple[MultiDict, MultiDict]:
        """The fields and files of a no-JavaScript post, once its type and limits allow it."""
        pages.use_language(request.args)  # the action's ?language=, until the form itself is read
        if request.mimetype not in FORM_TYPES:
            raise ApiError(415, "unsupported_media_type", "Biểu mẫu phải được gửi từ trang của cổng thông tin.")
        refuse_early(path)
        request.get_data(cache=True)  # kept for ``resubmit``, which knows a post sent again by its bytes
        fields, files = form.read_form(request)
        pages.use_language(fields, request.args)  # the form's own language field, when it has one
        return fields, files

    @app.post(f"{API}/submissions/form")
    def submit_form() -> tuple[Response | str, int]:
        if not config.form_enabled:
            return _form_disabled()
        fields, files = form_request("form")
        document = form.check_form(fields)
        chosen = form.chosen_files(files)
        submission = resubmit.recognise(config.secret, request, "report")
        code = submission.code if submission else receipt.new_code()
        stored = store_once(submission, form.with_receipt_code(document, code), chosen)
        status = 201 if stored.first else 200
        if errors.wants_html():
            return (
                render_template(
                    "receipt.html",
                    code=code,
                    code_groups=code.split("-"),
                    received=pages.local_time(stored.received.astimezone(VIETNAM_TIME)),
                ),
                status,
            )
        return jsonify(id=stored.object_id, received_at=_iso(stored.received), receipt_code=code), status

    def store_once(submission: resubmit.Submission | None, document: dict, files: list) -> resubmit.Stored:
        """Store a no-JavaScript post's document, once per submission (``resubmit``)."""
        if submission is None:
            spend("form")
            object_id = form.store_document(document, files, store, config.recipients)
            return resubmit.Stored(object_id, datetime.now(UTC).replace(microsecond=0), first=True)
        earlier = resubmit.earlier(store, submission)
        if earlier is not None:
            return earlier  # nothing stored again, no budget spent
        object_id = resubmit.object_id(store, submission)
        spend("form")
        form.store_document(document, files, store, config.recipients, object_id=object_id)
        return resubmit.mark_stored(store, submission, object_id)

    @app.get(f"{API}/submissions/form")
    @app.get(f"{API}/replies/check")
    @app.get(f"{API}/followups/form")
    def form_address() -> tuple[str, int]:
        """What a form's address is, for a browser that opens it again (history, bookmark, link)."""
        if not errors.wants_html():
            raise MethodNotAllowed(valid_methods=["POST"])
        pages.use_language(request.args)
        return render_template("address.html", kind=pages.ADDRESS_KINDS[request.path.removeprefix(API)]), 200

    @app.post(f"{API}/replies")
    def list_replies() -> Response:
        # The lookup id travels in the body: a URL path ends up in proxies' and CDNs' logs.
        if request.mimetype != "application/json":
            raise ApiError(415, "unsupported_media_type", "Yêu cầu phải ở dạng JSON.")
        if (request.content_length or 0) > LOOKUP_BODY_LIMIT:
            raise ApiError(413, "too_large", "Nội dung gửi lên vượt quá dung lượng cho phép.")
        refuse_early("check")
        lookup_id = _lookup_id(request.stream.read(LOOKUP_BODY_LIMIT + 1))
        spend("check")
        try:
            found = replies.list_envelopes(store, lookup_id)
        except StoreError:
            raise store_unavailable() from None
        return jsonify(replies=found.envelopes, known=found.known)

    @app.get(f"{API}/replies/<moved:rest>")
    def replies_moved(rest: str) -> tuple[Response, int]:
        # Pages made before the lookup id moved to the body: tell the reporter to reload, not "not found".
        raise ApiError(410, "page_outdated", "Trang tra cứu đã được cập nhật. Vui lòng tải lại trang rồi tra cứu lại.")

    @app.post(f"{API}/replies/check")
    def check_replies() -> tuple[Response | str, int]:
        fields, _ = form_request("check")
        code = fields.get("code", "")
        try:
            receipt.derive(code)
        except receipt.ReceiptCodeError as exc:
            error = ApiError(
                400,
                "invalid_code",
                pages.code_problem(exc.kind, exc.groups, "vi"),
                details={"kind": exc.kind, "groups": exc.groups},
            )
            if errors.wants_html():
                # The check form again, with the problem and the code as typed to correct it: a page
                # that served its purpose (200), so the browser logs no failed load.
                return render_template("check_error.html", message=pages.error_message(error), typed=code[:64]), 200
            raise error from None
        spend("check")
        try:
            found = replies.read_with_code(store, code)
        except StoreError:
            raise store_unavailable() from None
        timeline = [
            {
                "status": pages.status_label(r.document["status"]),
                "at": _local(r.document["at"]),
                "message": r.document.get("message", ""),
                "authority": r.document.get("authority", ""),
                "reason": r.document.get("reason", ""),
            }
            for r in sorted(found.replies, key=lambda r: r.document["at"])
        ]
        return render_template(
            "replies.html",
            timeline=timeline,
            known=found.known,
            code=receipt.format_code(receipt.normalise(code)),
        ), 200

    @app.post(f"{API}/followups/form")
    def submit_followup_form() -> tuple[Response | str, int]:
        if not config.form_enabled:
            return _form_disabled()
        fields, files = form_request("form")
        document = form.check_followup(fields)
        chosen = form.chosen_files(files)
        stored = store_once(resubmit.recognise(config.secret, request, "followup"), document, chosen)
        status = 201 if stored.first else 200
        try:  # stored already: a store that cannot say whether it knows the code must not lose it
            known = replies.is_known(store, document["lookup_id"])
        except StoreError:
            known = False
        if errors.wants_html():
            return render_template("followup_receipt.html", known=known), status
        return jsonify(id=stored.object_id, received_at=_iso(stored.received), known=known), status

    return app


class _MovedSegment(BaseConverter):
    """Any one path segment but ``check``, so that /replies/check is only the POST route (its Allow
    header lists POST alone): where pages from before asked ``GET /replies/<lookup id>``."""

    regex = r"(?!check(?![^/]))[^/]+"


LOOKUP_BODY_LIMIT = 256  # bytes: {"lookup_id": "<32 hex>"} with room for spaces


def _lookup_id(body: bytes) -> str:
    """The lookup id of a ``POST /replies`` body; ApiError 400 if the body is anything else."""
    invalid = ApiError(400, "invalid_lookup_id", "Mã tra cứu không hợp lệ.")
    if len(body) > LOOKUP_BODY_LIMIT:
        raise ApiError(413, "too_large", "Nội dung gửi lên vượt quá dung lượng cho phép.")
    try:
        document = decode.load_json(body, max_bytes=LOOKUP_BODY_LIMIT, max_depth=1)
    except decode.DecodeError:
        raise invalid from None
    if not isinstance(document, dict) or set(document) != {"lookup_id"}:
        raise invalid
    lookup_id = document["lookup_id"]
    if not isinstance(lookup_id, str) or not objects.LOOKUP_ID_RE.fullmatch(lookup_id):
        raise invalid
    return lookup_id


def _local(iso: str) -> str:
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return pages.local_time(moment.astimezone(VIETNAM_TIME))


def _form_disabled() -> tuple[Response | str, int]:
    pages.use_language(request.args)  # the body is not read: the action's ?language= says the page's
    error = ApiError(
        503,
        "form_disabled",
        "Kênh gửi không dùng JavaScript đang tạm ngừng. Vui lòng bật JavaScript rồi gửi lại.",
    )
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


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _now_iso() -> str:
    return _iso(datetime.now(UTC))
