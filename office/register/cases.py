"""The cases of the register: their rows, numbers and attachments, and the reports kept in quarantine."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    id: int
    number: str
    channel: str
    source_key: str | None
    received_at: str
    registered_at: str
    category: str | None
    anonymous: bool
    language: str | None
    status: str
    body_key: str
    reply_lookup: str | None
    received_by: str | None = None
    source_ref: str | None = None
    competence: str | None = None
    unit: str | None = None
    unit_head: str | None = None
    forwarded_to: str | None = None
    forwarded_at: str | None = None
    outcome: str | None = None
    flags: str = ""
    leaders_informed_at: str | None = None
    status_changed_at: str | None = None
    accepted_at: str | None = None  # the thụ lý decision's date (denunciation track only)
    extensions: int = 0
    notified_at: str | None = None  # a named reporter was told how the report is handled (phản ánh track)
    closed_at: str | None = None
    was_late: bool = False
    reply_recipient: str | None = None
    followup_commitment: str | None = None  # a follow-up's proof must hash to it (RECEIPT.md)
    track: str = "report"  # "report" (phản ánh, kiến nghị) or "denunciation" (tố cáo with a thụ lý decision)
    acceptance_ref: str | None = None  # the thụ lý decision's reference (denunciation track only)
    assigned_at: str | None = None  # when a unit was first assigned (not acceptance)

    @property
    def flag_set(self) -> frozenset[str]:
        return frozenset(f for f in self.flags.split(",") if f)

    @property
    def step_started_at(self) -> str:
        """When the current status began (cases pulled before version 2 count from their arrival)."""
        return self.status_changed_at or self.received_at


@dataclass(frozen=True)
class AttachmentRow:
    position: int
    key: str
    size: int
    sha256: str


class CaseNotFound(LookupError):
    pass


def next_number(db: sqlite3.Connection, year: int) -> str:
    """The next case number of a year: 2026-0001, 2026-0002, ... (inside a transaction)."""
    row = db.execute(
        "SELECT max(CAST(substr(number, 6) AS INTEGER)) FROM cases WHERE number LIKE ?", (f"{year}-%",)
    ).fetchone()
    return f"{year}-{(row[0] or 0) + 1:04d}"


def add_case(
    db: sqlite3.Connection,
    *,
    channel: str,
    source_key: str | None,
    received_at: str,
    category: str | None,
    anonymous: bool,
    language: str | None,
    body_key: str,
    reply_lookup: str | None,
    attachments: list[AttachmentRow],
    received_by: str | None = None,
    source_ref: str | None = None,
    reply_recipient: str | None = None,
    followup_commitment: str | None = None,
) -> str:
    """Insert a case and its attachments (inside a transaction); return its number.

    ``received_by`` (the member of staff who took a report by phone, at the
    desk...) and ``source_ref`` (the reference of a forwarding letter, an
    e-mail's date line...) describe the channel, never the reporter.
    """
    number = next_number(db, int(received_at[:4]))
    # A report of retaliation against a reporter is flagged from its arrival: the leaders are to be told (task 5).
    flags = "retaliation" if category == "retaliation" else ""
    cursor = db.execute(
        "INSERT INTO cases (number, channel, source_key, received_at, category, anonymous, language,"
        " body_key, reply_lookup, received_by, source_ref, status_changed_at, reply_recipient, followup_commitment,"
        " flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            number,
            channel,
            source_key,
            received_at,
            category,
            int(anonymous),
            language,
            body_key,
            reply_lookup,
            received_by,
            source_ref,
            received_at,
            reply_recipient,
            followup_commitment,
            flags,
        ),
    )
    db.executemany(
        "INSERT INTO attachments (case_id, position, key, size, sha256) VALUES (?, ?, ?, ?, ?)",
        [(cursor.lastrowid, a.position, a.key, a.size, a.sha256) for a in attachments],
    )
    from . import steps  # it imports the register

    steps.start(db, cursor.lastrowid, received_at)
    if source_key:
        db.execute("DELETE FROM quarantine WHERE source_key = ?", (source_key,))
    return number


def case_from_row(row: sqlite3.Row) -> Case:
    values = dict(row)
    values["anonymous"] = bool(values["anonymous"])
    values["was_late"] = bool(values["was_late"])
    return Case(**values)


def case_by_id(db: sqlite3.Connection, case_id: int) -> Case:
    row = db.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise CaseNotFound(str(case_id))
    return case_from_row(row)


def case_by_source(db: sqlite3.Connection, source_key: str) -> Case | None:
    row = db.execute("SELECT * FROM cases WHERE source_key = ?", (source_key,)).fetchone()
    return case_from_row(row) if row else None


def find_case(db: sqlite3.Connection, reference: str) -> Case:
    """A case by its number (2026-0001) or by the id of the online submission."""
    row = db.execute(
        "SELECT * FROM cases WHERE number = ? OR source_key = ?", (reference, f"inbox/{reference}.age")
    ).fetchone()
    if row is None:
        raise CaseNotFound(reference)
    return case_from_row(row)


def all_cases(db: sqlite3.Connection) -> list[Case]:
    return [case_from_row(r) for r in db.execute("SELECT * FROM cases ORDER BY received_at, number")]


def attachment_counts(db: sqlite3.Connection) -> dict[int, int]:
    """Attachments per case id, in one query (``office list`` of a large register)."""
    return {row[0]: row[1] for row in db.execute("SELECT case_id, count(*) FROM attachments GROUP BY case_id")}


def attachments_of(db: sqlite3.Connection, case_id: int) -> list[AttachmentRow]:
    rows = db.execute(
        "SELECT position, key, size, sha256 FROM attachments WHERE case_id = ? ORDER BY position", (case_id,)
    )
    return [AttachmentRow(**dict(r)) for r in rows]


def note_quarantine(db: sqlite3.Connection, source_key: str, reason: str, now: str, size: int | None = None) -> None:
    db.execute(
        "INSERT INTO quarantine (source_key, reason, first_seen, last_seen, size) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(source_key) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen,"
        " size = excluded.size, dropped_at = NULL",
        (source_key, reason, now, now, size),
    )


def quarantined(db: sqlite3.Connection) -> list[sqlite3.Row]:
    return list(db.execute("SELECT * FROM quarantine ORDER BY first_seen"))


def note_dropped(db: sqlite3.Connection, source_key: str, now: str) -> None:
    """A quarantined envelope was removed from the store (its local copy stays in the quarantine folder)."""
    db.execute("UPDATE quarantine SET dropped_at = ? WHERE source_key = ?", (now, source_key))
