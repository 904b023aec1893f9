"""Follow-up by receipt code: what reporters add, the replies the Office sent, and follow-ups that match no case yet."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .cases import AttachmentRow, Case, case_from_row


@dataclass(frozen=True)
class Followup:
    id: int
    case_id: int
    source_key: str
    received_at: str
    body_key: str
    read_at: str | None
    verified: str = "earlier"  # how it was joined: office/intake/matching.py


@dataclass(frozen=True)
class ReplyRow:
    id: int
    case_id: int
    at: str
    status: str
    object_key: str
    copy_key: str


def case_by_lookup(db: sqlite3.Connection, lookup_id: str) -> Case | None:
    row = db.execute("SELECT * FROM cases WHERE reply_lookup = ? ORDER BY id LIMIT 1", (lookup_id,)).fetchone()
    return case_from_row(row) if row else None


def cases_by_lookup(db: sqlite3.Connection, lookup_id: str) -> list[Case]:
    """Every case that carries this lookup id, oldest first (a hostile report may copy another's)."""
    return [
        case_from_row(r) for r in db.execute("SELECT * FROM cases WHERE reply_lookup = ? ORDER BY id", (lookup_id,))
    ]


def followup_by_source(db: sqlite3.Connection, source_key: str) -> Followup | None:
    row = db.execute("SELECT * FROM followups WHERE source_key = ?", (source_key,)).fetchone()
    return Followup(**dict(row)) if row else None


def add_followup(
    db: sqlite3.Connection,
    *,
    case_id: int,
    source_key: str,
    received_at: str,
    body_key: str,
    attachments: list[AttachmentRow],
    verified: str,
) -> int:
    """Join a follow-up and its files to a case (inside a transaction); files continue its numbering.

    ``verified`` says how it was found to belong there (``office/intake/matching.py``).
    """
    cursor = db.execute(
        "INSERT INTO followups (case_id, source_key, received_at, body_key, verified) VALUES (?, ?, ?, ?, ?)",
        (case_id, source_key, received_at, body_key, verified),
    )
    first = db.execute("SELECT coalesce(max(position), -1) + 1 FROM attachments WHERE case_id = ?", (case_id,))
    start = first.fetchone()[0]
    db.executemany(
        "INSERT INTO attachments (case_id, position, key, size, sha256) VALUES (?, ?, ?, ?, ?)",
        [(case_id, start + n, a.key, a.size, a.sha256) for n, a in enumerate(attachments)],
    )
    db.execute("DELETE FROM quarantine WHERE source_key = ?", (source_key,))
    return cursor.lastrowid


def followups_of(db: sqlite3.Connection, case_id: int) -> list[Followup]:
    rows = db.execute("SELECT * FROM followups WHERE case_id = ? ORDER BY received_at, id", (case_id,))
    return [Followup(**dict(r)) for r in rows]


def unread_followups(db: sqlite3.Connection) -> dict[int, int]:
    """Case id -> number of follow-ups nobody has shown yet."""
    rows = db.execute("SELECT case_id, count(*) FROM followups WHERE read_at IS NULL GROUP BY case_id")
    return {case_id: count for case_id, count in rows}


def mark_followups_read(db: sqlite3.Connection, case_id: int, at: str) -> None:
    db.execute("UPDATE followups SET read_at = ? WHERE case_id = ? AND read_at IS NULL", (at, case_id))


def add_reply(db: sqlite3.Connection, *, case_id: int, at: str, status: str, object_key: str, copy_key: str) -> None:
    db.execute(
        "INSERT INTO replies (case_id, at, status, object_key, copy_key) VALUES (?, ?, ?, ?, ?)",
        (case_id, at, status, object_key, copy_key),
    )


def replies_of(db: sqlite3.Connection, case_id: int) -> list[ReplyRow]:
    rows = db.execute("SELECT * FROM replies WHERE case_id = ? ORDER BY at, id", (case_id,))
    return [ReplyRow(**dict(r)) for r in rows]


def set_reply_recipient(db: sqlite3.Connection, case_id: int, recipient: str) -> None:
    db.execute("UPDATE cases SET reply_recipient = ? WHERE id = ?", (recipient, case_id))


# --- follow-ups that match no case yet ------------------------------------------------------------


@dataclass(frozen=True)
class UnmatchedFollowup:
    id: int
    source_key: str
    lookup_id: str
    received_at: str
    body_key: str
    kept_at: str
    proof_commitment: str | None = None  # SHA-256 of the proof it carried (None: it carried none)
    unverified: str | None = None  # why it did not join the case that has its lookup id (None: no case has)

    @property
    def reference(self) -> str:
        """How the Office names it (``office list --unmatched``, ``office attach``): its submission id."""
        return followup_reference(self.source_key)


def followup_reference(source_key: str) -> str:
    return source_key.removeprefix("inbox/").removesuffix(".age")


def add_unmatched_followup(
    db: sqlite3.Connection,
    *,
    source_key: str,
    lookup_id: str,
    received_at: str,
    body_key: str,
    attachments: list[AttachmentRow],
    kept_at: str,
    proof_commitment: str | None = None,
    unverified: str | None = None,
) -> int:
    """Keep a follow-up that joins no case (inside a transaction): no case has its receipt code, or
    (``unverified``) the case that has it asks for a proof this follow-up does not give."""
    cursor = db.execute(
        "INSERT INTO unmatched_followups (source_key, lookup_id, received_at, body_key, kept_at, proof_commitment,"
        " unverified) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (source_key, lookup_id, received_at, body_key, kept_at, proof_commitment, unverified),
    )
    db.executemany(
        "INSERT INTO unmatched_attachments (followup_id, position, key, size, sha256) VALUES (?, ?, ?, ?, ?)",
        [(cursor.lastrowid, a.position, a.key, a.size, a.sha256) for a in attachments],
    )
    db.execute("DELETE FROM quarantine WHERE source_key = ?", (source_key,))
    return cursor.lastrowid


def unmatched_followups(db: sqlite3.Connection, lookup_id: str | None = None) -> list[UnmatchedFollowup]:
    """The follow-ups waiting for a case, oldest first (only those of ``lookup_id`` if given)."""
    query, args = "SELECT * FROM unmatched_followups ORDER BY received_at, id", ()
    if lookup_id is not None:
        query, args = "SELECT * FROM unmatched_followups WHERE lookup_id = ? ORDER BY received_at, id", (lookup_id,)
    return [UnmatchedFollowup(**dict(r)) for r in db.execute(query, args)]


def unmatched_by_reference(db: sqlite3.Connection, reference: str) -> UnmatchedFollowup | None:
    row = db.execute(
        "SELECT * FROM unmatched_followups WHERE source_key = ?", (f"inbox/{reference.strip().upper()}.age",)
    ).fetchone()
    return UnmatchedFollowup(**dict(row)) if row else None


def unmatched_by_source(db: sqlite3.Connection, source_key: str) -> UnmatchedFollowup | None:
    row = db.execute("SELECT * FROM unmatched_followups WHERE source_key = ?", (source_key,)).fetchone()
    return UnmatchedFollowup(**dict(row)) if row else None


def unmatched_attachments_of(db: sqlite3.Connection, followup_id: int) -> list[AttachmentRow]:
    rows = db.execute(
        "SELECT position, key, size, sha256 FROM unmatched_attachments WHERE followup_id = ? ORDER BY position",
        (followup_id,),
    )
    return [AttachmentRow(**dict(r)) for r in rows]


def mark_unverified(db: sqlite3.Connection, waiting: UnmatchedFollowup, why: str) -> None:
    """Record why a kept follow-up did not join the case that now has its lookup id (inside a transaction)."""
    db.execute("UPDATE unmatched_followups SET unverified = ? WHERE id = ?", (why, waiting.id))


def join_followup(db: sqlite3.Connection, waiting: UnmatchedFollowup, case_id: int, verified: str) -> int:
    """Join a kept follow-up and its files to a case (inside a transaction), verified as ``verified`` says."""
    files = unmatched_attachments_of(db, waiting.id)
    db.execute("DELETE FROM unmatched_attachments WHERE followup_id = ?", (waiting.id,))
    db.execute("DELETE FROM unmatched_followups WHERE id = ?", (waiting.id,))
    return add_followup(
        db,
        case_id=case_id,
        source_key=waiting.source_key,
        received_at=waiting.received_at,
        body_key=waiting.body_key,
        attachments=files,
        verified=verified,
    )


def unmarked_lookups(db: sqlite3.Connection) -> list[str]:
    """Receipt codes (lookup ids) of registered cases that the store has not been told about yet."""
    rows = db.execute(
        "SELECT DISTINCT reply_lookup FROM cases WHERE reply_lookup IS NOT NULL"
        " AND reply_lookup NOT IN (SELECT lookup_id FROM receipt_markers) ORDER BY reply_lookup"
    )
    return [row[0] for row in rows]


def note_marked(db: sqlite3.Connection, lookup_ids: list[str], at: str) -> None:
    db.executemany(
        "INSERT OR IGNORE INTO receipt_markers (lookup_id, marked_at) VALUES (?, ?)", [(i, at) for i in lookup_ids]
    )


def attachment_owner(db: sqlite3.Connection, key: str) -> str | None:
    """The case (or the unmatched follow-up) an attachment already belongs to."""
    row = db.execute(
        "SELECT c.number FROM attachments a JOIN cases c ON c.id = a.case_id WHERE a.key = ?", (key,)
    ).fetchone()
    if row:
        return row[0]
    row = db.execute(
        "SELECT u.source_key FROM unmatched_attachments a JOIN unmatched_followups u ON u.id = a.followup_id"
        " WHERE a.key = ?",
        (key,),
    ).fetchone()
    return f"follow-up {followup_reference(row[0])}" if row else None
