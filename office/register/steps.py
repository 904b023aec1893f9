"""The step history of each case: which step it waited in, from when to when, and in whose hands.

The half-year report attributes a late step to whoever owned it: the Office for its
own steps (classification, assigning or forwarding, following a forwarded case), the
unit for the handling it was assigned. That needs when each step began and ended,
which the case row alone does not keep (it holds the current step's start,
``status_changed_at``). So every change of step is also written here, in the same
transaction as the case and its audit entry (``workflow.transition`` calls
``record_change``); a register made before this table gets it rebuilt from its
audit trail, which holds every transition with its time (schema step
"12-step-history", ``rebuild``).

A row is one stretch of a step in one pair of hands:

* ``step``: a status the case waits in (received, classified, handling, forwarded,
  following), or "resolve": the Điều 30 time limit of an accepted denunciation, which
  runs beside the statuses from the thụ lý decision to the conclusion;
* ``started_at``: when the step began; its deadline counts from here;
* ``held_from``: when this row's holder took it. A case given to another unit while
  being handled keeps its deadline: the first unit's row ends, the next one's starts,
  both with the step's ``started_at``;
* ``ended_at``: when the case left it (None while it is the current one);
* ``unit``: the unit that held it (handling, and the following of a case it handled);
  None for the Office;
* ``extensions``: the extensions granted to the step (handling, or resolve);
* ``waits_on``: the other agency the step waits on, whose time it is, not the Office's: a
  forwarded case, once the Office has followed it up (``follow``), waits on the authority it
  was forwarded to until the result arrives (``follow --result-received``); then the Office's
  own step, closing the case, runs from that day (desk trial 2, M1).

The notices owed after a decision on a denunciation have their own history in the
``notices`` table (decided, given), and the Board's notice to a named reporter in the
case row (``assigned_at``/``forwarded_at`` to ``notified_at``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the register imports this module
    from . import Case

SCHEMA = """
CREATE TABLE IF NOT EXISTS steps (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    step       TEXT NOT NULL
               CHECK (step IN ('received', 'classified', 'handling', 'forwarded', 'following', 'resolve')),
    unit       TEXT,
    started_at TEXT NOT NULL,
    held_from  TEXT NOT NULL,
    ended_at   TEXT,
    extensions INTEGER NOT NULL DEFAULT 0,
    waits_on   TEXT
);
CREATE INDEX IF NOT EXISTS steps_case ON steps(case_id);
"""

# The statuses a case waits in; "concluded" and "rejected" end the history until a reopening.
WAITING = ("received", "classified", "handling", "forwarded", "following")
RESOLVE = "resolve"


@dataclass(frozen=True)
class Step:
    id: int
    case_id: int
    step: str
    unit: str | None
    started_at: str
    held_from: str
    ended_at: str | None
    extensions: int
    waits_on: str | None = None

    @property
    def by_office(self) -> bool:
        return self.unit is None and self.waits_on is None


def start(db: sqlite3.Connection, case_id: int, received_at: str) -> None:
    """A new case waits to be classified from its arrival (inside the transaction that registers it)."""
    _insert(db, case_id, "received", None, received_at, received_at)


def record_change(
    db: sqlite3.Connection, case_id: int, *, action: str, before: str, fields: dict[str, Any], at: str
) -> None:
    """Follow one workflow action in the history (inside its transaction).

    ``before`` is the case's status before the action; ``fields`` the case columns
    the action set (as the audit entry records them); ``at`` when it happened.
    """
    current = _open(db, case_id, waiting=True)
    resolving = _open(db, case_id, waiting=False)
    if action == "accept":
        _insert(db, case_id, RESOLVE, None, at, at)
    elif action == "extend":
        # Điều 30 is extended on the tố cáo track; otherwise the Board's handling deadline.
        extended = resolving or (current if current and current.step == "handling" else None)
        if extended is not None:
            db.execute("UPDATE steps SET extensions = extensions + 1 WHERE id = ?", (extended.id,))
    status = fields.get("status")
    if status and status != before:
        if current is not None:
            _end(db, current.id, at)
        if status == "concluded" and resolving is not None:
            _end(db, resolving.id, at)
        if status in WAITING:
            waits_on = _waits_on(db, case_id, status, fields, current)
            _insert(db, case_id, status, _holder(status, fields, current), at, at, waits_on=waits_on)
    elif action == "follow" and fields.get("result_received_at") and current is not None and current.waits_on:
        # The authority's result arrived: its time ends, the Office's closing step begins.
        _end(db, current.id, at)
        _insert(db, case_id, current.step, None, at, at)
    elif action == "assign" and current is not None and current.step == "handling":
        unit = fields.get("unit")
        if unit and unit != current.unit:  # another unit takes it over; the deadline runs on
            _end(db, current.id, at)
            _insert(db, case_id, "handling", unit, current.started_at, at, current.extensions)


def _holder(status: str, fields: dict[str, Any], previous: Step | None) -> str | None:
    """Whose hands a new step is in: the assigned unit for its handling, and for the following of what it
    handled; the Office otherwise (a forwarded case is followed by the Office)."""
    if status == "handling":
        return fields.get("unit") or (previous.unit if previous else None)
    if status == "following" and previous is not None and previous.step == "handling":
        return previous.unit
    return None


def _waits_on(
    db: sqlite3.Connection, case_id: int, status: str, fields: dict[str, Any], previous: Step | None
) -> str | None:
    """The authority a forwarded case waits on once the Office has followed it up, until its result arrives."""
    if status != "following" or previous is None or previous.step != "forwarded" or fields.get("result_received_at"):
        return None
    row = db.execute("SELECT forwarded_to FROM cases WHERE id = ?", (case_id,)).fetchone()
    return (row[0] if row else None) or "?"


def _open(db: sqlite3.Connection, case_id: int, *, waiting: bool) -> Step | None:
    test = "step != 'resolve'" if waiting else "step = 'resolve'"
    row = db.execute(
        f"SELECT * FROM steps WHERE case_id = ? AND ended_at IS NULL AND {test} ORDER BY id DESC LIMIT 1",  # noqa: S608
        (case_id,),
    ).fetchone()
    return Step(*row) if row else None


def _insert(
    db: sqlite3.Connection,
    case_id: int,
    step: str,
    unit: str | None,
    started_at: str,
    held_from: str,
    extensions: int = 0,
    *,
    waits_on: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO steps (case_id, step, unit, started_at, held_from, extensions, waits_on)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (case_id, step, unit, started_at, held_from, extensions, waits_on),
    )


def _end(db: sqlite3.Connection, step_id: int, at: str) -> None:
    db.execute("UPDATE steps SET ended_at = ? WHERE id = ?", (at, step_id))


def by_case(db: sqlite3.Connection, since: str | None = None) -> dict[int, list[Step]]:
    """Case id -> its history in order, in one query (the half-year report of a large register).

    With ``since`` (an instant), only the cases with a step still open or ended since then, each
    with its whole history: who held a step when its deadline passed may have let it go earlier.
    """
    query, args = "SELECT * FROM steps ORDER BY case_id, held_from, id", ()
    if since is not None:
        query = (
            "SELECT * FROM steps WHERE case_id IN (SELECT case_id FROM steps WHERE ended_at IS NULL OR ended_at >= ?)"
            " ORDER BY case_id, held_from, id"
        )
        args = (since,)
    out: dict[int, list[Step]] = {}
    for row in db.execute(query, args):
        out.setdefault(row[1], []).append(Step(*row))
    return out


def of_case(db: sqlite3.Connection, case_id: int) -> list[Step]:
    rows = db.execute("SELECT * FROM steps WHERE case_id = ? ORDER BY held_from, id", (case_id,))
    return [Step(*row) for row in rows]


def holders(db: sqlite3.Connection) -> dict[int, str | None]:
    """Case id -> the unit holding the step each open case waits in (None: the Office), in one query."""
    rows = db.execute("SELECT case_id, unit FROM steps WHERE ended_at IS NULL AND step != 'resolve' ORDER BY id")
    return {case_id: unit for case_id, unit in rows}


def waiting_on(history: Iterable[Step], at: str) -> str | None:
    """The step a case waited in at the instant ``at``; None when it was not received yet, or closed then.

    A case forwarded and waiting on the authority's result is "following", whoever's time it is.

    Instants are stored in one ISO form (UTC, to the second), so they compare as text.
    """
    for row in history:
        if row.step != RESOLVE and row.held_from <= at and (row.ended_at is None or row.ended_at > at):
            return row.step
    return None


# --- a register made before this table: rebuilt from the audit trail -------------------------------


def rebuild(db: sqlite3.Connection, cases: Iterable[Case]) -> dict[str, int]:
    """Replay every case's transitions from the audit trail, then make sure the history ends where the case is.

    The trail records each action with the columns it set (``status``, ``status_changed_at``,
    ``unit``, ``accepted_at``...) and, for a step recorded after the fact, when it really
    happened (``effective``). A case whose trail does not reach its current status (a
    register written outside the workflow) gets the rest from its own row (``reconcile``).
    Returns how many cases were rebuilt from the trail and how many needed their row.
    """
    trail: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for number, at, text in db.execute(
        "SELECT case_number, at, details FROM audit WHERE action = 'change' AND case_number IS NOT NULL ORDER BY seq"
    ):
        try:
            details = json.loads(text)
        except json.JSONDecodeError:
            continue
        if isinstance(details, dict) and details.get("action"):
            trail.setdefault(number, []).append((at, details))
    counts = {"from_audit": 0, "from_case_row": 0}
    for case in cases:
        start(db, case.id, case.received_at)
        status = "received"
        for at, details in trail.get(case.number, ()):
            action = details["action"]
            fields = {k: v for k, v in details.items() if k not in ("action", "effective")}
            moment = _moment(action, fields, details.get("effective") or at)
            record_change(db, case.id, action=action, before=status, fields=fields, at=moment)
            status = fields.get("status") or status
        counts["from_audit"] += case.number in trail
        counts["from_case_row"] += reconcile(db, case)
    return counts


def _moment(action: str, fields: dict[str, Any], fallback: str) -> str:
    """When an action took effect: the new step's start, the decision's date, or when it was recorded."""
    if fields.get("status") and fields.get("status_changed_at"):
        return fields["status_changed_at"]
    if action == "accept" and fields.get("accepted_at"):
        return fields["accepted_at"]
    return fallback


def reconcile(db: sqlite3.Connection, case: Case) -> bool:
    """Make the history end where the case row says the case is; return whether anything was added.

    For a case written outside the workflow: its open step is closed where the current one
    began, and the current one opened from the row (its status, ``step_started_at``, unit).
    """
    changed = False
    current = _open(db, case.id, waiting=True)
    if case.status in WAITING:
        if current is None or current.step != case.status:
            since = case.step_started_at
            if current is not None:
                _end(db, current.id, max(since, current.held_from))
            unit = None
            if case.status == "handling" or (case.status == "following" and not case.forwarded_at):
                unit = case.unit
            _insert(db, case.id, case.status, unit, since, since, case.extensions if case.status == "handling" else 0)
            changed = True
    elif current is not None:
        _end(db, current.id, max(case.closed_at or case.step_started_at, current.held_from))
        changed = True
    resolving = _open(db, case.id, waiting=False)
    accepted = case.track == "denunciation" and case.accepted_at
    if accepted and resolving is None and not _any_resolve_since(db, case.id, case.accepted_at):
        _insert(db, case.id, RESOLVE, None, case.accepted_at, case.accepted_at, case.extensions)
        if case.status == "concluded" and case.closed_at:
            _end(db, _open(db, case.id, waiting=False).id, case.closed_at)
        changed = True
    return changed


def _any_resolve_since(db: sqlite3.Connection, case_id: int, accepted_at: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM steps WHERE case_id = ? AND step = 'resolve' AND started_at >= ?", (case_id, accepted_at)
    ).fetchone()
    return row is not None
