"""The package sent to the competent authority, or to a unit: the case, files without metadata.

    <out>/ho-so-2026-0001.docx     the case in Vietnamese: category, dates, description, place, persons
    <out>/ho-so-2026-0001.txt      the same as plain text
    <out>/tai-lieu/tep-01.jpg ...  the attachments, cleaned by ``scrub`` and renamed (names can identify)
    <out>/manifest.json, .txt      what was removed from each file, and what could not be cleaned
    <out>/unverified/              only with --include-unverified: files that could not be cleaned,
                                   exactly as received, for the Office to check by hand

Files that cannot be cleaned are left out by default, and listed: a folder
that is forwarded whole must not carry an uncleaned photo by accident. So are
files that would run something when opened (scripts, HTML, SVG, shortcuts,
registry files: ``kinds``), and files over a limit of the cleaner (``scrub.Limits``);
with --include-unverified they are copied as they came, under a name that runs
nothing (``tep-03.txt``, ``tep-04.bin``). A file whose declared type or name does
not fit its content is said so in the manifest.

The package is made in memory (``prepare``), then written whole or not at all
(``write``, into the folder ``folder.building`` gives), after the audit entry.

What the package is for and what it goes with is ``transfer``'s: a denunciation transferred goes
with the denouncer's identity in a separate part marked MẬT (``MAT-thong-tin-nguoi-to-cao``), a
phản ánh forwarded only with the reporter's consent, a case for a unit of the Board never.

Beyond that part, the reporter block of the report never enters the package. The reporter may
still have named themselves in the description: every place where the text
repeats the reporter's name, phone, e-mail or address is masked, and the
Office is told to read the text before sending it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from intake_function import envelope, report

from .. import register
from ..register import audit
from ..register.desk import Desk
from ..safe_text import for_document
from ..workflow.clock import local_date, today, vn_date
from . import folder, kinds, scrub, transfer

MASK = "[đã che]"


class ExportError(Exception):
    """The case cannot be exported or extracted as asked; nothing was written. The message says why."""


TEXT_FIELDS = ("occurred", "place", "persons_involved", "description")


@dataclass
class Exported:
    """The package: what it holds (``contents``, relative path -> bytes) and what the manifest says of each file."""

    files: list[dict[str, Any]] = field(default_factory=list)
    masked: int = 0
    contents: dict[str, bytes] = field(default_factory=dict)
    identity: list[str] = field(default_factory=list)  # the fields of the separate identity part, if any
    purpose: transfer.Purpose | None = None

    @property
    def unverified(self) -> list[dict[str, Any]]:
        return [f for f in self.files if f["status"] == scrub.UNVERIFIED]


def mask_identity(document: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The document's text fields with every repetition of the reporter's details masked."""
    reporter = document.get("reporter") or {}
    needles = [
        unicodedata.normalize("NFC", str(reporter[k]).strip())
        for k in ("name", "phone", "email", "address")
        if len(str(reporter.get(k, "")).strip()) >= 3
    ]
    digits = re.sub(r"\D", "", str(reporter.get("phone", "")))
    out, count = {}, 0
    for name in TEXT_FIELDS:
        text = document.get(name)
        if not text:
            continue
        for needle in sorted(needles, key=len, reverse=True):
            text, n = re.subn(re.escape(needle), MASK, text, flags=re.IGNORECASE)
            count += n
        if len(digits) >= 6:  # the phone number written with other separators
            pattern = r"[\s.\-()]*".join(re.escape(d) for d in digits)
            text, n = re.subn(pattern, MASK, text)
            count += n
        out[name] = text
    return out, count


def case_text(
    number: str,
    category: str,
    received: date,
    fields: dict[str, Any],
    files: list[str],
    purpose: transfer.Purpose | None = None,
) -> str:
    """The case as plain text; the reporter's words pass ``for_document`` (no control or lone surrogate)."""
    lines = [
        *transfer.heading(number, purpose or transfer.Purpose("forwarded", None)),
        "",
        f"Loại nội dung: {report.category_label(category)}",
        f"Ngày tiếp nhận: {vn_date(received)}",
        f"Thời gian xảy ra: {fields.get('occurred') or '-'}",
        f"Địa điểm: {fields.get('place') or '-'}",
        f"Người, đơn vị có liên quan: {fields.get('persons_involved') or '-'}",
        "",
        "Nội dung:",
        fields.get("description", ""),
        "",
        "Tài liệu kèm theo: " + (", ".join(files) if files else "không có"),
    ]
    return for_document("\n".join(lines)) + "\n"


def _docx(text: str, settings: dict[str, Any] | None) -> bytes:
    """The case text as the Board's document (``transfer.package_docx``), or plain when no settings are given."""
    from docx import Document

    from ..layout import finish_package, page_setup

    lines = text.rstrip("\n").split("\n")
    if settings is not None:
        return transfer.package_docx(lines, settings, today())
    document = Document()
    page_setup(document)
    document.add_paragraph().add_run(lines[0]).bold = True
    for line in lines[1:]:
        document.add_paragraph(line)
    # Titled by its heading, authored by no one (it leaves the Board), nothing left of the template.
    finish_package(document, title=lines[0], author="")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def export_case(
    desk: Desk,
    case: register.Case,
    document: dict[str, Any],
    identities: list,
    out: Path,
    *,
    include_unverified: bool,
    who: str,
    reason: str,
    limits: scrub.Limits = scrub.LIMITS,
    purpose: transfer.Purpose | None = None,
    settings: dict[str, Any] | None = None,
) -> Exported:
    """Export a case into the new folder ``out``: all of it or nothing, the audit entry first (``folder``).

    ``purpose`` (``transfer.purpose_of``) says what the package is for and whether the identity part goes
    with it; ``settings`` (settings.toml [report]) lays its documents out as the Board's."""
    check_new_folder(out)
    attachments = [(item, read_attachment(desk, item["key"], identities)) for item in document.get("attachments", [])]
    package = prepare(
        case.number,
        document,
        case.received_at,
        attachments,
        include_unverified=include_unverified,
        limits=limits,
        purpose=purpose,
        settings=settings,
    )

    def record() -> None:
        details = {
            "files": len(package.files),
            "unverified": len(package.unverified),
            "unverified_included": include_unverified,
            "masked_in_text": package.masked,
        }
        if purpose is not None:  # the identity's fields sent, in the separate confidential part, and the consent
            details.update(purpose=purpose.code, identity_part=package.identity)
            if purpose.consent:
                details["consent"] = purpose.consent
        audit.record(
            desk.db,
            "export",
            who=who,
            reason=reason or (f"chuyển {case.forwarded_to}" if case.forwarded_to else f"giao {case.unit or 'đơn vị'}"),
            case_number=case.number,
            details=details,
        )

    with into_new_folder(desk, out, record, {"command": "export", "case": case.number}) as temporary:
        write(package, temporary)
    return package


def check_new_folder(out: Path) -> None:
    try:
        folder.check_folder(out)
    except folder.TargetTaken as exc:
        raise ExportError(str(exc)) from None


@contextmanager
def into_new_folder(desk: Desk, out: Path, record: Callable[[], None], what: dict) -> Iterator[Path]:
    """``folder.building``, with what stops it said as an ExportError (nothing was written)."""
    try:
        with folder.building(desk, out, record, what) as temporary:
            yield temporary
    except folder.TargetTaken as exc:
        raise ExportError(str(exc)) from None
    except OSError as exc:
        raise ExportError(
            f"không ghi được {out}, không có gì được ghi / cannot write {out}, nothing was written: {exc}"
        ) from None


def read_attachment(desk: Desk, key: str, identities: list) -> bytes:
    """One attachment, decrypted in memory."""
    sink = io.BytesIO()
    try:
        with desk.store.open_read(key) as source:
            envelope.decrypt_stream(source, sink, identities)
    except (OSError, envelope.EnvelopeError) as exc:
        raise ExportError(f"không đọc được tệp đính kèm {key} / the attachment cannot be read: {exc}") from None
    return sink.getvalue()


def prepare(
    number: str,
    document: dict[str, Any],
    received_at: str,
    attachments: list[tuple[dict[str, Any], bytes]],
    *,
    include_unverified: bool,
    limits: scrub.Limits = scrub.LIMITS,
    purpose: transfer.Purpose | None = None,
    settings: dict[str, Any] | None = None,
) -> Exported:
    """The package of a case, in memory: its attachments cleaned (in a bounded child process), its texts, and the
    identity part when its purpose says so (``transfer``)."""
    from . import bounded  # not at import: ``python -m office.export.bounded`` imports this package first

    result = Exported()
    fields, result.masked = mask_identity(document)
    cleaned_all = bounded.clean_all([(data, reference.get("name", "")) for reference, data in attachments], limits)
    for position, ((reference, data), cleaned) in enumerate(zip(attachments, cleaned_all, strict=True), start=1):
        name = f"tep-{position:02d}{cleaned.extension}"
        content = kinds.recognise(data, reference.get("name", ""))
        entry: dict[str, Any] = {
            "file": f"tai-lieu/{name}",
            "position": position,
            "declared_type": for_document(str(reference.get("type", ""))),
            "kind": cleaned.kind,
            "content": content.code,
            "status": cleaned.status,
            # Names inside a file (a PDF's keys, a package's parts) are the reporter's too.
            "removed": [for_document(item) for item in cleaned.removed],
            "notes": [for_document(item) for item in cleaned.notes],
        }
        mismatch = kinds.disagreement(content, reference.get("type"), reference.get("name"))
        entry["declaration"] = for_document(mismatch) if mismatch else None
        if cleaned.status != scrub.UNVERIFIED and cleaned.data is not None:
            result.contents[entry["file"]] = cleaned.data
            entry.update(size=len(cleaned.data), sha256=hashlib.sha256(cleaned.data).hexdigest())
        elif include_unverified:
            entry.update(file=f"unverified/{name}", size=len(data), sha256=hashlib.sha256(data).hexdigest())
            result.contents[entry["file"]] = data
        else:
            entry.update(file=None)
        result.files.append(entry)
    listed = [f["file"].split("/")[-1] for f in result.files if f["file"] and f["status"] != scrub.UNVERIFIED]
    text = case_text(number, document["category"], local_date(received_at), fields, listed, purpose)
    result.contents[f"ho-so-{number}.txt"] = text.encode("utf-8")
    result.contents[f"ho-so-{number}.docx"] = _docx(text, settings)
    result.purpose = purpose
    if purpose is not None and purpose.with_identity:
        reporter = document.get("reporter") or {}
        result.identity = transfer.identity_fields(reporter)
        lines = [for_document(line) for line in transfer.identity_lines(number, reporter, purpose)]
        name = transfer.IDENTITY_FILE if purpose.code == "denunciation" else transfer.REPORTER_FILE
        result.contents[f"{name}.txt"] = ("\n".join(lines) + "\n").encode("utf-8")
        if settings is not None:
            result.contents[f"{name}.docx"] = transfer.package_docx(
                lines, settings, today(), confidential=True, signed=False
            )
    if include_unverified and result.unverified:
        result.contents["unverified/README.txt"] = (
            "CHƯA LÀM SẠCH: các tệp trong thư mục này có thể chứa siêu dữ liệu nhận dạng người phản ánh "
            "(tên tác giả, vị trí GPS...) hoặc chạy mã lệnh khi mở. Kiểm tra thủ công; không chuyển đi nếu chưa "
            "làm sạch.\nNOT CLEANED: these files may carry metadata that identifies the reporter, or run code "
            "when opened. Check them by hand.\n"
        ).encode()
    result.contents.update(_manifest(result, number))
    return result


def write(package: Exported, out: Path) -> None:
    """Write the package into ``out``, a new folder (``folder.building`` gives it)."""
    for relative, content in package.contents.items():
        folder.write_file(out, relative, content)


def _manifest(result: Exported, number: str) -> dict[str, bytes]:
    purpose = result.purpose
    manifest = {
        "case": number,
        "purpose": purpose.code if purpose else None,
        "reporter_identity": "separate-confidential-part" if result.identity else "removed",
        "identity_fields": result.identity,
        "masked_in_text": result.masked,
        "files": result.files,
    }
    as_json = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    lines = [
        f"BẢNG KÊ HỒ SƠ {number} / MANIFEST",
        "",
        (
            f"Thông tin {purpose.person} ({', '.join(result.identity)}): ở phần riêng, MẬT, kèm đề nghị giữ bí mật / "
            "the identity: in a separate part marked confidential"
            if result.identity and purpose
            else "Thông tin người phản ánh, tố giác: đã loại bỏ / the reporter's identity: removed."
        ),
        f"Chỗ trong nội dung trùng thông tin người phản ánh, đã che: {result.masked} / masked in the text.",
        "",
    ]
    for entry in result.files:
        status = {
            scrub.CLEANED: "ĐÃ LÀM SẠCH / cleaned",
            scrub.NO_METADATA: "không có siêu dữ liệu / no metadata",
            scrub.UNVERIFIED: "CHƯA LÀM SẠCH, KHÔNG ĐƯA VÀO / NOT CLEANED, left out"
            if entry["file"] is None
            else "CHƯA LÀM SẠCH, trong unverified/ / NOT CLEANED, in unverified/",
        }[entry["status"]]
        lines.append(f"Tệp {entry['position']}: {entry['file'] or '(không xuất / not exported)'} — {entry['kind']}")
        lines.append(f"  Tình trạng / status: {status}")
        for item in entry["removed"]:
            lines.append(f"  Đã xóa / removed: {item}")
        for item in entry["notes"]:
            lines.append(f"  Ghi chú / note: {item}")
        if entry["declaration"]:
            lines.append(f"  Cảnh báo / warning: {entry['declaration']}")
    return {"manifest.json": as_json.encode("utf-8"), "manifest.txt": ("\n".join(lines) + "\n").encode("utf-8")}
