"""The day rule of the periodic citizen reception: in words for the page, as an RRULE for calendars.

Three rules cover how Vietnamese agencies fix their reception day:

- ``{monthly_day: 15}``                  ngày 15 hằng tháng            RRULE FREQ=MONTHLY;BYMONTHDAY=15
- ``{weekday: thursday, week: 2}``       thứ Năm của tuần thứ hai       RRULE FREQ=MONTHLY;BYDAY=2TH
- ``{weekday: thursday, week: last}``    thứ Năm của tuần cuối cùng     RRULE FREQ=MONTHLY;BYDAY=-1TH
- ``{weekday: thursday}``                thứ Năm hằng tuần              RRULE FREQ=WEEKLY;BYDAY=TH

"Tuần thứ hai" is read as the second such weekday of the month (RFC 5545 ``2TH``), which is how
the rule is applied in practice; the words on the page and the calendar therefore always agree.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, time, timedelta

from .texts import fold

# (RFC 5545 code, English name, Vietnamese name), Monday first as in datetime.weekday().
WEEKDAYS = (
    ("MO", "Monday", "thứ Hai"),
    ("TU", "Tuesday", "thứ Ba"),
    ("WE", "Wednesday", "thứ Tư"),
    ("TH", "Thursday", "thứ Năm"),
    ("FR", "Friday", "thứ Sáu"),
    ("SA", "Saturday", "thứ Bảy"),
    ("SU", "Sunday", "Chủ nhật"),
)
# Every spelling the Office may reasonably type, folded (no diacritics, no spaces, lower case).
_WEEKDAY_NAMES = {
    **{code.lower(): i for i, (code, _, _) in enumerate(WEEKDAYS)},
    **{en.lower(): i for i, (_, en, _) in enumerate(WEEKDAYS)},
    **{en[:3].lower(): i for i, (_, en, _) in enumerate(WEEKDAYS)},
    **{fold(vi).replace(" ", ""): i for i, (_, _, vi) in enumerate(WEEKDAYS)},
    **{f"thu{n}": n - 2 for n in range(2, 8)},  # "thứ 2" .. "thứ 7"
    "cn": 6,
}
_ORDINALS_VI = {1: "thứ nhất", 2: "thứ hai", 3: "thứ ba", 4: "thứ tư", -1: "cuối cùng"}
_ORDINALS_EN = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_WEEKDAY_RULE_EXAMPLES = "{weekday: thursday, week: 2}, {weekday: thứ Năm, week: last} hoặc {weekday: thursday}"


class RuleError(ValueError):
    """The day rule cannot be understood; the message says what is expected (in Vietnamese)."""


@dataclass(frozen=True)
class DayRule:
    """When the reception takes place. Exactly one of the three shapes in the module docstring."""

    monthly_day: int | None = None
    weekday: int | None = None  # 0 = Monday
    week: int | None = None  # 1..4, or -1 for the last one; None = every week

    def rrule(self) -> dict[str, object]:
        """The RRULE parts, as ``icalendar.vRecur`` takes them."""
        if self.monthly_day is not None:
            return {"FREQ": "MONTHLY", "BYMONTHDAY": self.monthly_day}
        assert self.weekday is not None
        code = WEEKDAYS[self.weekday][0]
        if self.week is None:
            return {"FREQ": "WEEKLY", "BYDAY": code}
        return {"FREQ": "MONTHLY", "BYDAY": f"{self.week}{code}"}

    def describe(self, lang: str) -> str:
        """The rule in words, starting in lower case: 'ngày 15 hằng tháng', 'every Thursday'."""
        if self.monthly_day is not None:
            if lang == "en":
                return f"the {_ordinal_en(self.monthly_day)} of every month"
            return f"ngày {self.monthly_day} hằng tháng"
        assert self.weekday is not None
        _, name_en, name_vi = WEEKDAYS[self.weekday]
        if lang == "en":
            if self.week is None:
                return f"every {name_en}"
            return f"the {_ORDINALS_EN[self.week]} {name_en} of every month"
        if self.week is None:
            return f"{name_vi} hằng tuần"
        return f"{name_vi} của tuần {_ORDINALS_VI[self.week]} hằng tháng"

    def occurs_on(self, day: date) -> bool:
        if self.monthly_day is not None:
            return day.day == self.monthly_day
        if day.weekday() != self.weekday:
            return False
        if self.week is None:
            return True
        if self.week == -1:
            return day.day + 7 > calendar.monthrange(day.year, day.month)[1]
        return (day.day - 1) // 7 + 1 == self.week

    def first_on_or_after(self, start: date) -> date:
        """The first reception day from ``start`` on (an RRULE's DTSTART must be an occurrence)."""
        day = start
        for _ in range(800):  # every rule recurs within two months; 800 days is ample
            if self.occurs_on(day):
                return day
            day += timedelta(days=1)
        raise RuleError(f"không tìm được ngày nào khớp với quy tắc {self}")


def _ordinal_en(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def parse_day_rule(value: object) -> DayRule:
    """Read the ``day_rule`` mapping of portal.yml; raise RuleError saying what is expected."""
    if not isinstance(value, dict):
        raise RuleError(
            "phải là một trong các dạng {monthly_day: 15}, " + _WEEKDAY_RULE_EXAMPLES + f"; đang là {value!r}"
        )
    keys = set(value)
    if keys == {"monthly_day"}:
        day = value["monthly_day"]
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
            raise RuleError(f"monthly_day phải là số ngày trong tháng, từ 1 đến 31; đang là {day!r}")
        return DayRule(monthly_day=day)
    if keys in ({"weekday"}, {"weekday", "week"}):
        weekday = _parse_weekday(value["weekday"])
        week = value.get("week")
        if week is None:
            return DayRule(weekday=weekday)
        if week == "last":
            week = -1
        if isinstance(week, bool) or week not in _ORDINALS_VI:
            raise RuleError(f"week phải là 1, 2, 3, 4 hoặc last (tuần cuối cùng); đang là {week!r}")
        return DayRule(weekday=weekday, week=week)
    raise RuleError(f"các khóa {sorted(keys)} không hợp lệ; dùng {{monthly_day: 15}}, " + _WEEKDAY_RULE_EXAMPLES)


def _parse_weekday(value: object) -> int:
    key = fold(str(value)).replace(" ", "") if isinstance(value, str) else None
    if key is None or key not in _WEEKDAY_NAMES:
        raise RuleError(f"weekday phải là tên thứ trong tuần, ví dụ thursday hoặc thứ Năm; đang là {value!r}")
    return _WEEKDAY_NAMES[key]


def parse_time(value: object) -> time:
    """A clock time written "07:30". Unquoted 07:30 is a number in YAML 1.1, hence the hint."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise RuleError(f'giờ phải đặt trong ngoặc kép, ví dụ "07:30" (YAML đã đọc thành số {value})')
    if not isinstance(value, str):
        raise RuleError(f'giờ phải có dạng "HH:MM", ví dụ "07:30"; đang là {value!r}')
    try:
        hours, minutes = value.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise RuleError(f'giờ phải có dạng "HH:MM", ví dụ "07:30"; đang là {value!r}') from None


def describe_times(lang: str, start: time, end: time) -> str:
    if lang == "en":
        return f"from {start:%H:%M} to {end:%H:%M}"
    return f"từ {start.hour:02d} giờ {start.minute:02d} đến {end.hour:02d} giờ {end.minute:02d}"
