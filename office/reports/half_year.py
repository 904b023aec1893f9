"""The figures of the half-year report, counted from the register's clear metadata only.

The plan asks every unit for a report before 05/6 and 05/12 every year, so a
period ends at a cut-off before that day (settings.toml [periods]). This
module finds the period and counts its cases on each track (phản ánh,
kiến nghị; tố cáo đã thụ lý), the decisions on denunciations, the late steps
with their owners (``lateness``) and its activities of the plan, for the
Office or for one unit; ``content`` turns the figures into the
report's text, ``docx`` and ``text`` lay it out. Nothing here decrypts
anything: the report cannot contain a reporter's identity or a report's
content, because it never sees them.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from intake_function import report

from .. import register, workflow
from ..register import activities, audit, incidents, protection, steps
from ..register.activities import Activity
from ..workflow.clock import end_of_day, local_date, vn_date
from ..workflow.settings import Periods, Settings
from . import lateness
from .lateness import Late

PERIOD_RE = re.compile(r"([0-9]{4})-H([12])", re.IGNORECASE)  # used with fullmatch; ASCII digits only


@dataclass(frozen=True)
class Period:
    code: str
    start: date  # first day
    end: date  # first day after the cut-off
    deadline: date | None = None  # the plan's deadline for a half-year's report (IV.3)

    @property
    def last_day(self) -> date:
        """The cut-off: figures count what happened up to the end of this day."""
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        year, half = self.code.split("-H") if "-H" in self.code else (str(self.last_day.year), "")
        if half == "1":
            return f"6 tháng đầu năm {year}"
        if half == "2":
            return f"6 tháng cuối năm {year}"
        return f"từ ngày {vn_date(self.start)} đến ngày {vn_date(self.last_day)}"

    @property
    def span(self) -> str:
        return f"từ ngày {vn_date(self.start)} đến ngày {vn_date(self.last_day)}"

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def ended(self, today: date) -> bool:
        """A period has ended once its cut-off day is over."""
        return today > self.last_day


def year_and_half(code: str) -> tuple[int, int]:
    """The year and the half (1 or 2) a period code such as "2026-H2" names; ValueError in words if none."""
    match = PERIOD_RE.fullmatch(code.strip())
    if not match:
        raise ValueError(
            f"{code!r}: kỳ báo cáo phải có dạng 2026-H1 hoặc 2026-H2 / a period is like 2026-H1 or 2026-H2"
        )
    year, half = int(match.group(1)), int(match.group(2))
    if not 2000 <= year <= 2999:
        raise ValueError(f"{code!r}: năm không hợp lệ / not a plausible year")
    return year, half


def half_year(code: str, settings: Settings) -> Period:
    """``2026-H1`` or ``2026-H2`` (any case) under the settings' cut-offs.

    Each half-year ends at its cut-off and starts the day after the previous
    one's. With the default cut-offs (15/5 and 15/11, before the plan's
    deadlines of 05/6 and 05/12) the first half of 2026 runs from 16/11/2025
    to 15/5/2026.
    """
    year, half = year_and_half(code)
    periods = settings.periods
    if half == 1:
        start, last = _cutoff(periods, 2, year - 1) + timedelta(days=1), _cutoff(periods, 1, year)
    else:
        start, last = _cutoff(periods, 1, year) + timedelta(days=1), _cutoff(periods, 2, year)
    deadline = date(year, *(periods.h1_deadline if half == 1 else periods.h2_deadline))
    return Period(f"{year}-H{half}", start, last + timedelta(days=1), deadline)


def _cutoff(periods: Periods, half: int, year: int) -> date:
    """The cut-off of a half of ``year``; a second half may end in the next calendar year (old settings)."""
    first = date(year, *periods.h1_cutoff)
    if half == 1:
        return first
    second = date(year, *periods.h2_cutoff)
    return second if second > first else date(year + 1, *periods.h2_cutoff)


def period_of(day: date, settings: Settings) -> Period:
    """The half-year that contains ``day``."""
    for year in (day.year - 1, day.year, day.year + 1):
        for half in (1, 2):
            period = half_year(f"{year}-H{half}", settings)
            if period.contains(day):
                return period
    raise AssertionError(f"no half-year contains {day}")  # the halves tile the calendar


def custom_period(start: date, last_day: date) -> Period:
    if last_day < start:
        raise ValueError("kỳ báo cáo kết thúc trước khi bắt đầu / the period ends before it starts")
    return Period(f"{start.isoformat()}..{last_day.isoformat()}", start, last_day + timedelta(days=1))


def describe_periods(periods: Periods) -> str:
    """The periods as ``office settings`` prints them."""

    def day(month_day: tuple[int, int]) -> str:
        return f"{month_day[1]:02d}/{month_day[0]:02d}"

    text = (
        f"Kỳ báo cáo / periods: 6 tháng đầu năm chốt số liệu hết ngày {day(periods.h1_cutoff)}, gửi trước "
        f"{day(periods.h1_deadline)}; 6 tháng cuối năm chốt hết ngày {day(periods.h2_cutoff)}, gửi trước "
        f"{day(periods.h2_deadline)} (cut-offs; reports due before)"
    )
    if periods.legacy:
        text += (
            "\n    tệp dùng h1_start, h2_start (cách ghi cũ): nên thay bằng h1_cutoff, h2_cutoff "
            "/ the file uses the old h1_start, h2_start: replace them with h1_cutoff, h2_cutoff"
        )
    return text


@dataclass(frozen=True)
class Listed:
    """One row of a list of cases in the report: metadata only."""

    number: str
    received: date
    category: str
    status: str
    detail: str  # the authority (forwarded) or the status (protection)
    day: date  # forwarded on, or received on


# The decisions on a named denunciation that the law distinguishes (the notices they owe the denouncer).
DECISIONS = ("accepted", "not-accepted", "transferred")

# Why a case is in the period's annex: received in it, carried over from before, or another figure.
STANDINGS: dict[str, str] = {
    "new": "Tiếp nhận trong kỳ",
    "carried": "Kỳ trước chuyển sang",
    "other": "Có bước xử lý, quyết định trong kỳ",
}


@dataclass(frozen=True)
class CaseRow:
    """One case behind the report's figures (its annex), as it stood at the cut-off: metadata only."""

    number: str
    received: date
    standing: str  # STANDINGS
    channel: str
    category: str
    anonymous: bool
    competence: str | None
    track: str  # at the cut-off
    status: str  # at the cut-off
    unit: str | None
    unit_head: str | None
    forwarded_to: str | None
    forwarded_on: date | None  # within the period
    decisions: tuple[str, ...]  # decisions on the denunciation taken in the period (DECISIONS)
    accepted_on: date | None  # the thụ lý decision, by the cut-off
    closed_on: date | None  # by the cut-off
    flags: frozenset[str]
    leaders_informed: bool
    late: tuple[Late, ...]  # the late steps the figures count (a unit's report: the unit's own)

    @property
    def new(self) -> bool:
        return self.standing == "new"


@dataclass(frozen=True)
class IncidentRow:
    """A confidentiality incident counted in the period: the day it happened and the day it was recorded."""

    occurred: date
    recorded: date
    case_number: str | None
    late_found: bool  # recorded after the final report of the period it happened in was made


@dataclass(frozen=True)
class MeasureRow:
    """A protection measure as it stood at the cut-off: its stages up to then."""

    case_number: str
    kind: str
    what: str
    events: tuple  # protection.Event, up to the cut-off
    stage: str


# A unit's report never shows a count this small in a split (by named or anonymous, channel, month):
# one or two cases are enough to point at a reporter (content review M7).
SMALL = 3


@dataclass
class Figures:
    period: Period
    as_of: date
    total: int = 0
    anonymous: int = 0
    carried_over: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    # The cases received in the period, by track (phản ánh, tố cáo đã thụ lý) and status.
    by_track: dict[str, dict[str, int]] = field(default_factory=dict)
    within: int = 0
    outside: int = 0
    by_unit: dict[str, dict[str, int]] = field(default_factory=dict)
    unit_heads: dict[str, str] = field(default_factory=dict)
    per_month: dict[tuple[int, int], int] = field(default_factory=dict)
    forwarded: list[Listed] = field(default_factory=list)
    # Decisions on named denunciations taken in the period: thụ lý, không thụ lý, chuyển (DECISIONS).
    decisions: dict[str, int] = field(default_factory=dict)
    denunciations_concluded: int = 0  # accepted denunciations concluded in the period
    denunciations_open: int = 0  # accepted denunciations still being resolved at the cut-off
    # Every step late at the cut-off or done late in the period, each with its owner (``lateness``).
    late: list[Late] = field(default_factory=list)
    office: str = "Văn phòng Ban"  # the owner of the Office's own steps
    flagged: int = 0
    flagged_informed: int = 0
    disclosure_cases: int = 0
    retaliation_cases: int = 0
    # Confidentiality incidents counted in the period (see ``register.incidents``).
    incident_rows: list[IncidentRow] = field(default_factory=list)
    # Cases about retaliation (trù dập) and disclosure, for the protection section (task II.5).
    protection: list[Listed] = field(default_factory=list)
    # Protection measures with a stage by the cut-off, not ended before the period.
    measures: list[MeasureRow] = field(default_factory=list)
    # What else was done to carry out the plan, held in the period (task II.1 to II.5).
    activities: list[Activity] = field(default_factory=list)
    # The units' own reports for the period received by the Office (IV.3): unit -> day received.
    unit_reports: dict[str, date] = field(default_factory=dict)
    units_expected: list[str] = field(default_factory=list)  # the units that report to the Office
    # The annex: every case behind a figure.
    cases: list[CaseRow] = field(default_factory=list)
    unit: str | None = None  # a unit's own report, or None for the Office's summary
    made_on: date | None = None  # the day the figures were counted

    @property
    def incidents(self) -> int:
        return len(self.incident_rows)

    @property
    def confidentiality_incidents(self) -> int:
        return self.disclosure_cases + self.incidents

    @property
    def provisional(self) -> bool:
        """Made before the period's cut-off was over: the figures may still change."""
        return self.made_on is not None and not self.period.ended(self.made_on)

    @property
    def late_cases(self) -> int:
        return len({item.number for item in self.late})

    @property
    def late_done(self) -> int:
        """Late steps done (after their deadline)."""
        return sum(item.done_on is not None for item in self.late)

    @property
    def late_open(self) -> int:
        """Late steps still owed at the cut-off (overdue)."""
        return sum(item.open for item in self.late)

    def late_by_owner(self) -> list[tuple[str, str, int, int]]:
        """(owner, step, done late, not done): the Office first, then the units, then the resolver; steps in
        workflow order."""
        counts: dict[tuple[int, str, int, str], list[int]] = {}
        for item in self.late:
            key = (OWNER_ORDER.index(item.owner_kind), item.owner, lateness.ORDER.index(item.what), item.label)
            counts.setdefault(key, [0, 0])[item.done_on is None] += 1
        return [(owner, label, done, still) for (_, owner, _, label), (done, still) in sorted(counts.items())]

    def activities_of(self, task: int) -> list[Activity]:
        return [a for a in self.activities if a.task == task]

    def activities_by_unit(self) -> dict[str, Counter[int]]:
        """Unit -> activities per task: how the Office's summary adds up the units' reports."""
        out: dict[str, Counter[int]] = {}
        for item in self.activities:
            out.setdefault(item.unit, Counter())[item.task] += 1
        return dict(sorted(out.items()))

    def small(self, counts) -> bool:
        """Whether a split must be withheld: a unit's report, and a count of one or two in it."""
        return self.unit is not None and any(0 < count < SMALL for count in counts)


OWNER_ORDER = ("office", "unit", "resolver")

# Categories of report/1 that concern the protection of reporters themselves (task II.5).
PROTECTION_CATEGORIES = ("retaliation", "disclosure")


def months(period: Period) -> list[tuple[int, int]]:
    out, day = [], period.start.replace(day=1)
    while day < period.end:
        out.append((day.year, day.month))
        day = (day + timedelta(days=32)).replace(day=1)
    return out


def compute(
    db: sqlite3.Connection, settings: Settings, period: Period, today: date, unit: str | None = None
) -> Figures:
    """Count the cases of a period (received in it), the forwarded ones, the decisions on denunciations,
    the late steps and their owners, the incidents, the protection measures and the period's activities.

    Every case behind a figure is a row of the annex (``Figures.cases``), and every count over
    cases is made from those rows, so that the annex and the tables cannot disagree. With
    ``unit``, only that unit's cases (assigned to it), its own late steps and its activities
    count: its own report.
    """
    as_of = min(today, period.last_day)
    office = settings.report["compiled_by"]
    figures = Figures(period, as_of, unit=unit, made_on=today, office=office)
    figures.cases = annex(db, settings, period, today, unit)
    _count_cases(figures, settings)
    figures.incident_rows = _incidents(db, settings, period, as_of, unit, {row.number for row in figures.cases})
    figures.activities = activities.listed(db, start=period.start, end=period.end, unit=unit)
    if unit is None:
        figures.measures = _measures(db, period, as_of)
        # The units that report to the Office (IV.3): those of settings.toml, and any with a case or an activity.
        named = {
            *settings.units,
            *(row.unit for row in figures.cases if row.unit),
            *(a.unit for a in figures.activities),
        }
        figures.units_expected = sorted(named - {office})
        received = protection.unit_reports(db, period.code)
        figures.unit_reports = {name: item.received_on for name, item in received.items()}
    return figures


def annex(
    db: sqlite3.Connection, settings: Settings, period: Period, today: date, unit: str | None = None
) -> list[CaseRow]:
    """The cases behind a period's figures, as they stood at its cut-off: received in the period, carried
    over into it, or with a late step, a forwarding or a decision the period counts (``office list --period``
    lists the same cases)."""
    as_of = min(today, period.last_day)
    office = settings.report["compiled_by"]
    # A step that ended before the period cannot be late in it (a day's margin for the time zone).
    since = f"{(period.start - timedelta(days=1)).isoformat()}T00:00:00Z"
    history, notices = steps.by_case(db, since), register.notices_by_case(db)
    until = end_of_day(as_of)  # statuses and tracks as they stood when the figures were cut off
    rows = []
    for case in register.all_cases(db):
        received = local_date(case.received_at)
        if received > as_of:
            continue
        found = lateness.late_steps(
            case, history.get(case.id, ()), notices.get(case.id, ()), settings, as_of, office, since=period.start
        )
        late = tuple(item for item in found if unit is None or item.owner == unit)
        if unit is not None and case.unit != unit and not late:
            continue
        closed = local_date(case.closed_at) if case.closed_at else None
        forwarded = local_date(case.forwarded_at) if case.forwarded_at else None
        forwarded = forwarded if forwarded is not None and period.start <= forwarded <= as_of else None
        decisions = tuple(
            n.about
            for n in notices.get(case.id, ())
            if n.recipient == "denouncer" and n.about in DECISIONS and period.start <= local_date(n.decided_at) <= as_of
        )
        accepted = local_date(case.accepted_at) if case.accepted_at else None
        accepted = accepted if accepted is not None and accepted <= as_of else None
        if received >= period.start:
            standing = "new"
        elif closed is None or closed >= period.start:
            standing = "carried"
        elif late or forwarded or decisions:
            standing = "other"
        else:
            continue
        status, track = standing_of(db, case, history.get(case.id, ()), until)
        rows.append(
            CaseRow(
                number=case.number,
                received=received,
                standing=standing,
                channel=case.channel,
                category=case.category or "other",
                anonymous=case.anonymous,
                competence=case.competence,
                track=track,
                status=status,
                unit=case.unit,
                unit_head=case.unit_head,
                forwarded_to=case.forwarded_to if forwarded else None,
                forwarded_on=forwarded,
                decisions=decisions,
                accepted_on=accepted if track == "denunciation" else None,
                closed_on=closed if closed is not None and closed <= as_of else None,
                flags=case.flag_set,
                leaders_informed=case.leaders_informed_at is not None,
                late=tuple(sorted(late, key=lambda item: item.sort_key)),
            )
        )
    return rows


def _count_cases(figures: Figures, settings: Settings) -> None:
    """Every figure about cases, from the annex's rows."""
    period, unit = figures.period, figures.unit
    figures.by_channel = dict.fromkeys(workflow.CHANNELS, 0)
    figures.by_category = dict.fromkeys(report.categories(), 0)
    figures.by_status = dict.fromkeys(workflow.STATUSES, 0)
    figures.by_track = {track: dict.fromkeys(workflow.STATUSES, 0) for track in workflow.TRACKS}
    figures.per_month = dict.fromkeys(months(period), 0)
    figures.decisions = dict.fromkeys(DECISIONS, 0)
    units: dict[str, Counter] = {}
    mine = [row for row in figures.cases if unit is None or row.unit == unit]
    for row in figures.cases:
        figures.late += row.late
    for row in mine:
        for about in row.decisions:
            figures.decisions[about] += 1
        if row.forwarded_on is not None:
            item = Listed(row.number, row.received, row.category, row.status, row.forwarded_to or "", row.forwarded_on)
            figures.forwarded.append(item)
        if row.accepted_on is not None:
            if row.closed_on is not None:
                figures.denunciations_concluded += row.closed_on >= period.start
            else:
                figures.denunciations_open += 1
        figures.carried_over += row.standing == "carried"
    for row in mine:
        if not row.new:
            continue
        figures.total += 1
        figures.anonymous += row.anonymous
        figures.by_channel[row.channel] = figures.by_channel.get(row.channel, 0) + 1
        figures.by_category[row.category] = figures.by_category.get(row.category, 0) + 1
        figures.by_status[row.status] += 1
        figures.by_track[row.track][row.status] += 1
        month = (row.received.year, row.received.month)
        figures.per_month[month] = figures.per_month.get(month, 0) + 1
        figures.within += row.competence == "within"
        figures.outside += row.competence == "outside"
        if row.unit:
            counts = units.setdefault(row.unit, Counter())
            counts["assigned"] += 1
            counts["concluded"] += row.status == "concluded"
            counts["open"] += row.status in workflow.OPEN_STATUSES
            if row.unit_head:
                figures.unit_heads[row.unit] = row.unit_head
        if row.flags:
            figures.flagged += 1
            figures.flagged_informed += row.leaders_informed
        if row.category in PROTECTION_CATEGORIES:
            item = Listed(row.number, row.received, row.category, row.status, status_label(row.status), row.received)
            figures.protection.append(item)
        figures.disclosure_cases += row.category == "disclosure"
        figures.retaliation_cases += row.category == "retaliation"
    # Each unit's (and the Office's) late cases: among the cases assigned to it in the period, and the others
    # (assigned earlier, or the Office's steps on a case another unit handles), so that no column reads
    # "late 3 of 2 assigned" (desk trial 2, M5). The resolver of a denunciation is no unit: it is not a row.
    figures.late = sorted(figures.late, key=lambda item: item.sort_key)
    assigned_here = {(row.unit, row.number) for row in mine if row.new and row.unit}
    for owner in {item.owner for item in figures.late if item.owner_kind != "resolver"}:
        numbers = {item.number for item in figures.late if item.owner == owner}
        counts = units.setdefault(owner, Counter())
        counts["late_assigned"] = sum((owner, n) in assigned_here for n in numbers)
        counts["late_other"] = len(numbers) - counts["late_assigned"]
        if owner not in figures.unit_heads and settings.units.get(owner):
            figures.unit_heads[owner] = settings.units[owner]
    figures.by_unit = {name: dict(counts) for name, counts in sorted(units.items())}
    figures.forwarded.sort(key=lambda item: (item.day, item.number))


def _incidents(
    db: sqlite3.Connection, settings: Settings, period: Period, as_of: date, unit: str | None, numbers: set[str]
) -> list[IncidentRow]:
    """The incidents the period reports (``reporting_period``): those that happened in it, and those found later
    in an earlier period whose final report had already been made when they were recorded. A unit's report counts
    the incidents about its own cases; a report on a span of days, those that happened in it."""
    made = incidents.final_reports(db)
    out = []
    for item in incidents.all_incidents(db):
        if unit is not None and item.case_number not in numbers:
            continue
        if item.occurred_on > as_of:
            continue
        happened_in = period_of(item.occurred_on, settings)
        reported_in = reporting_period(item, settings, made)
        if PERIOD_RE.fullmatch(period.code):
            if reported_in.code != period.code:
                continue
        elif not period.start <= item.occurred_on <= as_of:
            continue
        late_found = reported_in.code != happened_in.code
        out.append(IncidentRow(item.occurred_on, local_date(item.recorded_at), item.case_number, late_found))
    return out


def reporting_period(item: incidents.Incident, settings: Settings, made: dict[str, str]) -> Period:
    """The half-year an incident is reported in: the one it happened in, or, if that period's final report was
    made before the incident was recorded, the first later one whose report was not made yet (desk trial 2, H2)."""
    period = period_of(item.occurred_on, settings)
    while period.code in made and item.recorded_at > made[period.code]:
        period = period_of(period.end, settings)
    return period


def _measures(db: sqlite3.Connection, period: Period, as_of: date) -> list[MeasureRow]:
    """The protection measures with a stage by the cut-off that had not ended before the period began."""
    out = []
    for measure in protection.measures(db):
        events = tuple(e for e in measure.events if e.on <= as_of)
        if not events:
            continue
        ended = [e for e in events if e.stage in ("ended", "declined")]
        if ended and ended[-1].on < period.start:
            continue
        out.append(MeasureRow(measure.case_number, measure.kind, measure.what, events, events[-1].stage))
    return out


def standing_of(db: sqlite3.Connection, case: register.Case, history: list[steps.Step], until: str) -> tuple[str, str]:
    """A case's status and track at the instant ``until``, not as they are when the report is made.

    The step history says which step the case waited in; a case waiting in none was closed by
    then, as it still is, unless it was reopened since: then its audit trail is read again.
    """
    track = "denunciation" if case.accepted_at and case.accepted_at <= until else "report"
    waiting = steps.waiting_on(history, until)
    if waiting is not None:
        return waiting, track
    if case.status not in workflow.OPEN_STATUSES and case.closed_at and case.closed_at <= until:
        return case.status, track
    return _standing_in_trail(db, case, until)


def _standing_in_trail(db: sqlite3.Connection, case: register.Case, until: str) -> tuple[str, str]:
    """Status and track replayed from the trail's changes that had taken effect by ``until`` (a rare case)."""
    status, track = "received", "report"
    for entry in audit.entries(db, case.number):
        if entry.action != "change":
            continue
        moment = entry.details.get("status_changed_at") or entry.details.get("effective") or entry.at
        if moment > until:
            continue
        status = entry.details.get("status", status)
        track = entry.details.get("track", track)
    return status, track


def channel_label(code: str) -> str:
    return workflow.CHANNELS.get(code, (code, code))[0]


def category_label(code: str) -> str:
    return report.category_label(code, "vi")


def status_label(code: str) -> str:
    return workflow.status_label(code, "vi")
