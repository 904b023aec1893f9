"""PROVISIONAL: the read side the window needs, until branch ops lands it as desk operations.

Everything here gathers what ``office list`` and ``office show`` already compute,
as data for the templates; it is to be replaced by ops' register/case/overview
operations (see /work/coord/ops-notes.md) and deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from intake_function import envelope, report

from .. import register, workflow
from ..register import audit, steps
from ..register.desk import Desk
from ..reports import lateness
from ..workflow import settings as settings_module
from ..workflow.clock import local_date, local_time, now_iso, today, vn_date


@dataclass
class Row:
    case: register.Case
    received: str
    channel: str
    category: str
    status: str
    track: str
    unit: str
    due: str
    overdue: bool
    attachments: int
    unread: int


def register_rows(desk: Desk, settings: settings_module.Settings) -> list[Row]:
    counts = register.attachment_counts(desk.db)
    unread = register.unread_followups(desk.db)
    owed = register.owed_notices(desk.db)
    day = today()
    rows = []
    for c in register.all_cases(desk.db):
        current = workflow.current_deadline(c, settings)
        late = any(d.due_on < day for d in workflow.deadlines(c, settings, owed.get(c.id, ())))
        rows.append(
            Row(
                case=c,
                received=local_time(c.received_at),
                channel=workflow.bilingual(workflow.CHANNELS, c.channel),
                category=report.category_label(c.category or "", "vi"),
                status=workflow.bilingual(workflow.STATUSES, c.status),
                track=workflow.bilingual(workflow.TRACKS, c.track),
                unit=c.unit or c.forwarded_to or "",
                due=vn_date(current.due_on) if current else "",
                overdue=late,
                attachments=counts.get(c.id, 0),
                unread=unread.get(c.id, 0),
            )
        )
    return rows


@dataclass
class CaseView:
    case: register.Case
    document: dict
    facts: list[tuple[str, str]]
    followups: list[tuple[str, str, list[str]]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    deadlines: list[tuple[str, str, int]] = field(default_factory=list)
    steps: list[tuple[str, str, str, str]] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    history: list[audit.Entry] = field(default_factory=list)
    next_step: str = ""


def case_view(desk: Desk, case: register.Case, identities: list, settings, who: str) -> CaseView:
    document = report.parse(envelope.decrypt(desk.store.get(case.body_key), identities))
    with register.transaction(desk.db):
        audit.append(desk.db, "view", who=who, reason="xem hồ sơ", case_number=case.number)
        register.mark_followups_read(desk.db, case.id, now_iso())
    facts = [
        ("Kênh / channel", workflow.bilingual(workflow.CHANNELS, case.channel)),
        ("Nhận lúc / received", local_time(case.received_at)),
        ("Loại / category", report.category_label(document["category"])),
        ("Trạng thái / status", workflow.bilingual(workflow.STATUSES, case.status)),
        ("Diện / track", workflow.bilingual(workflow.TRACKS, case.track)),
    ]
    for label, value in (
        ("Thời gian xảy ra / when", document.get("occurred")),
        ("Địa điểm / where", document.get("place")),
        ("Người, đơn vị liên quan / involved", document.get("persons_involved")),
        ("Đơn vị xử lý / unit", case.unit),
        ("Đã chuyển đến / forwarded to", case.forwarded_to),
        ("Kết quả, lý do / result or reason", case.outcome),
    ):
        if value:
            facts.append((label, value))
    view = CaseView(case, document, facts, next_step=workflow.next_step(case))
    for row in register.followups_of(desk.db, case.id):
        body = report.parse(envelope.decrypt(desk.store.get(row.body_key), identities), accept=(report.FOLLOWUP_ID,))
        view.followups.append(
            (local_time(row.received_at), body["message"], [a["name"] for a in body.get("attachments", [])])
        )
    notices = register.notices_of(desk.db, case.id)
    for notice in notices:
        state = local_time(notice.given_at) if notice.given_at else "CHƯA thông báo / not yet given"
        view.notices.append(f"{workflow.notice_label(notice)}: {state}")
    for due in workflow.deadlines(case, settings, [n for n in notices if n.given_at is None]):
        view.deadlines.append((due.label, vn_date(due.due_on), due.days_left(today())))
    office = settings.report["compiled_by"]
    history = steps.of_case(desk.db, case.id)
    for row in history:
        rule = settings.denunciation if row.step == steps.RESOLVE else settings.deadlines.get(row.step)
        label = rule.label if rule else workflow.bilingual(workflow.STATUSES, row.step)
        until = vn_date(local_date(row.ended_at)) if row.ended_at else "nay / now"
        view.steps.append((vn_date(local_date(row.held_from)), until, label, row.unit or office))
    for item in lateness.late_steps(case, history, notices, settings, today(), office):
        view.late.append(f"{item.label} ({item.owner}): hạn / due {vn_date(item.due_on)}, trễ {item.days_late} ngày")
    view.history = [e for e in audit.entries(desk.db, case.number)]
    return view


def next_report_date(day: date) -> date:
    for month in (6, 12):
        candidate = date(day.year, month, 5)
        if candidate >= day:
            return candidate
    return date(day.year + 1, 6, 5)
