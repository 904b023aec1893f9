"""``office export``, the operation: the package for the competent authority, without the reporter's identity.

The case is decrypted in memory; ``export.build`` writes its text with the reporter's
details masked, its attachments with their metadata removed (``export.scrub``), and a
manifest of what was removed. A file that cannot be cleaned is listed and left out, or
copied apart with ``include_unverified``. The export is recorded in the audit trail.
"""

from __future__ import annotations

import io
from pathlib import Path

from intake_function import envelope, report

from .. import export
from ..operation import FLAG, OUT_FOLDER, TRAIL_REASON, DeskError, Done, Field, Unlock, decrypt_case, find_case
from ..register import audit
from ..register.desk import Desk

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
    """Write the package into ``out`` (a new folder); ``Done.out`` names it, ``Done.value`` is the export."""
    case = find_case(desk, reference)
    identities = unlock()
    document = report.parse(decrypt_case(desk, case, identities))
    attachments = []
    for item in document.get("attachments", []):
        sink = io.BytesIO()
        try:
            with desk.store.open_read(item["key"]) as source:
                envelope.decrypt_stream(source, sink, identities)
        except (OSError, envelope.EnvelopeError) as exc:
            raise DeskError(
                f"không đọc được tệp đính kèm {item['key']} / the attachment cannot be read: {exc}"
            ) from None
        attachments.append((item, sink.getvalue()))
    try:
        result = export.build(
            out, case.number, document, case.received_at, attachments, include_unverified=include_unverified
        )
    except FileExistsError as exc:
        raise DeskError(str(exc)) from None
    audit.record(
        desk.db,
        "export",
        who=who,
        reason=reason or (f"chuyển {case.forwarded_to}" if case.forwarded_to else "xuất hồ sơ để chuyển"),
        case_number=case.number,
        details={
            "files": len(result.files),
            "unverified": len(result.unverified),
            "unverified_included": include_unverified,
            "masked_in_text": result.masked,
        },
    )
    done = Done(case=case, out=[str(result.folder)], value=result)
    done.say(*(f"  {entry['file'] or '(không xuất / left out)'}: {entry['status']}" for entry in result.files))
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
