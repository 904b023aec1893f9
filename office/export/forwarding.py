"""``office export``, the operation: the package for the competent authority, or for one of the Board's units.

What it goes with follows its purpose (``export.transfer.purpose_of``): a denunciation transferred carries the
denouncer's identity in a separate part marked MẬT, so that the authority can accept it; a report forwarded
carries its reporter's identity only with their consent; a package for a unit of the Board, never.

The case is decrypted in memory; ``export.export_case`` writes its text with the
reporter's details masked, its attachments with their metadata removed (``export.scrub``,
within bounds), and a manifest of what was removed, into a new folder that appears whole or
not at all, after its audit entry. A file that cannot be cleaned is listed and left out, or
copied apart with ``include_unverified``.
"""

from __future__ import annotations

from pathlib import Path

from intake_function import report

from .. import export, register
from ..operation import (
    FLAG,
    OUT_FOLDER,
    TRAIL_REASON,
    DeskError,
    Done,
    Field,
    Unlock,
    decrypt_case,
    find_case,
    settings_of,
)
from ..register.desk import Desk
from ..safe_text import for_terminal
from . import transfer

EXPORT = (
    Field("out", "Thư mục mới", "a new, empty folder", kind=OUT_FOLDER, required=True),
    Field(
        "include_unverified",
        "Chép cả tệp không làm sạch được vào unverified/",
        "also copy files that could not be cleaned",
        kind=FLAG,
    ),
    Field(
        "consent",
        "Phản ánh chuyển cơ quan khác: người phản ánh đồng ý chuyển danh tính (ghi cách, ngày đồng ý)",
        "a report forwarded: the reporter agreed to pass their identity on (how, when)",
    ),
    TRAIL_REASON,
)


def export_case(
    desk: Desk,
    reference: str,
    unlock: Unlock,
    *,
    out: Path,
    include_unverified: bool = False,
    consent: str | None = None,
    reason: str = "",
    who: str,
) -> Done:
    """Write the package into ``out`` (a new folder; ``export.export_case``: whole or nothing, audited first).

    ``Done.out`` names the folder, ``Done.value`` is the export; the lines say what became of each file.
    """
    case = find_case(desk, reference)
    try:  # refused before the passphrase is asked
        purpose = transfer.purpose_of(case, register.notices_of(desk.db, case.id), consent)
    except transfer.TransferError as exc:
        raise DeskError(str(exc)) from None
    identities = unlock()
    document = report.parse(decrypt_case(desk, case, identities))
    if purpose.consent and not (document.get("reporter") or {}):
        raise DeskError(f"hồ sơ {case.number} không có danh tính người phản ánh / the case carries no identity")
    try:
        result = export.export_case(
            desk,
            case,
            document,
            identities,
            out,
            include_unverified=include_unverified,
            who=who,
            reason=reason,
            purpose=purpose,
            settings=settings_of(desk).report,
        )
    except export.ExportError as exc:
        raise DeskError(str(exc)) from None
    done = Done(case=case, out=[str(out)], value=result)
    for entry in result.files:
        done.say(f"  {entry['file'] or '(không xuất / left out)'}: {entry['status']}")
        shown = [*(entry["notes"] if entry["status"] == "unverified" else []), entry["declaration"]]
        done.say(*(f"    {for_terminal(note, single_line=True)}" for note in filter(None, shown)))
    if result.unverified:
        done.say(
            f"CẢNH BÁO / WARNING: {len(result.unverified)} tệp không làm sạch được (xem manifest.txt) / "
            "file(s) could not be cleaned (see manifest.txt)"
        )
    if result.masked:
        done.say(f"Đã che {result.masked} chỗ trùng thông tin người phản ánh trong nội dung / masked in the text")
    if result.identity:
        done.say(
            f"Phần riêng có danh tính {purpose.person} — MẬT: gửi riêng, theo quy định bảo mật / the identity part is "
            "confidential: send it apart, as confidential documents are sent"
        )
    return done.next(
        "đọc lại nội dung trước khi chuyển: người phản ánh có thể tự nêu danh tính / read the text before "
        "sending: the reporter may have named themselves"
    )
