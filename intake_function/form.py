"""The no-JavaScript path: a plain HTML form that the function encrypts on arrival.

The browser cannot encrypt without JavaScript, so the function does it the
moment the request is parsed: the form is read into memory only (never spooled
to disk), each file becomes its own envelope, the report becomes one more, and
only ciphertext is stored. Nothing from the form is logged.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
from typing import Any
from urllib.parse import parse_qsl

from flask import Request
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.formparser import FormDataParser, MultiPartParser

from . import envelope, objects, pages, receipt, report, words
from .errors import ApiError, store_unavailable
from .store import Store, StoreError

TEXT_FIELDS = ("category", "description", "occurred", "place", "persons_involved", "language")
REPORTER_FIELDS = ("name", "phone", "email", "address", "contact")
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+")
FOLLOWUP_NOT_SENT = "followup_not_sent"  # the error page's title (a key of pages.TEXTS)


# Werkzeug decodes multipart text fields with errors="replace", which would silently turn
# bytes that are not UTF-8 into U+FFFD inside a report. Its decoder takes the charset from us
# and its error handler from nowhere, so we name a codec that is UTF-8 and always strict.
STRICT_UTF8 = "intake_strict_utf_8"


def _find_strict_utf8(name: str) -> codecs.CodecInfo | None:
    if name != STRICT_UTF8:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(
        name=STRICT_UTF8,
        encode=utf8.encode,
        decode=lambda data, errors="strict": codecs.utf_8_decode(data, "strict", True),
    )


codecs.register(_find_strict_utf8)


class _StrictMultiPartParser(MultiPartParser):
    def get_part_charset(self, headers) -> str:
        return STRICT_UTF8  # browsers send forms as UTF-8; anything else is refused, not guessed


class _StrictFormDataParser(FormDataParser):
    """Form parsing that raises on bad input instead of returning an empty or altered form."""

    def _parse_multipart(self, stream, mimetype, content_length, options):
        parser = _StrictMultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii", "replace")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        text = stream.read().decode("utf-8")  # raises on bytes that are not UTF-8
        items = parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=self.max_form_parts)
        return stream, self.cls(items), self.cls()


class InMemoryRequest(Request):
    """A request whose form is parsed strictly and whose uploaded files stay in memory.

    Werkzeug spools large files to a temporary file by default, which would put
    plaintext evidence on the server's disk; memory is bounded by MAX_CONTENT_LENGTH.
    """

    form_data_parser_class = _StrictFormDataParser

    def make_form_data_parser(self) -> FormDataParser:
        return self.form_data_parser_class(
            stream_factory=self._get_file_stream,
            max_form_memory_size=self.max_form_memory_size,
            max_content_length=self.max_content_length,
            max_form_parts=self.max_form_parts,
            cls=self.parameter_storage_class,
            silent=False,
        )

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


def read_form(request: Request) -> tuple[MultiDict, MultiDict]:
    """The form's fields and files; ApiError 400 if the body is not a well-formed UTF-8 form."""
    try:
        return request.form, request.files
    except UnicodeDecodeError:
        raise ApiError(
            400,
            "invalid_encoding",
            "Nội dung gửi lên có ký tự không hợp lệ (không phải mã UTF-8) nên chưa được nhận. "
            "Vui lòng gõ lại phần nội dung đó trên trang rồi gửi lại.",
        ) from None
    except ValueError:
        raise ApiError(
            400,
            "bad_form",
            "Biểu mẫu gửi lên bị hỏng hoặc không đầy đủ nên chưa được nhận. Vui lòng gửi lại.",
        ) from None


def _text(form: MultiDict, name: str) -> str:
    """A field's text with line ends as the page's script sends them (LF; browsers post CRLF)."""
    return form.get(name, "").replace("\r\n", "\n").replace("\r", "\n").strip()


def report_from_form(form: MultiDict) -> dict[str, Any]:
    """Build a ``report/1`` document from form fields named after the schema."""
    document: dict[str, Any] = {"schema": report.SCHEMA_ID}
    for name in TEXT_FIELDS:
        value = _text(form, name)
        if value:
            document[name] = value
    reporter = {name: _text(form, f"reporter.{name}") for name in REPORTER_FIELDS}
    reporter = {k: v for k, v in reporter.items() if v}
    # A contact preference alone identifies no one: the report stays anonymous.
    if set(reporter) - {"contact"}:
        document["reporter"] = reporter
    return document


def check_form(form: MultiDict) -> dict[str, Any]:
    """Validate the form; ApiError 400 listing every problem, in the form's field names."""
    problems: list[dict[str, str]] = []
    try:
        document = report.validate(report_from_form(form))
    except report.ReportError as exc:
        problems = [p.as_dict() for p in exc.problems]
        document = {}
    if form.get("consent") != "yes":
        problems.append(
            {
                "field": "consent",
                "label": report.field_label("consent"),
                "message": words.say("consent", "vi"),
                "message_en": words.say("consent", "en"),
            }
        )
    if problems:
        raise ApiError(
            400,
            "invalid_report",
            "Phản ánh chưa được gửi vì còn thông tin chưa hợp lệ. Vui lòng xem từng mục dưới đây.",
            problems=problems,
        )
    return document


def _clean_filename(name: str) -> str:
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:255] or "tep-dinh-kem"


def chosen_files(files: MultiDict) -> list[FileStorage]:
    """The files the person chose (an empty file input sends one without a name); at most 20."""
    chosen = [f for f in files.getlist("attachments") if f.filename]
    if len(chosen) > report.max_attachments():
        raise ApiError(400, "too_many_files", words.say("too_many_files", "vi", n=report.max_attachments()))
    return chosen


def with_receipt_code(document: dict, code: str) -> dict:
    """A checked report from the form with the reply key and lookup id of its receipt code.

    The code is made by the function, because the page cannot make it without JavaScript
    (``resubmit`` derives it for a form that may be posted again); its lookup id, reply key and
    follow-up commitment go inside the encrypted report, and the code itself is shown on the
    receipt page and kept nowhere.
    """
    derived = receipt.derive(code)
    reply = {
        "recipient": derived.reply_recipient,
        "lookup_id": derived.lookup_id,
        "followup_commitment": derived.followup_commitment,
    }
    return {**document, "reply": reply}


def check_followup(form: MultiDict) -> dict[str, Any]:
    """Validate what a reporter adds with the receipt code (no JavaScript); ApiError 400 if wrong.

    The code proves itself here, as the page's script would: its follow-up proof goes
    inside the envelope, and the code is forgotten with the request.
    """
    try:
        derived = receipt.derive(form.get("code", ""))
    except receipt.ReceiptCodeError as exc:
        raise ApiError(
            400,
            "invalid_code",
            pages.code_problem(exc.kind, exc.groups, "vi"),
            heading=FOLLOWUP_NOT_SENT,
            details={"kind": exc.kind, "groups": exc.groups},
        ) from None
    document = {
        "schema": report.FOLLOWUP_ID,
        "lookup_id": derived.lookup_id,
        "proof": derived.followup_proof,
        "message": _text(form, "message"),
    }
    if form.get("language") in ("vi", "en"):
        document["language"] = form["language"]
    try:
        return report.validate(document, accept=(report.FOLLOWUP_ID,))
    except report.ReportError as exc:
        raise ApiError(
            400,
            "invalid_followup",
            "Thông tin bổ sung chưa được gửi. Vui lòng xem mục dưới đây.",
            problems=[p.as_dict() for p in exc.problems],
            heading=FOLLOWUP_NOT_SENT,
        ) from None


def store_document(
    document: dict, files: list[FileStorage], store: Store, recipients, object_id: str | None = None
) -> str:
    """Encrypt and store the attachments, then the document; return the document's object id.

    Attachments go first so that a stored report never points at a missing
    file. If anything fails, the attachments already stored are deleted (where
    the store allows it; otherwise the bucket's lifecycle rule expires them).
    With ``object_id`` (a post that may be a repeat, ``resubmit``), a document
    already stored under that id is the same submission's: this copy's
    attachments are deleted and nothing else is written.
    """
    stored: list[str] = []
    try:
        references = []
        for upload in files:
            plaintext = upload.stream.read()
            ciphertext = envelope.encrypt(plaintext, recipients)
            _, key = objects.new_attachment_key()
            if not store.create(key, ciphertext):
                raise StoreError("object id collision")
            stored.append(key)
            media_type = (upload.mimetype or "").strip()
            references.append(
                {
                    "key": key,
                    "name": _clean_filename(upload.filename or ""),
                    "type": media_type if _MEDIA_TYPE.fullmatch(media_type) else "application/octet-stream",
                    "size": len(plaintext),
                    "sha256": hashlib.sha256(ciphertext).hexdigest(),
                }
            )
            del plaintext
        if references:
            document["attachments"] = references
        ciphertext = envelope.encrypt(report.padded(document), recipients)
        if object_id is None:
            object_id, key = objects.new_inbox_key()
            if not store.create(key, ciphertext):
                raise StoreError("object id collision")
        elif not store.create(objects.inbox_key(object_id), ciphertext):
            _forget(store, stored)  # a twin post of the same submission stored it first
        return object_id
    except StoreError:
        _forget(store, stored)
        raise store_unavailable() from None
    except BaseException:
        _forget(store, stored)
        raise


def _forget(store: Store, keys: list[str]) -> None:
    for key in keys:
        try:
            store.delete(key)
        except (StoreError, OSError):
            pass
