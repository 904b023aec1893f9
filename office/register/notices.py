"""Every notice the Board gives about a case, each kept as its own record (issue 21).

A notice is a record, not a date: to whom (the reporter of a phản ánh, the denouncer, the
person denounced), about what, how and when it was given, and who recorded it. A later
notice never changes an earlier one, so the step a notice was due for ends at the notice
given for it, and a second notice (the result, a correction) is a row of its own.

Two kinds of rows:

* **owed** notices, written when a decision on a denunciation is recorded (thụ lý, không thụ
  lý, chuyển, gia hạn, kết luận: Luật Tố cáo Điều 9 khoản 1 điểm c) with ``given_at`` empty;
  giving one fills in ``given_at``, ``how`` and ``given_by`` once;
* **given** notices to the reporter of a phản ánh (the Board's own notice, then any later
  one), written when given. The first one given ends the Board's "tell a named reporter how
  it is handled" step (``settings.report_notice``); ``cases.notified_at`` keeps its date.

Before this table could hold the reporter's notices, ``office notify`` wrote each one's date
over the case's ``notified_at``: a notice given on time and a later one with the result made
the first look late (desk trial 2, H1). The schema step "21-notice-records" rebuilds the table
and the reporter's notices from the audit trail, which recorded every one of them.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the register imports this module
    from . import Case

# What a notice is about: the decisions on a denunciation (owed), and the notices to a reporter.
LEGAL = ("accepted", "not-accepted", "transferred", "extended", "concluded")
TO_REPORTER = ("handling", "result", "other")
ABOUT = LEGAL + TO_REPORTER
RECIPIENTS = ("reporter", "denouncer", "denounced")

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS notices (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    about        TEXT NOT NULL CHECK (about IN ({", ".join(repr(a) for a in ABOUT)})),
    recipient    TEXT NOT NULL CHECK (recipient IN ({", ".join(repr(r) for r in RECIPIENTS)})),
    decided_at   TEXT NOT NULL,
    decision_ref TEXT,
    reason       TEXT,
    given_at     TEXT,
    how          TEXT,
    given_by     TEXT,
    recorded_at  TEXT
);
CREATE INDEX IF NOT EXISTS notices_case ON notices(case_id);
"""


@dataclass(frozen=True)
class Notice:
    """A notice to someone about a case: owed until ``given_at`` is set.

    ``about``: accepted (thụ lý, Điều 29: to the denouncer and, of the content, to the person
    denounced), not-accepted (không thụ lý), transferred (chuyển tố cáo), extended (gia hạn),
    concluded (kết luận nội dung tố cáo, Điều 9.1.c: to the denouncer, and sent to the person
    denounced); to a reporter of a phản ánh: handling (how it is handled, the Board's notice),
    result, other. ``recipient``: reporter, denouncer or denounced. ``decided_at`` is the
    decision's date, the start of an owed notice's deadline (for a notice to a reporter, when
    it was given); ``decision_ref`` its reference; ``reason`` the reason of a non-acceptance.
    """

    id: int
    case_id: int
    about: str
    recipient: str
    decided_at: str
    decision_ref: str | None
    reason: str | None
    given_at: str | None
    how: str | None
    given_by: str | None = None
    recorded_at: str | None = None

    @property
    def legal(self) -> bool:
        """A notice the law asks for after a decision on a denunciation (owed from the decision)."""
        return self.recipient != "reporter"


def add_notice(
    db: sqlite3.Connection,
    case_id: int,
    *,
    about: str,
    recipient: str,
    decided_at: str,
    decision_ref: str | None = None,
    reason: str | None = None,
) -> None:
    """Record a notice as owed (inside a transaction)."""
    db.execute(
        "INSERT INTO notices (case_id, about, recipient, decided_at, decision_ref, reason) VALUES (?, ?, ?, ?, ?, ?)",
        (case_id, about, recipient, decided_at, decision_ref, reason),
    )


def add_given(
    db: sqlite3.Connection, case_id: int, *, about: str, recipient: str, at: str, how: str, by: str, recorded_at: str
) -> int:
    """Record a notice given to a reporter (inside a transaction); return its id."""
    cursor = db.execute(
        "INSERT INTO notices (case_id, about, recipient, decided_at, given_at, how, given_by, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (case_id, about, recipient, at, at, how, by, recorded_at),
    )
    return cursor.lastrowid


def give_notice(db: sqlite3.Connection, notice_id: int, *, at: str, how: str, by: str | None = None) -> None:
    """Record that an owed notice was given (inside a transaction); a given notice is never changed."""
    from ..workflow.clock import now_iso  # the clock imports the settings, which import nothing of ours

    db.execute(
        "UPDATE notices SET given_at = ?, how = ?, given_by = ?, recorded_at = ? WHERE id = ? AND given_at IS NULL",
        (at, how, by, now_iso(), notice_id),
    )


def _rows(db: sqlite3.Connection, query: str, args: tuple = ()) -> list[Notice]:
    return [Notice(**dict(row)) for row in db.execute(query, args)]


def notices_of(db: sqlite3.Connection, case_id: int) -> list[Notice]:
    """Every notice of a case, owed or given, in the order of their decisions."""
    return _rows(db, "SELECT * FROM notices WHERE case_id = ? ORDER BY decided_at, id", (case_id,))


def notices_by_case(db: sqlite3.Connection) -> dict[int, list[Notice]]:
    """Case id -> every notice, given or owed, in one query (the half-year report)."""
    out: dict[int, list[Notice]] = {}
    for notice in _rows(db, "SELECT * FROM notices ORDER BY decided_at, id"):
        out.setdefault(notice.case_id, []).append(notice)
    return out


def owed_notices(db: sqlite3.Connection) -> dict[int, list[Notice]]:
    """Case id -> the notices not yet given, in one query (``office due`` and ``list`` of a large register)."""
    out: dict[int, list[Notice]] = {}
    for notice in _rows(db, "SELECT * FROM notices WHERE given_at IS NULL ORDER BY decided_at, id"):
        out.setdefault(notice.case_id, []).append(notice)
    return out


def first_to_reporter(notices: list[Notice] | tuple[Notice, ...]) -> str | None:
    """When the reporter of a phản ánh was first told (the Board's notice), or None."""
    given = [n.given_at for n in notices if n.recipient == "reporter" and n.given_at]
    return min(given) if given else None


# --- schema step "21-notice-records" ------------------------------------------------------------


def upgrade(db: sqlite3.Connection, cases: list[Case]) -> dict[str, Any]:
    """Rebuild ``notices`` for every recipient and kind, and write the reporter's notices from the trail.

    The old table allowed only the denunciation's notices: its rows are copied as they are.
    Each ``office notify`` to a reporter and each answer through the receipt code that counted
    as the notice is in the audit trail; the last of a case's took effect at the case's
    ``notified_at`` (which it wrote, ``--on`` included); an earlier one, whose effective date
    the trail did not keep, at the time it was recorded. ``notified_at`` then goes back to the
    first. Returns what was done, for the audit entry.
    """
    db.execute("ALTER TABLE notices RENAME TO notices_before_21")
    db.execute("DROP INDEX IF EXISTS notices_case")
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute(
        "INSERT INTO notices (id, case_id, about, recipient, decided_at, decision_ref, reason, given_at, how)"
        " SELECT id, case_id, about, recipient, decided_at, decision_ref, reason, given_at, how FROM notices_before_21"
    )
    copied = db.execute("SELECT count(*) FROM notices_before_21").fetchone()[0]
    db.execute("DROP TABLE notices_before_21")
    trail: dict[str, list[tuple[str, str, str, str]]] = {}
    for number, at, who, reason, text in db.execute(
        "SELECT case_number, at, who, reason, details FROM audit WHERE action = 'reply' AND case_number IS NOT NULL"
        " ORDER BY seq"
    ):
        try:
            details = json.loads(text)
        except json.JSONDecodeError:
            continue
        told_by_notify = details.get("action") == "notify" and details.get("to", "reporter") == "reporter"
        if told_by_notify or details.get("notice") == "reporter":
            trail.setdefault(number, []).append((at, who, reason, "notify" if told_by_notify else "reply"))
    written, from_row, reset = 0, 0, []
    for case in cases:
        entries = trail.get(case.number, [])
        given = [at for at, *_ in entries]
        if entries and case.notified_at:
            given[-1] = case.notified_at  # the last one wrote notified_at, with its --on date
        for (at, who, how, _), when in zip(entries, given, strict=True):
            add_given(db, case.id, about="handling", recipient="reporter", at=when, how=how, by=who, recorded_at=at)
            written += 1
        if not entries and case.notified_at and not _told_as_denouncer(db, case.id):
            add_given(
                db,
                case.id,
                about="handling",
                recipient="reporter",
                at=case.notified_at,
                how="(ghi trong sổ trước khi thông báo được lưu riêng / recorded before notices were kept apart)",
                by="?",
                recorded_at=case.notified_at,
            )
            written, from_row = written + 1, from_row + 1
        if given and case.notified_at and min(given) != case.notified_at:
            db.execute("UPDATE cases SET notified_at = ? WHERE id = ?", (min(given), case.id))
            reset.append(case.number)
    # Rows after the first of a case are later notices: their result, an update.
    db.execute(
        "UPDATE notices SET about = 'other' WHERE recipient = 'reporter' AND id NOT IN"
        " (SELECT min(id) FROM notices WHERE recipient = 'reporter' GROUP BY case_id)"
    )
    return {
        "legal_notices_copied": copied,
        "reporter_notices": written,
        "from_case_row": from_row,
        "notified_at_back_to_the_first": reset,
    }


def _told_as_denouncer(db: sqlite3.Connection, case_id: int) -> bool:
    """A denouncer's notice also told the reporter (``office notify --to denouncer`` set notified_at)."""
    row = db.execute(
        "SELECT 1 FROM notices WHERE case_id = ? AND recipient = 'denouncer' AND given_at IS NOT NULL", (case_id,)
    ).fetchone()
    return row is not None
