"""What the Office records besides cases: the activities of the plan, and confidentiality incidents.

Activities (a meeting, a training, a citizen reception session, a publication of the
channels, a commendation, a disciplinary measure...) are counted by the half-year report
under the plan's tasks; a mistaken one is corrected or withdrawn with a reason, never
erased (``activities``). Incidents are the occasions where a reporter's information was,
or may have been, disclosed; their number goes in the half-year report. Every record has
its audit entry.
"""

from __future__ import annotations

import difflib
from datetime import date

from ..operation import CHOICE, DATE, FLAG, LONG_TEXT, NUMBER, DeskError, Done, Field, find_case, settings_of
from ..reports import half_year
from ..workflow import plan
from ..workflow.clock import local_time, now_iso, parse_day, today, vn_date
from . import activities, units
from . import incidents as incidents_store
from .activities import Activity, ActivityError
from .desk import Desk

TASK_HELP = (
    "Nhiệm vụ của Kế hoạch, mục II: "
    + "; ".join(f"{n} = {t.short}" for n, t in plan.TASKS.items())
    + " / task of the plan, part II: "
    + "; ".join(f"{n} = {t.title_en}" for n, t in plan.TASKS.items())
)
KIND_HELP = "Hình thức / kind: " + ", ".join(f"{code} ({vi.lower()})" for code, (vi, _) in plan.KINDS.items())
TASKS = {str(n): (t.title, t.title_en) for n, t in plan.TASKS.items()}
NEW_UNIT = Field("new_unit", "Đơn vị chưa có trong sổ", "a unit not yet known", kind=FLAG)

ACTIVITY = (
    Field(
        "task", "Nhiệm vụ của Kế hoạch", "task of the plan", kind=CHOICE, choices=TASKS, required=True, text=TASK_HELP
    ),
    Field("held", "Ngày thực hiện", "when", kind=DATE, required=True, hint="(dd/mm/yyyy)", option="--date"),
    Field(
        "what",
        "Nội dung, không ghi danh tính người phản ánh",
        "what was done, no identity",
        kind=LONG_TEXT,
        required=True,
    ),
    Field("kind", "Hình thức", "kind", kind=CHOICE, choices=plan.KINDS, default="other", text=KIND_HELP),
    Field("people", "Số người tham dự, liên quan", "number of people", kind=NUMBER),
    Field(
        "unit",
        "Phòng, đơn vị thực hiện hoạt động, không phải đơn vị được kiểm tra (mặc định Văn phòng Ban); đơn vị được "
        "kiểm tra ghi trong nội dung",
        "the unit that did it, not the one checked (that goes in what was done)",
    ),
    NEW_UNIT,
)
ACTIVITY_EDIT = (
    Field("task", "Nhiệm vụ của Kế hoạch", "task of the plan", kind=CHOICE, choices=TASKS, text=TASK_HELP),
    Field("held", "Ngày thực hiện", "when", kind=DATE, hint="(dd/mm/yyyy)", option="--date"),
    Field("what", "Nội dung", "what was done", kind=LONG_TEXT),
    Field("kind", "Hình thức", "kind", kind=CHOICE, choices=plan.KINDS, text=KIND_HELP),
    Field("people", "Số người", "number of people", kind=NUMBER),
    Field("unit", "Phòng, đơn vị", "the unit"),
    NEW_UNIT,
    Field("reason", "Lý do sửa (ghi vào nhật ký)", "why, for the audit trail", kind=LONG_TEXT, required=True),
)
ACTIVITY_REMOVE = (
    Field("reason", "Lý do hủy (ghi vào nhật ký)", "why, for the audit trail", kind=LONG_TEXT, required=True),
)
ACTIVITY_LIST = (
    Field("period", "Chỉ kỳ này", "only this period", hint="(2026-H2)"),
    Field("task", "Chỉ nhiệm vụ này", "only this task", kind=CHOICE, choices=TASKS),
    Field("unit", "Chỉ đơn vị này", "only this unit"),
    Field("everything", "Cả hoạt động đã hủy", "withdrawn ones too", kind=FLAG, option="--all"),
)


def _task(value: int | str | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    try:
        return plan.task_number(str(value))
    except ValueError as exc:
        raise DeskError(str(exc)) from None


def _day(text: str) -> date:
    try:
        return parse_day(text)
    except ValueError as exc:
        raise DeskError(str(exc)) from None


def _unit(desk: Desk, unit: str | None, new_unit: bool) -> str:
    """The unit that did it (the Office by default); a near miss of a known unit is refused as a typo."""
    settings = settings_of(desk)
    if not unit:
        return settings.report["compiled_by"]
    unit = " ".join(unit.split())
    known = units.known(desk.db, settings.units) | {settings.report["compiled_by"]}
    if unit in known or new_unit:
        return unit
    close = difflib.get_close_matches(unit, sorted(known), n=3, cutoff=0.75)
    if close:
        raise DeskError(
            f"đơn vị {unit!r} chưa có; có phải / did you mean: {', '.join(close)}? Nếu đúng là đơn vị mới, "
            "thêm --new-unit / if it really is a new unit, add --new-unit"
        )
    return unit


def add_activity(
    desk: Desk,
    *,
    task: int | str,
    held: str,
    what: str,
    kind: str = "other",
    people: int | None = None,
    unit: str | None = None,
    new_unit: bool = False,
    who: str,
) -> Done:
    """Record an activity of the plan; ``Done.out`` is its number, ``Done.value`` the activity."""
    try:
        done = activities.add(
            desk.db,
            task=_task(task),
            kind=kind,
            held_on=_day(held),
            what=what,
            people=people,
            unit=_unit(desk, unit, new_unit),
            who=who,
        )
    except ActivityError as exc:
        raise DeskError(str(exc)) from None
    recorded = Done(out=[str(done.id)], value=done).say(
        f"Đã ghi hoạt động số {done.id} (nhiệm vụ {done.task}, {vn_date(done.held_on)}, {done.unit}) "
        f"/ activity {done.id} recorded"
    )
    return recorded.next("office activity list; số liệu có trong báo cáo 6 tháng / counted in the half-year report")


def correct_activity(
    desk: Desk,
    activity_id: int,
    *,
    reason: str,
    task: int | str | None = None,
    held: str | None = None,
    what: str | None = None,
    kind: str | None = None,
    people: int | None = None,
    unit: str | None = None,
    new_unit: bool = False,
    who: str,
) -> Done:
    """Correct an activity recorded wrong; the audit trail keeps the values it had."""
    try:
        done = activities.correct(
            desk.db,
            activity_id,
            who=who,
            reason=reason,
            task=_task(task),
            kind=kind,
            held_on=_day(held) if held else None,
            what=what,
            people=people,
            unit=_unit(desk, unit, new_unit) if unit else None,
        )
    except ActivityError as exc:
        raise DeskError(str(exc)) from None
    return Done(value=done).say(f"Đã sửa hoạt động số {done.id} / activity {done.id} corrected")


def withdraw_activity(desk: Desk, activity_id: int, *, reason: str, who: str) -> Done:
    """Leave a mistaken activity out of the reports; it stays in the register and the audit trail."""
    try:
        done = activities.withdraw(desk.db, activity_id, who=who, reason=reason)
    except ActivityError as exc:
        raise DeskError(str(exc)) from None
    return Done(value=done).say(f"Đã hủy hoạt động số {done.id} / activity {done.id} withdrawn")


def list_activities(
    desk: Desk,
    *,
    period: str | None = None,
    task: int | str | None = None,
    unit: str | None = None,
    everything: bool = False,
) -> list[Activity]:
    """The activities held in ``period`` (2026-H2, as the report counts it), of a task or a unit, oldest first."""
    start = end = None
    if period:
        try:
            chosen = half_year.half_year(period, settings_of(desk))
        except ValueError as exc:
            raise DeskError(str(exc)) from None
        start, end = chosen.start, chosen.end
    return activities.listed(
        desk.db,
        start=start,
        end=end,
        unit=" ".join(unit.split()) if unit else None,
        task=_task(task),
        include_withdrawn=everything,
    )


NO_ACTIVITY = (
    "Chưa có hoạt động nào được ghi nhận / no activity recorded. "
    'Tiếp theo / next: office activity add --task 1 --date dd/mm/yyyy --what "..."'
)


def activity_line(a: Activity) -> str:
    people = "-" if a.people is None else str(a.people)
    state = f"  [ĐÃ HỦY / withdrawn: {_one_line(a.removed_reason or '')}]" if a.removed else ""
    return (
        f"{a.id:>4}  {vn_date(a.held_on)}  NV {a.task}  {plan.kind_label(a.kind)}  "
        f"{_one_line(a.unit)}  {people}  {_one_line(a.what)}{state}"
    )


def activity_record(a: Activity) -> dict:
    return {
        "id": a.id,
        "task": a.task,
        "kind": a.kind,
        "date": a.held_on.isoformat(),
        "what": a.what,
        "people": a.people,
        "unit": a.unit,
        "recorded_by": a.recorded_by,
        "withdrawn": a.removed,
        "withdrawn_reason": a.removed_reason,
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- confidentiality incidents ----------------------------------------------------------------------------

INCIDENT = (
    Field("on", "Ngày xảy ra", "when", kind=DATE, required=True, hint="(dd/mm/yyyy)", option="--date"),
    Field("note", "Mô tả ngắn, không ghi danh tính", "short note, no identity", kind=LONG_TEXT, required=True),
    Field("case_number", "Hồ sơ liên quan", "related case", option="--case"),
)


Incident = incidents_store.Incident


def add_incident(desk: Desk, *, on: str, note: str, case_number: str | None = None, who: str) -> Done:
    """Record an incident where a reporter's information was, or may have been, disclosed."""
    day = _day(on)
    if case_number:
        case_number = find_case(desk, case_number).number
    try:
        incidents_store.add(
            desk.db, occurred_on=day, note=note, case_number=case_number, who=who, now=now_iso(), today=today()
        )
    except incidents_store.IncidentError as exc:
        raise DeskError(str(exc)) from None
    done = Done().say(f"Đã ghi nhận sự cố ngày {vn_date(day)} / incident recorded.")
    return done.next(
        "báo cáo Lãnh đạo Ban; sự cố được đưa vào báo cáo 6 tháng của kỳ xảy ra, hoặc của kỳ này nếu báo cáo kỳ đó "
        "đã lập / it is counted in the half-year report of its period, or of this one if that report was made"
    )


def incidents(desk: Desk) -> list[Incident]:
    """Every incident recorded, by the day it happened."""
    return incidents_store.all_incidents(desk.db)


def reported_in(desk: Desk, found: list[Incident]) -> dict[int, str]:
    """Incident id -> the half-year whose report counts it: the one it happened in, or a later one if that
    period's final report was made before it was recorded (``half_year.reporting_period``)."""
    made = incidents_store.final_reports(desk.db)
    settings = settings_of(desk)
    return {item.id: half_year.reporting_period(item, settings, made).code for item in found}


NO_INCIDENT = "Chưa có sự cố nào được ghi nhận / no incident recorded."
INCIDENT_HEADER = "Xảy ra / happened  Ghi nhận / recorded  Báo cáo kỳ / reported in  Hồ sơ / case  Ghi chú / note"


def incident_line(item: Incident, period: str = "-") -> str:
    """One incident with both its dates (it happened, it was recorded) and the period whose report counts it."""
    return (
        f"{vn_date(item.occurred_on)}         {local_time(item.recorded_at)[:10]}          {period:<24}  "
        f"{item.case_number or '-'}  {_one_line(item.note)}"
    )
