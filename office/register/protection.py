"""Protection of reporters, and the units' own half-year reports: two records the plan asks the Office to keep.

**Protection measures** (the plan's task 5; Luật Tố cáo, chương về bảo vệ người tố cáo, LEGAL_FACTS
§3.6): a measure to protect a reporter who is, or may be, the target of retaliation goes
through stages, each with its day and who took it: requested (by the reporter, or proposed by
the Office), decided (by whoever has the authority), applied, declined, ended. A measure is one
row of ``protection_measures``; each stage is one row of ``protection_events``, written with its
audit entry in one transaction and never changed afterwards. Nothing here names the reporter:
the measure says what is protected, in words the clerk writes without identity.

**Units' reports** (Kế hoạch IV.3: the units send the Office their report before 05/6 and 05/12):
when a unit's report reaches the Office, its receipt is one row of ``unit_reports``, so the
Office's report can say which units sent theirs, and when.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import date

from .. import register
from . import audit

SCHEMA = """
CREATE TABLE IF NOT EXISTS protection_measures (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL CHECK (kind IN ('secrecy', 'position', 'safety', 'other')),
    what        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS protection_case ON protection_measures(case_id);
CREATE TABLE IF NOT EXISTS protection_events (
    id          INTEGER PRIMARY KEY,
    measure_id  INTEGER NOT NULL REFERENCES protection_measures(id),
    stage       TEXT NOT NULL CHECK (stage IN ('requested', 'decided', 'applied', 'declined', 'ended')),
    on_day      TEXT NOT NULL,
    by_whom     TEXT NOT NULL,
    note        TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS protection_events_measure ON protection_events(measure_id);
CREATE TABLE IF NOT EXISTS unit_reports (
    id          INTEGER PRIMARY KEY,
    unit        TEXT NOT NULL,
    period      TEXT NOT NULL,
    received_on TEXT NOT NULL,
    reference   TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (unit, period)
);
"""

# Kinds of measure: code -> (Vietnamese, English). The words of LEGAL_FACTS §3.6, without article numbers.
KINDS: dict[str, tuple[str, str]] = {
    "secrecy": ("Bảo vệ bí mật thông tin người phản ánh, tố giác", "keeping the reporter's information secret"),
    "position": ("Bảo vệ vị trí công tác, việc làm", "protecting the reporter's post and job"),
    "safety": (
        "Bảo vệ tính mạng, sức khỏe, tài sản, danh dự, nhân phẩm",
        "protecting life, health, property, honour and dignity",
    ),
    "other": ("Biện pháp khác", "another measure"),
}
# Stages of a measure, in the order they usually come: code -> (Vietnamese, English).
STAGES: dict[str, tuple[str, str]] = {
    "requested": ("Đề nghị áp dụng", "requested"),
    "decided": ("Quyết định áp dụng", "decided"),
    "applied": ("Đã áp dụng", "applied"),
    "declined": ("Không áp dụng", "declined"),
    "ended": ("Chấm dứt", "ended"),
}
# Which stages may follow which: a measure is requested or decided first, applied after its decision.
AFTER: dict[str, tuple[str | None, ...]] = {
    "requested": (None,),
    "decided": (None, "requested"),
    "declined": ("requested",),
    "applied": ("decided",),
    "ended": ("decided", "applied"),
}
MAX_TEXT = 500


class ProtectionError(ValueError):
    """A measure or a stage that cannot be recorded as given; the message says what to change."""


@dataclass(frozen=True)
class Event:
    stage: str
    on: date
    by: str
    note: str | None


@dataclass(frozen=True)
class Measure:
    id: int
    case_number: str
    kind: str
    what: str
    events: tuple[Event, ...]

    @property
    def stage(self) -> str | None:
        return self.events[-1].stage if self.events else None

    def stage_on(self, day: date) -> str | None:
        """The measure's stage at the end of ``day`` (None: not requested or decided yet)."""
        found = [e.stage for e in self.events if e.on <= day]
        return found[-1] if found else None

    def event(self, stage: str) -> Event | None:
        found = [e for e in self.events if e.stage == stage]
        return found[-1] if found else None


def _text(value: str, name: str, required: bool = True) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise ProtectionError(f"{name}: không được để trống / must not be empty")
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise ProtectionError(f"{name}: có ký tự điều khiển / control characters are not allowed")
    if len(value) > MAX_TEXT:
        raise ProtectionError(f"{name}: tối đa {MAX_TEXT} ký tự / at most {MAX_TEXT} characters")
    return value


def add_measure(
    db: sqlite3.Connection,
    *,
    case_id: int,
    case_number: str,
    kind: str,
    what: str,
    stage: str,
    on: date,
    by_whom: str,
    note: str | None,
    who: str,
    now: str,
    today: date,
) -> int:
    """Record a new measure with its first stage (requested or decided), and its audit entry; return its id."""
    if kind not in KINDS:
        raise ProtectionError(f"loại biện pháp {kind!r} không có / unknown kind; choose one of: {', '.join(KINDS)}")
    what = _text(what, "--what")
    _check_stage(None, stage, on, today)
    by_whom = _text(by_whom, "--by-whom")
    with register.transaction(db):
        cursor = db.execute(
            "INSERT INTO protection_measures (case_id, kind, what, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?)",
            (case_id, kind, what, now, who),
        )
        measure_id = cursor.lastrowid
        _event(db, measure_id, case_number, stage, on, by_whom, note, who, now, kind=kind, what=what)
    return measure_id


def add_stage(
    db: sqlite3.Connection,
    *,
    measure_id: int,
    stage: str,
    on: date,
    by_whom: str,
    note: str | None,
    who: str,
    now: str,
    today: date,
) -> None:
    """Record the next stage of a measure, and its audit entry."""
    with register.transaction(db):
        found = {m.id: m for m in measures(db)}.get(measure_id)
        if found is None:
            raise ProtectionError(f"không có biện pháp bảo vệ số {measure_id} / no protection measure {measure_id}")
        _check_stage(found, stage, on, today)
        _event(db, measure_id, found.case_number, stage, on, _text(by_whom, "--by-whom"), note, who, now)


def _check_stage(measure: Measure | None, stage: str, on: date, today: date) -> None:
    if stage not in STAGES:
        raise ProtectionError(f"bước {stage!r} không có / unknown stage; choose one of: {', '.join(STAGES)}")
    current = measure.stage if measure else None
    if current not in AFTER[stage]:
        allowed = [s for s, before in AFTER.items() if current in before]
        raise ProtectionError(
            f"biện pháp đang ở bước '{STAGES[current][0] if current else 'chưa có'}': bước tiếp theo là "
            f"{', '.join(allowed) or '(không còn / none)'} / the measure is '{current or 'new'}': next is "
            f"{', '.join(allowed) or 'nothing'}"
        )
    if on > today:
        raise ProtectionError("ngày ở tương lai / the date is in the future: record it once it happened")
    if measure is not None and measure.events and on < measure.events[-1].on:
        raise ProtectionError(
            "ngày của bước này trước bước trước đó / this stage cannot be dated before the previous one"
        )


def _event(
    db: sqlite3.Connection,
    measure_id: int,
    case_number: str,
    stage: str,
    on: date,
    by_whom: str,
    note: str | None,
    who: str,
    now: str,
    **first: str,
) -> None:
    note = _text(note or "", "--note", required=False) or None
    db.execute(
        "INSERT INTO protection_events (measure_id, stage, on_day, by_whom, note, recorded_at, recorded_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (measure_id, stage, on.isoformat(), by_whom, note, now, who),
    )
    audit.append(
        db,
        "protection",
        who=who,
        reason=note or f"{STAGES[stage][0]}: {by_whom}",
        case_number=case_number,
        details={"measure": measure_id, "stage": stage, "on": on.isoformat(), "by_whom": by_whom, **first},
    )


def measures(db: sqlite3.Connection, case_id: int | None = None) -> list[Measure]:
    """Every measure (of one case, if given) with its stages in order."""
    rows = db.execute(
        "SELECT m.id, c.number, m.kind, m.what FROM protection_measures m JOIN cases c ON c.id = m.case_id"
        " WHERE ? IS NULL OR m.case_id = ? ORDER BY m.id",
        (case_id, case_id),
    ).fetchall()
    events: dict[int, list[Event]] = {}
    for measure_id, stage, on_day, by_whom, note in db.execute(
        "SELECT measure_id, stage, on_day, by_whom, note FROM protection_events ORDER BY on_day, id"
    ):
        events.setdefault(measure_id, []).append(Event(stage, date.fromisoformat(on_day), by_whom, note))
    return [Measure(row[0], row[1], row[2], row[3], tuple(events.get(row[0], ()))) for row in rows]


# --- the units' own reports (IV.3) ----------------------------------------------------------------


@dataclass(frozen=True)
class UnitReport:
    unit: str
    period: str
    received_on: date
    reference: str | None


def record_unit_report(
    db: sqlite3.Connection,
    *,
    unit: str,
    period: str,
    received_on: date,
    reference: str | None,
    who: str,
    now: str,
    today: date,
) -> None:
    """Record that a unit's report for ``period`` reached the Office (once per unit and period)."""
    unit = _text(unit, "--unit")
    reference = _text(reference or "", "--reference", required=False) or None
    if received_on > today:
        raise ProtectionError("ngày nhận ở tương lai / the date of receipt is in the future")
    with register.transaction(db):
        known = db.execute("SELECT received_on FROM unit_reports WHERE unit = ? AND period = ?", (unit, period))
        if (row := known.fetchone()) is not None:
            raise ProtectionError(
                f"đã ghi nhận báo cáo kỳ {period} của {unit} (nhận ngày {row[0]}) / the report of {unit} for "
                f"{period} is already recorded"
            )
        db.execute(
            "INSERT INTO unit_reports (unit, period, received_on, reference, recorded_at, recorded_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (unit, period, received_on.isoformat(), reference, now, who),
        )
        audit.append(
            db,
            "unit-report",
            who=who,
            reason=f"nhận báo cáo {period} của {unit}",
            details={"unit": unit, "period": period, "received_on": received_on.isoformat(), "reference": reference},
        )


def unit_reports(db: sqlite3.Connection, period: str) -> dict[str, UnitReport]:
    """Unit -> its report for ``period`` received by the Office."""
    rows = db.execute("SELECT unit, period, received_on, reference FROM unit_reports WHERE period = ?", (period,))
    return {row[0]: UnitReport(row[0], row[1], date.fromisoformat(row[2]), row[3]) for row in rows}
