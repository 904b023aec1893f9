"""One case read in full: decrypted in memory, its reporter's identity hidden, every view in the audit trail.

``view`` gathers what the Office sees of a case (``office show``, the window's case
page): the report without the reporter's identity, its attachments, what the
reporter added with the receipt code and what the Office answered, the notices,
the deadlines, the steps and who held each, the late steps as the half-year
report will count them, and the audit entries of the case. ``reveal`` is the only
way to the identity, recorded with who asked and why before anything is shown;
``original`` gives the report exactly as submitted (a disclosure when it names
the reporter); ``extract`` decrypts the attachments into a folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from intake_function import envelope, report

from .. import register, workflow
from ..export import ExportError, kinds
from ..export.extract import extract_case
from ..operation import (
    LONG_TEXT,
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
from ..reports import lateness
from ..workflow.clock import now_iso, today
from ..workflow.settings import Settings
from . import audit, contents, protection, steps
from .desk import Desk

# The report's own fields as the Office reads them (``office show``, the check before registering a case).
FACTS: tuple[tuple[str, str], ...] = (
    ("occurred", "Thời gian xảy ra / when"),
    ("place", "Địa điểm / where"),
    ("persons_involved", "Người, đơn vị liên quan / involved"),
)
HIDDEN = "(ẩn – dùng office reveal)"


@dataclass(frozen=True)
class Exchange:
    """One message through the receipt code: what the reporter added, or what the Office answered."""

    at: str
    document: dict  # a followup/1 (``reply`` is None) or a reply/1 document
    followup: register.Followup | None = None
    reply: register.ReplyRow | None = None


@dataclass(frozen=True)
class CaseView:
    case: register.Case
    document: dict  # the report, without the reporter's identity
    has_identity: bool  # the report names its reporter (``reveal`` shows who)
    exchanges: list[Exchange]  # in time order
    notices: list[register.Notice]
    deadlines: list[workflow.Due]
    next_step: str
    history: list[audit.Entry]  # every audit entry of the case, views included
    steps: list[steps.Step]
    late: list[lateness.Late]  # the late steps as of ``on``, with whose they were
    office: str  # who owns the Office's own steps (settings [report] compiled_by)
    settings: Settings
    on: date
    warnings: dict[str, list[str]] = field(default_factory=dict)  # attachment key -> what its content says
    measures: list[protection.Measure] = field(default_factory=list)  # measures protecting its reporter

    def warnings_of(self, item: dict) -> list[str]:
        """What the desk saw in an attachment when it was pulled, when it is not what its sender declared."""
        return self.warnings.get(item.get("key", ""), [])

    @property
    def attachments(self) -> list[dict]:
        return list(self.document.get("attachments", []))

    @property
    def changes(self) -> list[audit.Entry]:
        """The history of the case: what was done to it, not who looked at it."""
        return [e for e in self.history if e.action not in ("view", "view-full")]

    def step_label(self, row: steps.Step) -> str:
        rule = self.settings.denunciation if row.step == steps.RESOLVE else self.settings.deadlines.get(row.step)
        return rule.label if rule else workflow.bilingual(workflow.STATUSES, row.step)


VIEW = (Field("reason", "Lý do xem (ghi vào nhật ký)", "why, for the audit trail", default=""),)


def view(desk: Desk, reference: str, unlock: Unlock, *, who: str, reason: str = "") -> CaseView:
    """The case decrypted in memory; the view is recorded and its follow-ups marked as read."""
    case = find_case(desk, reference)
    identities = unlock()
    document = report.parse(decrypt_case(desk, case, identities))
    with register.transaction(desk.db):
        audit.append(desk.db, "view", who=who, reason=reason or "xem hồ sơ", case_number=case.number)
        register.mark_followups_read(desk.db, case.id, now_iso())
    return _view(desk, case, document, identities)


def _view(desk: Desk, case: register.Case, document: dict, identities: list) -> CaseView:
    settings = settings_of(desk)
    notices = register.notices_of(desk.db, case.id)
    history = steps.of_case(desk.db, case.id)
    office = settings.report["compiled_by"]
    on = today()
    has_identity = bool(document.get("reporter"))
    shown = {k: v for k, v in document.items() if k != "reporter"}
    talk = exchanges(desk, case, identities)
    items = list(document.get("attachments", []))
    items += [item for e in talk if e.followup for item in e.document.get("attachments", [])]
    return CaseView(
        case=case,
        document=shown,
        has_identity=has_identity,
        exchanges=talk,
        notices=notices,
        deadlines=workflow.deadlines(case, settings, [n for n in notices if n.given_at is None]),
        next_step=workflow.next_step(case),
        history=audit.entries(desk.db, case.number),
        steps=history,
        late=sorted(lateness.late_steps(case, history, notices, settings, on, office), key=lambda item: item.sort_key),
        office=office,
        settings=settings,
        on=on,
        warnings=content_warnings(desk, items),
        measures=protection.measures(desk.db, case.id),
    )


# Said of a file whose content could run code when opened (``export.kinds``: HTML, SVG, scripts, macros...).
ACTIVE = "mở tệp này có thể chạy mã lệnh; chỉ xem bằng trình soạn thảo / opening it may run code: view it as text"


def content_warnings(desk: Desk, items: list[dict]) -> dict[str, list[str]]:
    """For each attachment whose content, as seen when it was pulled, is not what its sender declared (or could
    run code): what to warn of, without decrypting anything."""
    seen = contents.of(desk.db, [item["key"] for item in items])
    found: dict[str, list[str]] = {}
    for item in items:
        kind = kinds.by_code(seen.get(item["key"]))
        if kind is None:
            continue
        said = [kinds.disagreement(kind, item.get("type"), item.get("name"))]
        if kind.active:
            said.append(f"{kind.label}: {ACTIVE}")
        if said := [text for text in said if text]:
            found[item["key"]] = said
    return found


def followups(desk: Desk, case: register.Case, identities: list) -> list[tuple[register.Followup, dict]]:
    """The follow-ups joined to a case, decrypted (in memory)."""
    found = []
    for row in register.followups_of(desk.db, case.id):
        plaintext = envelope.decrypt(desk.store.get(row.body_key), identities)
        found.append((row, report.parse(plaintext, accept=(report.FOLLOWUP_ID,))))
    return found


def exchanges(desk: Desk, case: register.Case, identities: list) -> list[Exchange]:
    """What the reporter added with the receipt code, and what the Office answered, in time order."""
    events = [Exchange(row.received_at, document, followup=row) for row, document in followups(desk, case, identities)]
    for row in register.replies_of(desk.db, case.id):
        answer = report.parse(envelope.decrypt(desk.store.get(row.copy_key), identities), accept=(report.REPLY_ID,))
        events.append(Exchange(row.at, answer, reply=row))
    return sorted(events, key=lambda e: e.at)


def original(desk: Desk, reference: str, unlock: Unlock, *, who: str, reason: str = "") -> bytes:
    """The report exactly as submitted; when it names its reporter that is a disclosure, so it needs a reason."""
    case = find_case(desk, reference)
    plaintext = decrypt_case(desk, case, unlock())
    includes_identity = bool(report.parse(plaintext).get("reporter"))
    if includes_identity and not reason.strip():
        raise DeskError(
            f"hồ sơ {case.number} có danh tính người phản ánh: phải nêu lý do bằng --reason, hoặc xem dạng "
            "văn bản / the case carries the reporter's identity and --format json prints it: say why "
            "with --reason, or use the text format, which hides it"
        )
    audit.record(
        desk.db,
        "view-full",
        who=who,
        reason=reason or "xem bản gốc (JSON)",
        case_number=case.number,
        details={"format": "json", "includes_identity": includes_identity},
    )
    return plaintext


# --- a follow-up that matches no case ------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingView:
    followup: register.UnmatchedFollowup
    document: dict
    plaintext: bytes  # as submitted (a follow-up carries no identity)

    @property
    def next_step(self) -> str:
        return f'office attach {self.followup.reference} SỐ-HỒ-SƠ --reason "..."'


def waiting(desk: Desk, reference: str) -> register.UnmatchedFollowup | None:
    """The follow-up kept for want of a case that ``reference`` names, if it names one."""
    return register.unmatched_by_reference(desk.db, reference)


def view_waiting(
    desk: Desk, kept: register.UnmatchedFollowup, unlock: Unlock, *, who: str, reason: str = "", fmt: str = "text"
) -> WaitingView:
    """What a reporter added with a receipt code no case has: read to find the case it belongs to."""
    identities = unlock()
    try:
        plaintext = envelope.decrypt(desk.store.get(kept.body_key), identities)
        document = report.parse(plaintext, accept=(report.FOLLOWUP_ID,))
    except envelope.EnvelopeError as exc:
        raise DeskError(f"thông tin bổ sung / follow-up {kept.reference}: {exc}") from None
    audit.record(
        desk.db,
        "view",
        who=who,
        reason=reason or "xem thông tin bổ sung chưa khớp hồ sơ",
        details={"followup": kept.reference, "format": fmt},
    )
    return WaitingView(kept, document, plaintext)


# --- the reporter's identity ----------------------------------------------------------------------------

REPORTER_FIELDS = ("name", "phone", "email", "address", "contact")


REVEAL = (Field("reason", "Lý do cần biết danh tính (bắt buộc)", "why (required)", kind=LONG_TEXT, required=True),)
RECORDED = "Lần xem này đã được ghi vào nhật ký / this was recorded in the audit trail."


@dataclass(frozen=True)
class Revealed:
    case: register.Case
    reporter: dict[str, str]  # field -> value, only those given

    @property
    def heading(self) -> str:
        if not self.reporter:
            return f"Hồ sơ {self.case.number}: người phản ánh ẩn danh / the reporter is anonymous."
        return f"Hồ sơ {self.case.number}: danh tính người phản ánh — BẢO MẬT / reporter's identity — CONFIDENTIAL"

    def lines(self) -> list[str]:
        """What the Office reads: the heading, each field given, and that the view was recorded."""
        return [self.heading, *(f"  {label}: {value}" for label, value in self.labelled()), RECORDED]

    def labelled(self) -> list[tuple[str, str]]:
        """(label in both languages, value), in the report's order."""
        return [
            (f"{report.field_label(f'reporter.{name}')} / {report.field_label(f'reporter.{name}', 'en')}", value)
            for name in REPORTER_FIELDS
            if (value := self.reporter.get(name))
        ]


def reveal(desk: Desk, reference: str, reason: str, unlock: Unlock, *, who: str) -> Revealed:
    """Who reported a case: recorded in the audit trail (who asked, why) before anything is shown."""
    if not reason.strip():
        raise DeskError("phải nêu lý do cần biết danh tính / --reason must say why the identity is needed")
    case = find_case(desk, reference)
    document = report.parse(decrypt_case(desk, case, unlock()))
    reporter = document.get("reporter") or {}
    audit.record(
        desk.db, "reveal", who=who, reason=reason.strip(), case_number=case.number, details={"fields": sorted(reporter)}
    )
    return Revealed(case, {k: v for k, v in reporter.items() if v})


# --- attachments, decrypted into a folder -------------------------------------------------------------------


EXTRACT = (
    Field("out", "Thư mục", "folder", kind=OUT_FOLDER, required=True),
    TRAIL_REASON,
)


def extract(desk: Desk, reference: str, out: Path, unlock: Unlock, *, who: str, reason: str = "") -> Done:
    """Decrypt a case's attachments (and its follow-ups') into the new folder ``out``, all or none
    (``export.extract``); ``Done.out`` lists the files, ``Done.lines`` what to beware of in them."""
    case = find_case(desk, reference)
    identities = unlock()
    document = report.parse(decrypt_case(desk, case, identities))
    try:
        extracted = extract_case(desk, case, document, identities, out, who=who, reason=reason)
    except ExportError as exc:
        raise DeskError(str(exc)) from None
    done = Done(case=case, value=extracted)
    for item in extracted:
        done.out.append(str(item.path))
        if item.kind.active:
            done.say(f"  CẢNH BÁO / WARNING: {item.kind.label}: {ACTIVE}")
        if item.mismatch:
            done.say(f"  CẢNH BÁO / WARNING: {' '.join(item.mismatch.split())}")
    return done
