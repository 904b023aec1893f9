"""The notices under Luật Tố cáo (to the denouncer, to the person denounced): owed from a decision until given."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    """A notice the law asks for after a decision on a denunciation: owed until ``given_at`` is set.

    ``about``: accepted (thụ lý, Điều 29: to the denouncer and, of the content, to the person
    denounced), not-accepted (không thụ lý), transferred (chuyển tố cáo), extended (gia hạn).
    ``recipient``: denouncer or denounced. ``decided_at`` is the decision's date, the start of the
    notice's deadline; ``decision_ref`` its reference; ``reason`` the reason of a non-acceptance.
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


def notices_of(db: sqlite3.Connection, case_id: int) -> list[Notice]:
    rows = db.execute("SELECT * FROM notices WHERE case_id = ? ORDER BY decided_at, id", (case_id,))
    return [Notice(**dict(r)) for r in rows]


def notices_by_case(db: sqlite3.Connection) -> dict[int, list[Notice]]:
    """Case id -> every notice, given or owed, in one query (the half-year report)."""
    out: dict[int, list[Notice]] = {}
    for row in db.execute("SELECT * FROM notices ORDER BY decided_at, id"):
        out.setdefault(row["case_id"], []).append(Notice(**dict(row)))
    return out


def owed_notices(db: sqlite3.Connection) -> dict[int, list[Notice]]:
    """Case id -> the notices not yet given, in one query (``office due`` and ``list`` of a large register)."""
    out: dict[int, list[Notice]] = {}
    for row in db.execute("SELECT * FROM notices WHERE given_at IS NULL ORDER BY decided_at, id"):
        out.setdefault(row["case_id"], []).append(Notice(**dict(row)))
    return out


def give_notice(db: sqlite3.Connection, notice_id: int, *, at: str, how: str) -> None:
    """Record that an owed notice was given (inside a transaction)."""
    db.execute("UPDATE notices SET given_at = ?, how = ? WHERE id = ? AND given_at IS NULL", (at, how, notice_id))
