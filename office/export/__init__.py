"""The package sent to the competent authority, or to a unit: the case, files without metadata.

    <out>/ho-so-2026-0001.docx     the case in Vietnamese: category, dates, description, place, persons
    <out>/ho-so-2026-0001.txt      the same as plain text
    <out>/tai-lieu/tep-01.jpg ...  the attachments, cleaned by ``scrub`` and renamed (names can identify)
    <out>/manifest.json, .txt      what was removed from each file, and what could not be cleaned
    <out>/unverified/              only with --include-unverified: files that could not be cleaned,
                                   exactly as received, for the Office to check by hand

Files that cannot be cleaned are left out by default, and listed: a folder
that is forwarded whole must not carry an uncleaned photo by accident.

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
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from intake_function import report

from ..workflow.clock import local_date, today, vn_date
from . import scrub, transfer

MASK = "[đã che]"
TEXT_FIELDS = ("occurred", "place", "persons_involved", "description")


@dataclass
class Exported:
    folder: Path
    files: list[dict[str, Any]] = field(default_factory=list)
    masked: int = 0
    identity: list[str] = field(default_factory=list)  # the fields of the separate identity part, if any
    purpose: transfer.Purpose | None = None

    @property
    def unverified(self) -> list[dict[str, Any]]:
        return [f for f in self.files if f["status"] == scrub.UNVERIFIED]


def _extension(cleaned: scrub.Result, original_name: str) -> str:
    """The cleaner's extension; plain text keeps its own (.csv, .md...) when that is a plain short suffix."""
    suffix = Path(original_name).suffix.lower()
    if cleaned.status == scrub.NO_METADATA and cleaned.extension == ".txt" and re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        return suffix
    return cleaned.extension


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
    return "\n".join(lines) + "\n"


def _write_docx(path: Path, text: str, settings: dict[str, Any] | None) -> None:
    """The case text as the Board's document (``transfer.package_docx``), or plain when no settings are given."""
    from ..layout import finish_package, page_setup

    if settings is not None:
        path.write_bytes(transfer.package_docx(text.rstrip("\n").split("\n"), settings, today()))
        return
    from docx import Document

    document = Document()
    page_setup(document)
    lines = text.rstrip("\n").split("\n")
    document.add_paragraph().add_run(lines[0]).bold = True
    for line in lines[1:]:
        document.add_paragraph(line)
    # Titled by its heading, authored by no one (it leaves the Board), nothing left of the template.
    finish_package(document, title=lines[0], author="")
    document.save(str(path))


def build(
    out: Path,
    number: str,
    document: dict[str, Any],
    received_at: str,
    attachments: list[tuple[dict[str, Any], bytes]],
    *,
    include_unverified: bool,
    purpose: transfer.Purpose | None = None,
    settings: dict[str, Any] | None = None,
) -> Exported:
    """Write the package into ``out`` (which must be empty or absent); return what was written.

    ``purpose`` (``transfer.purpose_of``) says what it is for and whether the identity part goes with it;
    ``settings`` (settings.toml [report]) lays its documents out as the Board's.
    """
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"thư mục {out} không trống; chọn thư mục mới / {out} is not empty; choose a new folder")
    out.mkdir(parents=True, exist_ok=True)
    result = Exported(out)
    fields, result.masked = mask_identity(document)
    for position, (reference, data) in enumerate(attachments, start=1):
        cleaned = scrub.clean(data)
        name = f"tep-{position:02d}{_extension(cleaned, reference.get('name', ''))}"
        entry: dict[str, Any] = {
            "file": f"tai-lieu/{name}",
            "position": position,
            "declared_type": reference.get("type"),
            "kind": cleaned.kind,
            "status": cleaned.status,
            "removed": cleaned.removed,
            "notes": cleaned.notes,
        }
        if cleaned.status != scrub.UNVERIFIED and cleaned.data is not None:
            target = out / "tai-lieu" / name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(cleaned.data)
            entry.update(size=len(cleaned.data), sha256=hashlib.sha256(cleaned.data).hexdigest())
        elif include_unverified:
            target = out / "unverified" / name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data)
            entry.update(file=f"unverified/{name}", size=len(data), sha256=hashlib.sha256(data).hexdigest())
        else:
            entry.update(file=None)
        result.files.append(entry)
    listed = [f["file"].split("/")[-1] for f in result.files if f["file"] and f["status"] != scrub.UNVERIFIED]
    text = case_text(number, document["category"], local_date(received_at), fields, listed, purpose)
    (out / f"ho-so-{number}.txt").write_text(text, encoding="utf-8")
    _write_docx(out / f"ho-so-{number}.docx", text, settings)
    if purpose is not None and purpose.with_identity:
        result.identity = transfer.identity_fields(document.get("reporter") or {})
        lines = transfer.identity_lines(number, document.get("reporter") or {}, purpose)
        name = transfer.IDENTITY_FILE if purpose.code == "denunciation" else transfer.REPORTER_FILE
        (out / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        if settings is not None:
            (out / f"{name}.docx").write_bytes(
                transfer.package_docx(lines, settings, today(), confidential=True, signed=False)
            )
    result.purpose = purpose
    if include_unverified and result.unverified:
        (out / "unverified" / "README.txt").write_text(
            "CHƯA LÀM SẠCH: các tệp trong thư mục này có thể chứa siêu dữ liệu nhận dạng người phản ánh "
            "(tên tác giả, vị trí GPS...). Kiểm tra thủ công; không chuyển đi nếu chưa làm sạch.\n"
            "NOT CLEANED: these files may carry metadata that identifies the reporter. Check them by hand.\n",
            encoding="utf-8",
        )
    _write_manifest(result, number)
    return result


def _write_manifest(result: Exported, number: str) -> None:
    purpose = result.purpose
    manifest = {
        "case": number,
        "purpose": purpose.code if purpose else None,
        "reporter_identity": "separate-confidential-part" if result.identity else "removed",
        "identity_fields": result.identity,
        "masked_in_text": result.masked,
        "files": result.files,
    }
    (result.folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
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
    (result.folder / "manifest.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
