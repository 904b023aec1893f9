"""Activities of the plan that are not cases: what the Office and the units did, counted by task.

A meeting to study Directive 27-CT/TW, a training, a citizen reception session
held by a head, a dialogue, the publication of the hotline, a commendation, a
disciplinary measure: the plan (IV.3) asks for their results every half-year,
and only the Office can say they happened. Each is one row of ``activities``,
written with its audit entry in one transaction. A mistaken entry is corrected
or withdrawn with a reason; the row stays (withdrawn rows are left out of the
report) and the audit entry keeps the values it had before.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from .. import register
from ..workflow.clock import now_iso, today
from ..workflow.plan import KINDS, TASKS
from . import audit

MAX_TEXT = 2000  # characters of --what: a line of the report, not a minutes of the meeting


@dataclass(frozen=True)
class Activity:
    id: int
    task: int
    kind: str
    held_on: date
    what: str
    people: int | None
    unit: str
    recorded_at: str
    recorded_by: str
    changed_at: str | None = None
    removed_at: str | None = None
    removed_reason: str | None = None

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


class ActivityError(ValueError):
    """An activity that cannot be recorded as given; the message says what to change."""


def _row(row: sqlite3.Row) -> Activity:
    values = dict(row)
    values["held_on"] = date.fromisoformat(values["held_on"])
    return Activity(**values)


def _check(task: int, kind: str, held_on: date, what: str, people: int | None, unit: str) -> None:
    if task not in TASKS:
        raise ActivityError(f"nhiệm vụ {task} không có trong Kế hoạch (1–5) / no task {task} in the plan (1–5)")
    if kind not in KINDS:
        raise ActivityError(f"loại hoạt động {kind!r} không có / unknown kind; choose one of: {', '.join(KINDS)}")
    if held_on > today():
        raise ActivityError("ngày thực hiện ở tương lai / the date is in the future: record it once it is held")
    if not what.strip():
        raise ActivityError("--what: ghi nội dung hoạt động / say what was done")
    if any(unicodedata.category(c) == "Cc" for c in what + unit):
        raise ActivityError("--what, --unit: có ký tự điều khiển / control characters are not allowed")
    if len(what) > MAX_TEXT:
        raise ActivityError(f"--what: tối đa {MAX_TEXT} ký tự / at most {MAX_TEXT} characters")
    if people is not None and people < 0:
        raise ActivityError("--people: số người không âm / a number of people cannot be negative")
    if not unit.strip():
        raise ActivityError("--unit: ghi tên phòng, đơn vị / name the unit")


def add(
    db: sqlite3.Connection,
    *,
    task: int,
    kind: str,
    held_on: date,
    what: str,
    people: int | None,
    unit: str,
    who: str,
) -> Activity:
    """Record one activity and its audit entry; return it."""
    what, unit = " ".join(what.split()), " ".join(unit.split())
    _check(task, kind, held_on, what, people, unit)
    with register.transaction(db):
        cursor = db.execute(
            "INSERT INTO activities (task, kind, held_on, what, people, unit, recorded_at, recorded_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (task, kind, held_on.isoformat(), what, people, unit, now_iso(), who),
        )
        activity = get(db, cursor.lastrowid)
        audit.append(
            db, "activity", who=who, reason=what, details={"action": "add", "id": activity.id, **_fields(activity)}
        )
    return activity


def get(db: sqlite3.Connection, activity_id: int) -> Activity:
    row = db.execute("SELECT * FROM activities WHERE id = ?", (activity_id,)).fetchone()
    if row is None:
        raise ActivityError(
            f"không có hoạt động số {activity_id} / no activity {activity_id}; xem / see: office activity list"
        )
    return _row(row)


def correct(db: sqlite3.Connection, activity_id: int, *, who: str, reason: str, **changes: object) -> Activity:
    """Change some fields of an activity; the audit entry keeps the values before and after."""
    changes = {name: value for name, value in changes.items() if value is not None}
    if not changes:
        raise ActivityError(
            "không có gì để sửa / nothing to change: give --date, --what, --people, --unit, --kind, --task"
        )
    if not reason.strip():
        raise ActivityError("--reason: ghi lý do sửa / say why")
    with register.transaction(db):
        before = get(db, activity_id)
        if before.removed:
            raise ActivityError(f"hoạt động số {activity_id} đã bị hủy / activity {activity_id} was withdrawn")
        if "what" in changes:
            changes["what"] = " ".join(str(changes["what"]).split())
        if "unit" in changes:
            changes["unit"] = " ".join(str(changes["unit"]).split())
        after = {**_fields(before), **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in changes.items()}}
        _check(
            after["task"],
            after["kind"],
            date.fromisoformat(after["held_on"]),
            after["what"],
            after["people"],
            after["unit"],
        )
        db.execute(
            "UPDATE activities SET task = ?, kind = ?, held_on = ?, what = ?, people = ?, unit = ?, changed_at = ?"
            " WHERE id = ?",
            (
                after["task"],
                after["kind"],
                after["held_on"],
                after["what"],
                after["people"],
                after["unit"],
                now_iso(),
                activity_id,
            ),
        )
        audit.append(
            db,
            "activity",
            who=who,
            reason=reason,
            details={"action": "correct", "id": activity_id, "before": _fields(before), "after": after},
        )
        return get(db, activity_id)


def withdraw(db: sqlite3.Connection, activity_id: int, *, who: str, reason: str) -> Activity:
    """Leave a mistaken activity out of the reports; it stays in the register and the audit trail."""
    if not reason.strip():
        raise ActivityError("--reason: ghi lý do hủy / say why")
    with register.transaction(db):
        before = get(db, activity_id)
        if before.removed:
            raise ActivityError(f"hoạt động số {activity_id} đã bị hủy / activity {activity_id} was already withdrawn")
        db.execute(
            "UPDATE activities SET removed_at = ?, removed_reason = ? WHERE id = ?", (now_iso(), reason, activity_id)
        )
        audit.append(
            db,
            "activity",
            who=who,
            reason=reason,
            details={"action": "withdraw", "id": activity_id, "before": _fields(before)},
        )
        return get(db, activity_id)


def listed(
    db: sqlite3.Connection,
    *,
    start: date | None = None,
    end: date | None = None,
    unit: str | None = None,
    task: int | None = None,
    include_withdrawn: bool = False,
) -> list[Activity]:
    """Activities held from ``start`` to before ``end``, oldest first."""
    clauses, args = [], []
    if start is not None:
        clauses.append("held_on >= ?")
        args.append(start.isoformat())
    if end is not None:
        clauses.append("held_on < ?")
        args.append(end.isoformat())
    if unit is not None:
        clauses.append("unit = ?")
        args.append(unit)
    if task is not None:
        clauses.append("task = ?")
        args.append(task)
    if not include_withdrawn:
        clauses.append("removed_at IS NULL")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.execute(f"SELECT * FROM activities{where} ORDER BY held_on, id", args)  # noqa: S608 (fixed clauses)
    return [_row(r) for r in rows]


def units(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT DISTINCT unit FROM activities WHERE removed_at IS NULL")}


def _fields(activity: Activity) -> dict[str, object]:
    values = asdict(activity)
    return {
        "task": values["task"],
        "kind": values["kind"],
        "held_on": activity.held_on.isoformat(),
        "what": values["what"],
        "people": values["people"],
        "unit": values["unit"],
    }
