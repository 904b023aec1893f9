"""Time as the Office counts it: Vietnam's local date, and working days.

The register stores instants in UTC (``2026-07-03T01:30:00Z``), as ``office pull``
always has. Deadlines, months and report periods are counted on the local
date in Vietnam (UTC+7, no daylight saving), because that is the date written
on the Office's papers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from .settings import Settings

VIETNAM_TIME = timezone(timedelta(hours=7))
ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def now_iso() -> str:
    return datetime.now(UTC).strftime(ISO_FORMAT)


def today() -> date:
    return datetime.now(VIETNAM_TIME).date()


def parse_iso(iso: str) -> datetime:
    """A stored instant ("2026-07-03T01:30:00Z"); fromisoformat is far faster than strptime on 10,000 rows."""
    return datetime.fromisoformat(iso)


def local_date(iso: str) -> date:
    """The date in Vietnam of a stored UTC instant."""
    return parse_iso(iso).astimezone(VIETNAM_TIME).date()


def end_of_day(day: date) -> str:
    """The last second of ``day`` in Vietnam, as a stored UTC instant: "until the end of that day"."""
    moment = datetime.combine(day, datetime.max.time(), VIETNAM_TIME).replace(microsecond=0)
    return moment.astimezone(UTC).strftime(ISO_FORMAT)


def local_time(iso: str) -> str:
    return parse_iso(iso).astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M")


def parse_local(text: str) -> str:
    """A date (and time) typed by the Office, in Vietnam time, as a stored UTC instant.

    Accepts 03/07/2026, 3/7/2026 08:30, 2026-07-03 and 2026-07-03 08:30. A date
    without a time counts from the start of that day.
    """
    text = " ".join(text.split())
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(text, pattern).replace(tzinfo=VIETNAM_TIME)
        except ValueError:
            continue
        return moment.astimezone(UTC).strftime(ISO_FORMAT)
    raise ValueError(
        f"{text!r} không phải ngày dạng ngày/tháng/năm như 03/07/2026 / is not a date like 03/07/2026 or 2026-07-03"
    )


def parse_day(text: str) -> date:
    return local_date(parse_local(text))


def vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def is_working_day(day: date, settings: Settings) -> bool:
    if day in settings.holidays:
        return False
    return day.weekday() < 5 or day in settings.working_weekend_days


def add_days(start: date, days: int, kind: str, settings: Settings) -> date:
    """The deadline ``days`` after ``start``: calendar days, or working days (the start day not counted)."""
    if kind == "calendar":
        return start + timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, settings):
            left -= 1
    return day
