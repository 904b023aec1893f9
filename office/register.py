"""The case register: an embedded SQLite database in the Office's data folder.

It holds what the Office needs to list and count cases in clear (dates,
channel, category, status) and points at the encrypted report kept beside it.
The report itself, and with it the reporter's identity, stays an age envelope
at rest: only ``office show`` decrypts it, in memory.

The database runs in WAL mode with ``synchronous=FULL``: once a transaction
returns, the case survives a power cut, which is what allows ``office pull``
to delete the remote copy right after.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    channel       TEXT NOT NULL,
    source_key    TEXT UNIQUE,
    received_at   TEXT NOT NULL,
    registered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    category      TEXT,
    anonymous     INTEGER NOT NULL,
    language      TEXT,
    status        TEXT NOT NULL DEFAULT 'received',
    body_key      TEXT NOT NULL,
    reply_lookup  TEXT
);
CREATE TABLE IF NOT EXISTS attachments (
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    key      TEXT NOT NULL UNIQUE,
    size     INTEGER NOT NULL,
    sha256   TEXT NOT NULL,
    PRIMARY KEY (case_id, position)
);
CREATE TABLE IF NOT EXISTS quarantine (
    source_key TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
"""


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


@dataclass(frozen=True)
class AttachmentRow:
    position: int
    key: str
    size: int
    sha256: str


class CaseNotFound(LookupError):
    pass


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    db.executescript(_SCHEMA)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    elif version > SCHEMA_VERSION:
        raise RuntimeError(f"{path} was written by a newer version of this tool; update the tool first")
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction; IMMEDIATE so case numbers are drawn by one writer at a time."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


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
) -> str:
    """Insert a case and its attachments (inside a transaction); return its number."""
    number = next_number(db, int(received_at[:4]))
    cursor = db.execute(
        "INSERT INTO cases (number, channel, source_key, received_at, category, anonymous, language,"
        " body_key, reply_lookup) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (number, channel, source_key, received_at, category, int(anonymous), language, body_key, reply_lookup),
    )
    db.executemany(
        "INSERT INTO attachments (case_id, position, key, size, sha256) VALUES (?, ?, ?, ?, ?)",
        [(cursor.lastrowid, a.position, a.key, a.size, a.sha256) for a in attachments],
    )
    if source_key:
        db.execute("DELETE FROM quarantine WHERE source_key = ?", (source_key,))
    return number


def _case(row: sqlite3.Row) -> Case:
    values = dict(row)
    values["anonymous"] = bool(values["anonymous"])
    return Case(**values)


def case_by_source(db: sqlite3.Connection, source_key: str) -> Case | None:
    row = db.execute("SELECT * FROM cases WHERE source_key = ?", (source_key,)).fetchone()
    return _case(row) if row else None


def find_case(db: sqlite3.Connection, reference: str) -> Case:
    """A case by its number (2026-0001) or by the id of the online submission."""
    row = db.execute(
        "SELECT * FROM cases WHERE number = ? OR source_key = ?", (reference, f"inbox/{reference}.age")
    ).fetchone()
    if row is None:
        raise CaseNotFound(reference)
    return _case(row)


def all_cases(db: sqlite3.Connection) -> list[Case]:
    return [_case(r) for r in db.execute("SELECT * FROM cases ORDER BY received_at, number")]


def attachments_of(db: sqlite3.Connection, case_id: int) -> list[AttachmentRow]:
    rows = db.execute(
        "SELECT position, key, size, sha256 FROM attachments WHERE case_id = ? ORDER BY position", (case_id,)
    )
    return [AttachmentRow(**dict(r)) for r in rows]


def attachment_owner(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute(
        "SELECT c.number FROM attachments a JOIN cases c ON c.id = a.case_id WHERE a.key = ?", (key,)
    ).fetchone()
    return row[0] if row else None


def note_quarantine(db: sqlite3.Connection, source_key: str, reason: str, now: str) -> None:
    db.execute(
        "INSERT INTO quarantine (source_key, reason, first_seen, last_seen) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(source_key) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen",
        (source_key, reason, now, now),
    )


def quarantined(db: sqlite3.Connection) -> list[sqlite3.Row]:
    return list(db.execute("SELECT * FROM quarantine ORDER BY first_seen"))
