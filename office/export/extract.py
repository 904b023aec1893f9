"""``office extract``: a case's attachments decrypted into a new folder, for the Office to look at.

The files are written as they came (metadata included: this is the Office's own copy, not a
package to forward), each under a name made safe by ``safe_text.file_name``: numbered in the
order of the case, no separator or device name, no longer than a Windows path allows, and never
with an extension that runs something when opened (``bang-chung.hta`` becomes
``01-bang-chung.hta.txt``). What each file really is comes from its content (``kinds``); when
that does not fit the type or name the reporter declared, the desk says so.

The folder appears whole or not at all, after the audit entry (``folder.building``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from intake_function import envelope, report

from .. import register
from ..register import audit
from ..register.desk import Desk
from ..safe_text import file_name
from . import folder, kinds
from .package import ExportError, check_new_folder, into_new_folder, read_attachment


@dataclass(frozen=True)
class Extracted:
    path: Path  # where it is once the folder is in place
    kind: kinds.Kind
    mismatch: str | None  # what in its declaration does not fit its content


def attachments_of(desk: Desk, case: register.Case, document: dict, identities: list) -> list[dict]:
    """The case's attachments, then those of its follow-ups, in the order they came."""
    items = list(document.get("attachments", []))
    for row in register.followups_of(desk.db, case.id):
        try:
            followup = report.parse(envelope.decrypt(desk.store.get(row.body_key), identities), (report.FOLLOWUP_ID,))
        except (envelope.EnvelopeError, report.ReportError) as exc:
            raise ExportError(f"không đọc được thông tin bổ sung / a follow-up cannot be read: {exc}") from None
        items += followup.get("attachments", [])
    return items


def extract_case(
    desk: Desk, case: register.Case, document: dict, identities: list, out: Path, *, who: str, reason: str
) -> list[Extracted]:
    """Decrypt every attachment of the case into the new folder ``out``; all of them or none."""
    check_new_folder(out)
    items = attachments_of(desk, case, document, identities)

    def record() -> None:
        audit.record(
            desk.db,
            "extract",
            who=who,
            reason=reason or "giải mã tệp đính kèm",
            case_number=case.number,
            details={"files": len(items), "metadata_kept": True},
        )

    done = []
    with into_new_folder(desk, out, record, {"command": "extract", "case": case.number}) as temporary:
        for number, item in enumerate(items, start=1):
            data = read_attachment(desk, item["key"], identities)
            kind = kinds.recognise(data, item["name"])
            name = f"{number:02d}-{file_name(item['name'], text=kind.text)}"
            folder.write_file(temporary, name, data)
            done.append(Extracted(out.absolute() / name, kind, kinds.disagreement(kind, item["type"], item["name"])))
    return done
