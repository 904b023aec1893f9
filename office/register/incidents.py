"""Confidentiality incidents: a reporter's information was, or may have been, disclosed.

Each incident is one row of ``incidents``: the day it happened (``occurred_on``), when the
Office recorded it, who did, the case it concerns if any, and a short note without identity.
The half-year report counts an incident in the period it happened, unless that period's report
had already been made when the incident was recorded (found later): then in the period it was
recorded, with both dates, so that no incident is left out of every report sent (desk trial 2, H2).
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import date

from .. import register
from . import audit

MAX_NOTE = 1000


class IncidentError(ValueError):
    """An incident that cannot be recorded as given; the message says what to change."""


@dataclass(frozen=True)
class Incident:
    id: int
    occurred_on: date
    recorded_at: str  # an instant (UTC); its day in Vietnam is when it was found
    recorded_by: str
    case_number: str | None
    note: str


def add(
    db: sqlite3.Connection,
    *,
    occurred_on: date,
    note: str,
    case_number: str | None,
    who: str,
    now: str,
    today: date,
) -> Incident:
    """Record an incident and its audit entry (one transaction); return it."""
    note = " ".join(note.split())
    if not note:
        raise IncidentError("--note: ghi mô tả ngắn, không ghi danh tính / a short note, without identity")
    if any(unicodedata.category(c) == "Cc" for c in note) or len(note) > MAX_NOTE:
        raise IncidentError(
            f"--note: tối đa {MAX_NOTE} ký tự, không có ký tự điều khiển / at most {MAX_NOTE} characters"
        )
    if occurred_on > today:
        raise IncidentError("ngày xảy ra ở tương lai / the day it happened is in the future")
    with register.transaction(db):
        cursor = db.execute(
            "INSERT INTO incidents (occurred_on, recorded_at, recorded_by, case_number, note) VALUES (?, ?, ?, ?, ?)",
            (occurred_on.isoformat(), now, who, case_number, note),
        )
        audit.append(
            db,
            "incident",
            who=who,
            reason=note,
            case_number=case_number,
            details={"occurred_on": occurred_on.isoformat()},
        )
    return Incident(cursor.lastrowid, occurred_on, now, who, case_number, note)


def all_incidents(db: sqlite3.Connection) -> list[Incident]:
    """Every incident, in the order they happened."""
    rows = db.execute(
        "SELECT id, occurred_on, recorded_at, recorded_by, case_number, note FROM incidents ORDER BY occurred_on, id"
    )
    return [Incident(r[0], date.fromisoformat(r[1]), r[2], r[3], r[4], r[5]) for r in rows]


def final_reports(db: sqlite3.Connection) -> dict[str, str]:
    """Period code -> when its first final report (the Office's, not provisional) was made, from the audit trail."""
    made: dict[str, str] = {}
    for at, text in db.execute("SELECT at, details FROM audit WHERE action = 'report' ORDER BY seq"):
        try:
            details = json.loads(text)
        except json.JSONDecodeError:
            continue
        if isinstance(details, dict) and not details.get("unit") and not details.get("provisional"):
            made.setdefault(str(details.get("period")), at)
    return made
