"""The reception schedule as an iCalendar file (RFC 5545) that phones and mail programs subscribe to.

One recurring event, in Vietnam's time zone, repeating by the day rule (RRULE). Decision for an
incomplete schedule: the file is still a valid calendar, with its time zone and a description
saying the schedule is being updated, but **no event**, because an event with a guessed day or
time would put a wrong appointment in people's calendars. Subscribers get the event on their next
refresh once the Office fills the schedule in.

The time zone is written out (VTIMEZONE, UTC+7, no daylight saving since 1975) rather than taken
from the system's zone database, so the file is the same on Linux and on an Office PC with
Windows, and calendar programs need no outside lookup.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from icalendar import Calendar, Event, Timezone, TimezoneStandard, vRecur, vText

from .data import PortalData
from .schedule import describe_times
from .texts import capitalize_first

FILE_NAME = "lich-tiep-cong-dan.ics"
TZID = "Asia/Ho_Chi_Minh"
UID = "tiep-cong-dan-dinh-ky.ban-quan-ly-khu-kinh-te-an-giang"
PRODID = "-//Ban Quan ly Khu kinh te tinh An Giang//Cong thong tin tiep nhan phan anh//VI"


def _timezone() -> Timezone:
    zone = Timezone()
    zone.add("tzid", TZID)
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", datetime(1970, 1, 1, 7) - datetime(1970, 1, 1))
    standard.add("tzoffsetto", datetime(1970, 1, 1, 7) - datetime(1970, 1, 1))
    standard.add("tzname", "+07")
    zone.add_component(standard)
    return zone


def _local(day: date, at: time) -> datetime:
    """A floating datetime; it is tied to Vietnam's zone by the TZID parameter on the property."""
    return datetime.combine(day, at)


def build_calendar(data: PortalData, now: datetime | None = None) -> Calendar:
    """The calendar for ``data``; ``now`` stamps it when the data has no update date."""
    board = data.board_name.vi or ""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = f"Lịch tiếp công dân – {board}"
    cal.add("name", name)  # RFC 7986
    cal.add("x-wr-calname", vText(name))  # the name most calendar programs read
    cal.add("x-wr-timezone", vText(TZID))
    cal.add_component(_timezone())

    reception = data.reception
    stamp = datetime.combine(data.updated, time(), UTC) if data.updated else (now or datetime.now(UTC))
    if not reception.is_complete:
        text = (
            "Lịch tiếp công dân định kỳ của Trưởng ban đang cập nhật. "
            "Xem trang Công khai thông tin tiếp nhận trên Cổng thông tin của Ban.\n\n"
            "The schedule of the Head of the Board's periodic citizen reception is being updated. "
            "See the Contacts page of the Board's portal."
        )
        cal.add("description", text)  # RFC 7986
        cal.add("x-wr-caldesc", vText(text))  # X- properties need an explicit text type
        return cal

    assert reception.day_rule and reception.start and reception.end
    first = reception.day_rule.first_on_or_after(data.updated or stamp.date())
    place_vi, _ = reception.place.pick("vi")
    place_en, _ = reception.place.pick("en")
    lines = [
        f"{capitalize_first(reception.day_rule.describe('vi'))}, "
        f"{describe_times('vi', reception.start, reception.end)}.",
    ]
    for label, value in (
        ("Đăng ký", reception.registration.vi),
        ("Lưu ý", reception.note.vi),
    ):
        if value:
            lines.append(f"{label}: {value}")
    when_en = describe_times("en", reception.start, reception.end)
    lines += ["", f"{capitalize_first(reception.day_rule.describe('en'))}, {when_en}."]
    for label, value in (
        ("Place", place_en if place_en != place_vi else None),
        ("How to register", reception.registration.en),
        ("Note", reception.note.en),
    ):
        if value:
            lines.append(f"{label}: {value}")

    event = Event()
    event.add("uid", UID)
    event.add("dtstamp", stamp)
    event.add("dtstart", _local(first, reception.start), parameters={"TZID": TZID})
    event.add("dtend", _local(first, reception.end), parameters={"TZID": TZID})
    event.add("rrule", vRecur(reception.day_rule.rrule()))
    event.add("summary", f"Tiếp công dân định kỳ của Trưởng ban – {board}")
    if place_vi:
        event.add("location", place_vi)
    event.add("description", "\n".join(lines))
    event.add("transp", "TRANSPARENT")
    event.add("class", "PUBLIC")
    cal.add_component(event)
    return cal


def calendar_bytes(data: PortalData, now: datetime | None = None) -> bytes:
    return build_calendar(data, now).to_ical()
