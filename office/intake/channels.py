"""Cases from the other channels: hotline, e-mail, the comment mailbox, citizen reception, forwarding.

A report that reaches the Office by phone or on paper is registered exactly as
an online one: its content and the reporter's identity become a ``report/1``
document, padded and encrypted to the Office's public keys, and stored in the
data folder; only metadata (channel, dates, category, who at the Office took
it) is in clear. So ``show``, ``reveal``, ``extract`` and ``export`` treat every
case alike, and a copied data folder exposes no reporter.

Registering needs only the Office's *public* keys, never the passphrase: the
register's keys in force (``office/keys/recipients.py``), the primary and the
backup, so that a case taken by phone opens with either, as an online one does.
"""

from __future__ import annotations

import hashlib
import io
import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intake_function import codes, envelope, objects, report

from .. import notepad, register
from ..keys import rekey
from ..register import audit
from ..register.desk import Desk
from ..workflow import CHANNELS, fold

MANUAL_CHANNELS = ("hotline", "email", "letter", "mailbox", "reception", "forwarded")
BODY_PREFIX = "cases/"

# Fields of a report/1 document that a person types in; the rest (schema, pad, reply) is ours.
REPORT_FIELDS = ("category", "description", "occurred", "place", "persons_involved", "reporter", "language")
REPORTER_FIELDS = ("name", "phone", "email", "address", "contact")
# Channel metadata a file may carry beside the report fields.
META_FIELDS = ("channel", "received", "received_by", "source_ref", "attach", "schema")


class IntakeError(ValueError):
    """A manual case cannot be registered; the message says what to fix."""


@dataclass
class ManualCase:
    """What the Office took down, before it is encrypted and registered."""

    channel: str
    received_at: str
    document: dict[str, Any]
    received_by: str | None = None
    source_ref: str | None = None
    attachments: list[Path | tuple[str, bytes]] = field(default_factory=list)  # a file, or (name, its bytes)


# --- building the document --------------------------------------------------------------------


def build_document(values: dict[str, Any]) -> dict[str, Any]:
    """A validated report/1 document from what was typed or read from a file; blanks are left out."""
    document: dict[str, Any] = {"schema": report.SCHEMA_ID}
    for name in REPORT_FIELDS:
        value = values.get(name)
        if name == "reporter":
            reporter = {k: str(v).strip() for k, v in (value or {}).items() if v not in (None, "")}
            if reporter:
                document["reporter"] = reporter
        elif value not in (None, ""):
            document[name] = str(value).strip() if name != "language" else value
    document.setdefault("language", "vi")
    try:
        return report.validate(document)
    except report.ReportError as exc:
        lines = [f"{report.field_label(p.field)} ({p.field}): {p.message_vi} / {p.message_en}" for p in exc.problems]
        raise IntakeError("; ".join(lines)) from None


# What a case file may say, in Vietnamese as the clerk writes it (``office add --example-file`` writes one):
# folded names (no case, no tone marks) -> the field. The English field names are accepted too.
VIETNAMESE_FIELDS: dict[str, str] = {
    "kenh": "channel",
    "kenh tiep nhan": "channel",
    "ngay nhan": "received",
    "nguoi tiep nhan": "received_by",
    "can bo tiep nhan": "received_by",
    "nguon": "source_ref",
    "so van ban": "source_ref",
    "loai": "category",
    "loai noi dung": "category",
    "noi dung": "description",
    "noi dung phan anh": "description",
    "thoi gian xay ra": "occurred",
    "dia diem": "place",
    "nguoi, don vi co lien quan": "persons_involved",
    "nguoi, don vi lien quan": "persons_involved",
    "nguoi lien quan": "persons_involved",
    "nguoi phan anh": "reporter",
    "thong tin nguoi phan anh": "reporter",
    "tep dinh kem": "attach",
}
VIETNAMESE_REPORTER: dict[str, str] = {
    "ho va ten": "name",
    "ho ten": "name",
    "so dien thoai": "phone",
    "dien thoai": "phone",
    "thu dien tu": "email",
    "dia chi": "address",
    "cach lien he": "contact",
    "cach lien he mong muon": "contact",
}


def _field(name: Any, table: dict[str, str]) -> Any:
    """A field name as written in a case file, Vietnamese or English, as the register's field."""
    return table.get(fold(str(name)), name)


def _value(field: str, value: Any) -> Any:
    """A channel or a category written in Vietnamese ("Thư gửi qua bưu điện", "Lãng phí") as its code."""
    if field == "channel":
        labels = {fold(vi): code for code, (vi, _) in CHANNELS.items()}
    elif field == "category":
        labels = {fold(label["vi"]): code for code, label in report.categories().items()}
    else:
        return value
    return labels.get(fold(str(value)), value)


def example_text() -> str:
    """A case file for ``office add --from-file`` with every field explained, in Vietnamese (UTF-8 YAML)."""
    channels = "; ".join(f"{code} = {CHANNELS[code][0]}" for code in MANUAL_CHANNELS)
    categories = "; ".join(f"{code} = {label['vi']}" for code, label in report.categories().items())
    return f"""# Mẫu tệp vào sổ một phản ánh / a case file for: office add --from-file phan-anh.yaml
# Mỗi dòng "tên mục: giá trị". Dòng bắt đầu bằng # là ghi chú. Mục để trống thì bỏ qua.
# Tên mục viết tiếng Việt như dưới đây, hoặc tiếng Anh (channel, received, category...).
# Lưu bằng Notepad: UTF-8 (hoặc ANSI); văn bản nhiều dòng viết sau dấu | và thụt đầu dòng.

# Kênh tiếp nhận (bắt buộc): {channels}
kênh: letter
# Ngày nhận: ngày/tháng/năm [giờ:phút]; để trống là bây giờ.
ngày nhận: 01/07/2026 08:30
# Cán bộ tiếp nhận (để trống là người chạy lệnh).
cán bộ tiếp nhận:
# Nguồn, số văn bản: số công văn chuyển đến, dấu bưu điện... (bắt buộc khi kênh là forwarded).
số văn bản:
# Loại nội dung (bắt buộc): {categories}
loại: waste
# Nội dung phản ánh (bắt buộc).
nội dung: |
  Chép nội dung thư ở đây.
  Có thể nhiều dòng.
# Thời gian xảy ra, địa điểm, người hoặc đơn vị có liên quan (không bắt buộc).
thời gian xảy ra:
địa điểm:
người, đơn vị có liên quan:
# Người phản ánh: bỏ cả mục này nếu ẩn danh. Danh tính được mã hóa ngay khi vào sổ.
người phản ánh:
  họ và tên:
  số điện thoại:
  thư điện tử:
  địa chỉ:
  # Cách liên hệ mong muốn: phone, email, post (thư), none (không liên hệ).
  cách liên hệ:
# Tệp đính kèm: đường dẫn, tính từ thư mục chứa tệp này; mỗi tệp một dòng bắt đầu bằng "- ".
tệp đính kèm:
"""


def read_case_file(path: Path) -> dict[str, Any]:
    """A JSON or YAML file: report/1 fields plus channel metadata (channel, received, received_by...), named in
    English or in Vietnamese; ``_legacy`` says the file was saved as ANSI (worth a note)."""
    try:
        read = notepad.read(path)
        text = read.text
    except notepad.TextFileError as exc:
        raise IntakeError(str(exc)) from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # both parsers' errors: the message is what matters
        raise IntakeError(
            f"{path} không đúng cú pháp / is not valid "
            f"{'YAML' if path.suffix.lower() in ('.yaml', '.yml') else 'JSON'}: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise IntakeError(f"{path}: cần các mục như category, description / expected an object with such fields")
    data = {_field(k, VIETNAMESE_FIELDS): v for k, v in data.items() if v not in (None, "")}
    if isinstance(data.get("reporter"), dict):
        data["reporter"] = {_field(k, VIETNAMESE_REPORTER): v for k, v in data["reporter"].items()}
    for name in ("channel", "category"):
        if name in data:
            data[name] = _value(name, data[name])
    unknown = set(data) - set(REPORT_FIELDS) - set(META_FIELDS)
    if unknown:
        valid = ", ".join(f"{vi} ({en})" for vi, en in _FIELD_NAMES)
        raise IntakeError(
            f"{path}: mục không hợp lệ / unknown fields {', '.join(sorted(map(str, unknown)))}. Các mục dùng được / "
            f"valid fields: {valid}. Tệp mẫu / an example file: office add --example-file mau-phan-anh.yaml"
        )
    data["_legacy"] = read.legacy
    attach = data.get("attach") or []
    if isinstance(attach, str):
        attach = [attach]
    data["attach"] = [(path.parent / str(item)) for item in attach]
    if data.get("received") is not None:
        data["received"] = str(data["received"])
    return data


# The fields a case file may give, as its error lists them: (Vietnamese, English).
_FIELD_NAMES = (
    ("kênh", "channel"),
    ("ngày nhận", "received"),
    ("cán bộ tiếp nhận", "received_by"),
    ("số văn bản", "source_ref"),
    ("loại", "category"),
    ("nội dung", "description"),
    ("thời gian xảy ra", "occurred"),
    ("địa điểm", "place"),
    ("người, đơn vị có liên quan", "persons_involved"),
    ("người phản ánh: họ và tên, số điện thoại, thư điện tử, địa chỉ, cách liên hệ", "reporter: name, phone, email, "
     "address, contact"),
    ("tệp đính kèm", "attach"),
)  # fmt: skip


# --- registering ------------------------------------------------------------------------------


class _HashingWriter:
    """A file the encryptor writes to, hashing the ciphertext on the way (for the report's reference)."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.hash = hashlib.sha256()

    def write(self, chunk: bytes) -> int:
        self.hash.update(chunk)
        return self.handle.write(chunk)

    def flush(self) -> None:
        self.handle.flush()


def _seal_attachment(desk: Desk, item: Path | tuple[str, bytes], recipients: list) -> tuple[dict[str, Any], Path]:
    """Encrypt one file (a path, or a name and the bytes the window received) into a temporary file of the store;
    return its report reference and the file."""
    if isinstance(item, tuple):
        name, data = item
        size, source = len(data), io.BytesIO(data)
    else:
        if not item.is_file():
            raise IntakeError(f"không thấy tệp đính kèm / attachment does not exist: {item}")
        name, size, source = item.name, item.stat().st_size, item.open("rb")
    _, key = objects.new_attachment_key()
    temp = desk.store.temporary_name()
    try:
        with source, temp.open("wb") as target:
            writer = _HashingWriter(target)
            envelope.encrypt_stream(source, writer, recipients)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    reference = {"key": key, "name": name[:255], "type": mime, "size": size, "sha256": writer.hash.hexdigest()}
    return reference, temp


def register_manual(desk: Desk, case: ManualCase, recipients: list, *, who: str) -> str:
    """Encrypt, store and register a manual case (with its audit entry); return its number."""
    if case.channel not in MANUAL_CHANNELS:
        raise IntakeError(f"kênh phải là một trong / channel must be one of {', '.join(MANUAL_CHANNELS)}")
    staged: list[tuple[str, Path]] = []
    try:
        references = []
        for item in case.attachments:
            reference, temp = _seal_attachment(desk, item, recipients)
            references.append(reference)
            staged.append((reference["key"], temp))
        document = dict(case.document)  # already built and validated by build_document
        if references:
            document = report.validate({**document, "attachments": references})
        body_key = f"{BODY_PREFIX}{codes.new_object_id()}{objects.SUFFIX}"
        sealed = envelope.encrypt(report.padded(document), recipients)
        desk.store.put_many([*staged, (body_key, sealed)])
    except BaseException:
        for _, temp in staged:
            temp.unlink(missing_ok=True)
        raise
    rows = [
        register.AttachmentRow(position, ref["key"], ref["size"], ref["sha256"])
        for position, ref in enumerate(references)
    ]
    with register.transaction(desk.db):
        number = register.add_case(
            desk.db,
            channel=case.channel,
            source_key=None,
            received_at=case.received_at,
            category=document["category"],
            anonymous="reporter" not in document,
            language=document.get("language"),
            body_key=body_key,
            reply_lookup=None,
            attachments=rows,
            received_by=case.received_by,
            source_ref=case.source_ref,
        )
        rekey.note_sealed(desk.db, [body_key, *(row.key for row in rows)], recipients)
        audit.append(
            desk.db,
            "register",
            who=who,
            reason=f"tiếp nhận qua kênh {CHANNELS.get(case.channel, (case.channel,))[0].lower()}",
            case_number=number,
            details={"channel": case.channel, "received_at": case.received_at, "attachments": len(rows)},
        )
    return number
