"""``office export``, the operation: the package for the competent authority, without the reporter's identity.

The case is decrypted in memory; ``export.export_case`` writes its text with the
reporter's details masked, its attachments with their metadata removed (``export.scrub``,
within bounds), and a manifest of what was removed, into a new folder that appears whole or
not at all, after its audit entry. A file that cannot be cleaned is listed and left out, or
copied apart with ``include_unverified``.
"""

from __future__ import annotations

from pathlib import Path

from intake_function import report

from .. import export
from ..operation import FLAG, OUT_FOLDER, TRAIL_REASON, DeskError, Done, Field, Unlock, decrypt_case, find_case
from ..register.desk import Desk
from ..safe_text import for_terminal

EXPORT = (
    Field("out", "Thư mục mới", "a new, empty folder", kind=OUT_FOLDER, required=True),
    Field(
        "include_unverified",
        "Chép cả tệp không làm sạch được vào unverified/",
        "also copy files that could not be cleaned",
        kind=FLAG,
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
    reason: str = "",
    who: str,
) -> Done:
    """Write the package into ``out`` (a new folder; ``export.export_case``: whole or nothing, audited first).

    ``Done.out`` names the folder, ``Done.value`` is the export; the lines say what became of each file.
    """
    case = find_case(desk, reference)
    identities = unlock()
    document = report.parse(decrypt_case(desk, case, identities))
    try:
        result = export.export_case(
            desk, case, document, identities, out, include_unverified=include_unverified, who=who, reason=reason
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
    return done.next(
        "đọc lại nội dung trước khi chuyển: người phản ánh có thể tự nêu danh tính / read the text before "
        "sending: the reporter may have named themselves"
    )
