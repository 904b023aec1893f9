"""``office protect``, ``office protection`` and ``office unit-report``, the operations: the protection of
reporters, and the units' own half-year reports received.

Both record what the plan asks the Office to keep (``register/protection.py`` stores them): each stage
of a measure protecting a reporter (requested, decided, applied, declined, ended: by whom, when), and
the receipt of each unit's half-year report (Kế hoạch IV.3). The half-year report shows both (task 5;
the assessment). Each operation's inputs are declared once (the tuples of ``Field`` below): the
commands build their options from them, the window its forms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..operation import CHOICE, DATE, NUMBER, DeskError, Done, Field, find_case
from ..reports import half_year
from ..workflow.clock import now_iso, parse_day, today, vn_date
from . import protection
from .desk import Desk

T = TypeVar("T")

KINDS = protection.KINDS
STAGES = protection.STAGES
FIRST_STAGES = {code: STAGES[code] for code in ("requested", "decided")}

BY_WHOM = Field(
    "by_whom",
    "Người đề nghị, quyết định, áp dụng (chức vụ, cơ quan; không ghi danh tính người phản ánh)",
    "who requested, decided or applied it (a post, a body; never the reporter's identity)",
    required=True,
)
ON = Field("on", "Ngày", "the day", kind=DATE, hint="(dd/mm/yyyy; mặc định hôm nay / default today)")
NOTE = Field("note", "Ghi chú, số văn bản", "a note, a document's reference", default="")

MEASURE = (
    Field("kind", "Biện pháp", "kind", kind=CHOICE, choices=KINDS, required=True, spell=True),
    Field("what", "Nội dung biện pháp, không ghi danh tính", "what it is, no identity", required=True),
    Field(
        "stage",
        "Bước đầu tiên",
        "the first stage",
        kind=CHOICE,
        choices=FIRST_STAGES,
        default="requested",
        spell=True,
    ),
    BY_WHOM,
    ON,
    NOTE,
)
STAGE = (
    Field("measure", "Số biện pháp", "the measure's number", kind=NUMBER, required=True),
    Field("stage", "Bước", "stage", kind=CHOICE, choices=STAGES, required=True, spell=True),
    BY_WHOM,
    ON,
    NOTE,
)
PERIOD = Field("period", "Kỳ báo cáo", "period", required=True, hint="(2026-H1, 2026-H2)")
UNIT_REPORT = (
    Field("unit", "Phòng, đơn vị", "the unit", required=True),
    PERIOD,
    Field("on", "Ngày nhận", "the day it arrived", kind=DATE, hint="(dd/mm/yyyy; mặc định hôm nay / default today)"),
    Field("reference", "Số, ký hiệu văn bản", "the report's number"),
)
UNIT_REPORT_LIST = (PERIOD,)

NO_MEASURE = "Chưa có biện pháp bảo vệ nào / no protection measure recorded."
NO_UNIT_REPORT = "Chưa nhận báo cáo nào của kỳ này / no report received for this period."
HEADING = "Biện pháp bảo vệ / protection measures:"


def _day(text: str | None):
    try:
        return parse_day(text) if text else today()
    except ValueError as exc:
        raise DeskError(str(exc), field="on") from None


def add_measure(
    desk: Desk,
    reference: str,
    *,
    kind: str,
    what: str,
    stage: str = "requested",
    by_whom: str,
    on: str | None = None,
    note: str = "",
    who: str,
) -> Done:
    """Record a measure protecting the reporter of a case, with its first stage (requested or decided);
    ``Done.out`` and ``Done.value`` are its number."""
    case = find_case(desk, reference)
    day = _day(on)
    number = _recorded(
        protection.add_measure,
        desk,
        case_id=case.id,
        case_number=case.number,
        kind=kind,
        what=what,
        stage=stage,
        on=day,
        by_whom=by_whom,
        note=note,
        who=who,
    )
    done = Done(case=case, out=[str(number)], value=number)
    done.say(f"Đã ghi nhận biện pháp số {number} / measure {number} recorded ({case.number})")
    return done.next(
        f'office protection stage {number} --stage decided|applied --by-whom "..." (bước tiếp / next stage)'
    )


def add_stage(
    desk: Desk, *, measure: int, stage: str, by_whom: str, on: str | None = None, note: str = "", who: str
) -> Done:
    """Record the next stage of a measure (in the order ``protection.AFTER`` allows)."""
    day = _day(on)
    _recorded(
        protection.add_stage,
        desk,
        measure_id=measure,
        stage=stage,
        on=day,
        by_whom=by_whom,
        note=note,
        who=who,
    )
    found = next((m for m in protection.measures(desk.db) if m.id == measure), None)
    return Done(value=found).say(
        f"Biện pháp số {measure}: {STAGES[stage][0]} ngày {vn_date(day)} / measure {measure}: {stage}"
    )


def _recorded(record: Callable[..., T], desk: Desk, **values: object) -> T:
    """Call a register function of ``protection`` with the desk's clock; its refusals become the desk's."""
    try:
        return record(desk.db, now=now_iso(), today=today(), **values)
    except protection.ProtectionError as exc:
        raise DeskError(str(exc)) from None


def measures(desk: Desk, reference: str | None = None) -> list[protection.Measure]:
    """Every measure, or a case's."""
    return protection.measures(desk.db, find_case(desk, reference).id if reference else None)


def measure_lines(
    found: list[protection.Measure], clean: Callable[[str], str] = lambda text: " ".join(text.split())
) -> list[str]:
    """Each measure, then each of its stages: the lines of ``office protection list`` and of ``office show``.

    ``clean`` makes the clerk's words safe where they are shown (the terminal's, the page's)."""
    lines = []
    for item in found:
        lines.append(f"{item.id}  {item.case_number}  {KINDS[item.kind][0]}: {clean(item.what)}")
        for event in item.events:
            note = f" ({clean(event.note)})" if event.note else ""
            lines.append(f"    {vn_date(event.on)}  {STAGES[event.stage][0]} / {event.stage}: {clean(event.by)}{note}")
    return lines


def _period(text: str) -> str:
    try:
        year, half = half_year.year_and_half(text)
    except ValueError as exc:
        raise DeskError(str(exc), field="period") from None
    return f"{year}-H{half}"


def record_unit_report(
    desk: Desk, *, unit: str, period: str, on: str | None = None, reference: str | None = None, who: str
) -> Done:
    """Record that a unit's half-year report reached the Office (Kế hoạch IV.3)."""
    code = _period(period)
    day = _day(on)
    _recorded(
        protection.record_unit_report,
        desk,
        unit=unit,
        period=code,
        received_on=day,
        reference=reference,
        who=who,
    )
    return Done(value=code).say(f"Đã ghi nhận báo cáo {code} của {unit}, nhận ngày {vn_date(day)} / recorded")


def unit_reports(desk: Desk, *, period: str) -> list[protection.UnitReport]:
    """The units' reports received for a period, in the order they arrived."""
    found = protection.unit_reports(desk.db, _period(period))
    return sorted(found.values(), key=lambda r: (r.received_on, r.unit))


def unit_report_line(item: protection.UnitReport) -> str:
    return f"{vn_date(item.received_on)}  {' '.join(item.unit.split())}  {item.reference or '-'}"
