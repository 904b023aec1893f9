"""The figures of the half-year report, counted from the register's clear metadata only.

The plan asks for a report before 05/6 and 05/12 every year. This module
counts; ``docx`` lays the figures out as a Word document and
``text`` as Markdown or CSV. Nothing here decrypts anything: the
report cannot contain a reporter's identity or a report's content, because
it never sees them.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from intake_function import report

from .. import register, workflow
from ..workflow.clock import local_date, vn_date
from ..workflow.settings import Settings

PERIOD_RE = re.compile(r"([0-9]{4})-H([12])")  # used with fullmatch


@dataclass(frozen=True)
class Period:
    code: str
    start: date  # first day
    end: date  # first day after

    @property
    def last_day(self) -> date:
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


def half_year(code: str, settings: Settings) -> Period:
    """``2026-H1`` or ``2026-H2`` under the settings' period boundaries.

    With the default boundaries (01-01 and 07-01) H1 is January–June. When the
    first half starts later in the calendar than the second (say 12-05 and
    06-05), H1 of 2026 starts in December 2025.
    """
    match = PERIOD_RE.fullmatch(code)
    if not match:
        raise ValueError(f"{code!r} is not a period like 2026-H1 or 2026-H2 (kỳ báo cáo)")
    year, half = int(match.group(1)), int(match.group(2))
    h1, h2 = settings.h1_start, settings.h2_start
    if h1 < h2:
        first, second, next_first = date(year, *h1), date(year, *h2), date(year + 1, *h1)
    else:
        first, second, next_first = date(year - 1, *h1), date(year, *h2), date(year, *h1)
    return Period(code, first, second) if half == 1 else Period(code, second, next_first)


def custom_period(start: date, last_day: date) -> Period:
    if last_day < start:
        raise ValueError("the period ends before it starts")
    return Period(f"{start.isoformat()}..{last_day.isoformat()}", start, last_day + timedelta(days=1))


@dataclass(frozen=True)
class Listed:
    """One row of a list of cases in the report: metadata only."""

    number: str
    received: date
    category: str
    status: str
    detail: str  # the authority (forwarded) or the late step (overdue)
    day: date  # forwarded on, or due on
    days_late: int = 0


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
    within: int = 0
    outside: int = 0
    by_unit: dict[str, dict[str, int]] = field(default_factory=dict)
    unit_heads: dict[str, str] = field(default_factory=dict)
    per_month: dict[tuple[int, int], int] = field(default_factory=dict)
    forwarded: list[Listed] = field(default_factory=list)
    overdue: list[Listed] = field(default_factory=list)
    closed_late: int = 0
    flagged: int = 0
    flagged_informed: int = 0
    disclosure_cases: int = 0
    incidents: int = 0

    @property
    def confidentiality_incidents(self) -> int:
        return self.disclosure_cases + self.incidents


def months(period: Period) -> list[tuple[int, int]]:
    out, day = [], period.start.replace(day=1)
    while day < period.end:
        out.append((day.year, day.month))
        day = (day + timedelta(days=32)).replace(day=1)
    return out


def compute(db: sqlite3.Connection, settings: Settings, period: Period, today: date) -> Figures:
    """Count the cases of a period (received in it), the forwarded and the overdue ones."""
    as_of = min(today, period.last_day)
    figures = Figures(period, as_of)
    figures.by_channel = dict.fromkeys(workflow.CHANNELS, 0)
    figures.by_category = dict.fromkeys(report.categories(), 0)
    figures.by_status = dict.fromkeys(workflow.STATUSES, 0)
    figures.per_month = dict.fromkeys(months(period), 0)
    channels, categories, statuses, units = Counter(), Counter(), Counter(), {}
    for case in register.all_cases(db):
        received = local_date(case.received_at)
        if case.forwarded_at and period.contains(local_date(case.forwarded_at)):
            figures.forwarded.append(
                Listed(
                    case.number,
                    received,
                    case.category or "",
                    case.status,
                    case.forwarded_to or "",
                    local_date(case.forwarded_at),
                )
            )
        if received < period.start and (case.closed_at is None or local_date(case.closed_at) >= period.start):
            figures.carried_over += 1
        if received >= period.end:
            continue
        late = workflow.overdue_on(case, settings, as_of) if received <= as_of else None
        if late is not None:
            figures.overdue.append(
                Listed(
                    case.number,
                    received,
                    case.category or "",
                    case.status,
                    late.label.split(" / ")[0],
                    late.due_on,
                    (as_of - late.due_on).days,
                )
            )
        if case.was_late and case.closed_at and period.contains(local_date(case.closed_at)):
            figures.closed_late += 1
        if received < period.start:
            continue
        figures.total += 1
        figures.anonymous += case.anonymous
        channels[case.channel] += 1
        categories[case.category or "other"] += 1
        statuses[case.status] += 1
        figures.per_month[(received.year, received.month)] = (
            figures.per_month.get((received.year, received.month), 0) + 1
        )
        figures.within += case.competence == "within"
        figures.outside += case.competence == "outside"
        if case.unit:
            row = units.setdefault(case.unit, Counter())
            row["assigned"] += 1
            row["concluded"] += case.status == "concluded"
            row["open"] += case.status in workflow.OPEN_STATUSES
            row["late"] += late is not None or case.was_late
            if case.unit_head:
                figures.unit_heads[case.unit] = case.unit_head
        if case.flag_set:
            figures.flagged += 1
            figures.flagged_informed += case.leaders_informed_at is not None
        figures.disclosure_cases += case.category == "disclosure"
    figures.by_channel.update(channels)
    figures.by_category.update(categories)
    figures.by_status.update(statuses)
    figures.by_unit = {name: dict(counts) for name, counts in sorted(units.items())}
    figures.forwarded.sort(key=lambda item: (item.day, item.number))
    figures.overdue.sort(key=lambda item: (-item.days_late, item.number))
    figures.incidents = db.execute(
        "SELECT count(*) FROM incidents WHERE occurred_on >= ? AND occurred_on < ?",
        (period.start.isoformat(), period.end.isoformat()),
    ).fetchone()[0]
    return figures


def channel_label(code: str) -> str:
    return workflow.CHANNELS.get(code, (code, code))[0]


def category_label(code: str) -> str:
    return report.category_label(code, "vi")


def status_label(code: str) -> str:
    return workflow.status_label(code, "vi")
