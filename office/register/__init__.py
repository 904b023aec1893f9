"""The case register: an embedded SQLite database in the Office's data folder.

It holds what the Office needs to list, follow and count cases in clear (dates,
channel, category, status, handling unit, deadlines, flags) and points at the
encrypted report kept beside it. The report itself, and with it the reporter's
identity, stays an age envelope at rest: only ``office show``, ``reveal``,
``extract`` and ``export`` decrypt it, in memory.

Two tracks (issue 11): ``cases.track`` is "report" (phản ánh, kiến nghị: every case,
handled under the Board's plan) unless the Office recorded a thụ lý decision on a
named denunciation ("denunciation"; ``accepted_at`` is the decision's date,
``acceptance_ref`` its reference). ``assigned_at`` is when a unit was first
assigned, which is not acceptance. The notices the law asks for after a decision
on a denunciation (to the denouncer, to the person denounced) are rows of
``notices``, owed until given; ``notified_at`` is the Board's own notice to a
named reporter on the report track.

Each case's steps, with when they began and ended and who held them, are kept in ``steps``
(see ``office/register/steps.py``), so that a late step is counted against whoever owned it.

Besides the cases it keeps the audit trail (``audit``, see ``office/register/audit.py``),
recorded confidentiality incidents (``incidents``), the activities of the plan that are not cases
(``activities``, see ``office/register/activities.py``) and a few settings that must
not live in an editable text file (``meta``: the Office's public keys).

The database runs in WAL mode with ``synchronous=FULL``: once a transaction
returns, the case survives a power cut, which is what allows ``office pull``
to delete the remote copy right after.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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

_TWO_TRACKS_SQL = """
ALTER TABLE cases ADD COLUMN track TEXT NOT NULL DEFAULT 'report' CHECK (track IN ('report', 'denunciation'));
ALTER TABLE cases ADD COLUMN acceptance_ref TEXT;
ALTER TABLE cases ADD COLUMN assigned_at TEXT;
UPDATE cases SET assigned_at = accepted_at, accepted_at = NULL WHERE accepted_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS notices (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    about        TEXT NOT NULL CHECK (about IN ('accepted', 'not-accepted', 'transferred', 'extended')),
    recipient    TEXT NOT NULL CHECK (recipient IN ('denouncer', 'denounced')),
    decided_at   TEXT NOT NULL,
    decision_ref TEXT,
    reason       TEXT,
    given_at     TEXT,
    how          TEXT
);
CREATE INDEX IF NOT EXISTS notices_case ON notices(case_id);
"""


def _two_tracks(db: sqlite3.Connection) -> None:
    """Move the old "accepted" (set by assigning a unit) to ``assigned_at``; every case becomes a phản ánh.

    Before this step ``office assign`` stamped ``accepted_at`` and the desk ran the Điều 29 notice and
    the Điều 30 time limit from it, for every case. Under the law those run from a thụ lý decision, on
    denunciations only, and no register holds such a decision yet: so every case is on the phản ánh
    track, with no statutory deadline, until the Office records one (``office accept``). The audit
    trail says what changed, case by case, in the same transaction.
    """
    moved = [row[0] for row in db.execute("SELECT number FROM cases WHERE accepted_at IS NOT NULL ORDER BY number")]
    total = db.execute("SELECT count(*) FROM cases").fetchone()[0]
    for statement in _TWO_TRACKS_SQL.split(";"):
        if statement.strip():
            db.execute(statement)
    if total == 0:
        return  # a new register: nothing changed, nothing to tell
    from . import audit  # audit imports this module

    audit.append(
        db,
        "upgrade",
        who=audit.current_user(),
        reason=(
            "11-two-tracks: mọi hồ sơ là phản ánh, kiến nghị (chưa có quyết định thụ lý tố cáo); ngày giao đơn vị "
            "không còn được coi là ngày thụ lý / every case is a report; assigning a unit is no longer acceptance"
        ),
        details={
            "step": "11-two-tracks",
            "cases": total,
            "track": "report",
            "accepted_at_moved_to_assigned_at": moved,
            "statutory_deadlines_removed": "Luật Tố cáo 2018 Điều 29, Điều 30",
            "notified_at": "giữ nguyên: người phản ánh có danh tính đã được thông báo / kept: a named reporter "
            "was told",
        },
    )


def _register_identity(db: sqlite3.Connection) -> None:
    """Give the register its identity (see ``office/register/identity.py``).

    A register from before this step was started by its first pull and has been
    taking that store's reports since: it may claim the store's marker on its
    next pull. So may a register made now, until it is bound to a store.
    """
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for key, value in (("register_id", secrets.token_hex(16)), ("register_created", now), ("store_claim", "first")):
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))


def _step_history(db: sqlite3.Connection) -> None:
    """Keep each case's steps with their start, end and holder (see ``office/register/steps.py``).

    The half-year report attributes a late step to the Office or to the unit that held it, which
    needs when every step began and ended; until now the register kept only the current step's
    start. The history of the cases already in the register is rebuilt from the audit trail, which
    holds every transition with its time, and the audit trail says so in the same transaction.
    """
    from . import audit, steps  # both import this module

    for statement in steps.SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    cases = [_case(row) for row in db.execute("SELECT * FROM cases ORDER BY id")]
    if not cases:
        return  # a new register: nothing to rebuild, nothing to tell
    counts = steps.rebuild(db, cases)
    audit.append(
        db,
        "upgrade",
        who=audit.current_user(),
        reason=(
            "12-step-history: lịch sử các bước xử lý của từng hồ sơ được dựng lại từ nhật ký, để báo cáo tính trễ hạn "
            "cho đúng bước và người chịu trách nhiệm / each case's step history rebuilt from the audit trail"
        ),
        details={"step": "12-step-history", "cases": len(cases), **counts},
    )


# The schema grows by named steps, applied in order, each once, in one transaction; the register
# records the names it holds (table ``migrations``). A released step is never edited or removed: a
# new need is a new step at the end. A step is SQL, or a function for what SQL alone cannot say.
Step = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Step]] = [
    (
        "2-workflow",
        """
ALTER TABLE cases ADD COLUMN received_by TEXT;
ALTER TABLE cases ADD COLUMN source_ref TEXT;
ALTER TABLE cases ADD COLUMN competence TEXT;
ALTER TABLE cases ADD COLUMN unit TEXT;
ALTER TABLE cases ADD COLUMN unit_head TEXT;
ALTER TABLE cases ADD COLUMN forwarded_to TEXT;
ALTER TABLE cases ADD COLUMN forwarded_at TEXT;
ALTER TABLE cases ADD COLUMN outcome TEXT;
ALTER TABLE cases ADD COLUMN flags TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN leaders_informed_at TEXT;
ALTER TABLE cases ADD COLUMN status_changed_at TEXT;
ALTER TABLE cases ADD COLUMN accepted_at TEXT;
ALTER TABLE cases ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN notified_at TEXT;
ALTER TABLE cases ADD COLUMN closed_at TEXT;
ALTER TABLE cases ADD COLUMN was_late INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS cases_received ON cases(received_at);
CREATE INDEX IF NOT EXISTS cases_status ON cases(status);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    who         TEXT NOT NULL,
    action      TEXT NOT NULL,
    case_number TEXT,
    reason      TEXT NOT NULL,
    details     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS incidents (
    id          INTEGER PRIMARY KEY,
    occurred_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    case_number TEXT,
    note        TEXT NOT NULL
);
""",
    ),
    # Follow-up by receipt code: what reporters add, and the answers the Office sent them.
    (
        "3-followup",
        """
ALTER TABLE cases ADD COLUMN reply_recipient TEXT;
CREATE TABLE IF NOT EXISTS followups (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    source_key  TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    body_key    TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX IF NOT EXISTS cases_reply_lookup ON cases(reply_lookup);
CREATE TABLE IF NOT EXISTS replies (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    at         TEXT NOT NULL,
    status     TEXT NOT NULL,
    object_key TEXT NOT NULL,
    copy_key   TEXT NOT NULL
);
""",
    ),
    # Issue 11: two tracks. A case is a phản ánh/kiến nghị unless the Office records a thụ lý decision
    # on a denunciation; assigning a unit is no longer "acceptance" (see _two_tracks).
    ("11-two-tracks", _two_tracks),
    # What the Office does to carry out the plan besides handling cases (meetings, trainings, citizen
    # reception sessions, dialogues, publications of the channels, commendations, disciplinary
    # measures), counted in the half-year report by task. A mistaken entry is corrected or withdrawn,
    # never deleted: ``changed_at``/``removed_at`` mark it and the audit trail keeps what it was.
    (
        "12-activities",
        """
CREATE TABLE IF NOT EXISTS activities (
    id             INTEGER PRIMARY KEY,
    task           INTEGER NOT NULL CHECK (task BETWEEN 1 AND 5),
    kind           TEXT NOT NULL,
    held_on        TEXT NOT NULL,
    what           TEXT NOT NULL,
    people         INTEGER CHECK (people IS NULL OR people >= 0),
    unit           TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    changed_at     TEXT,
    removed_at     TEXT,
    removed_reason TEXT
);
CREATE INDEX IF NOT EXISTS activities_held_on ON activities(held_on);
""",
    ),
    # The register's identity, matched against the store's marker before any pull (issue 13).
    ("13-register-identity", _register_identity),
    # Which list of keys each object of the data folder was last re-encrypted to (office recipients --rekey).
    (
        "13-sealed-for",
        """
CREATE TABLE IF NOT EXISTS sealed_for (
    key        TEXT PRIMARY KEY,
    recipients TEXT NOT NULL
);
""",
    ),
    # Nothing a reporter sends is lost: a follow-up whose receipt code no case has is kept here,
    # with its files, until a case with that code is registered or the Office joins it by hand;
    # and the receipt codes whose case the store has been told about (outbox/<lookup id>/registered).
    (
        "14-unmatched-followups",
        """
CREATE TABLE IF NOT EXISTS unmatched_followups (
    id          INTEGER PRIMARY KEY,
    source_key  TEXT NOT NULL UNIQUE,
    lookup_id   TEXT NOT NULL,
    received_at TEXT NOT NULL,
    body_key    TEXT NOT NULL,
    kept_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS unmatched_lookup ON unmatched_followups(lookup_id);
CREATE TABLE IF NOT EXISTS unmatched_attachments (
    followup_id INTEGER NOT NULL REFERENCES unmatched_followups(id),
    position    INTEGER NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    PRIMARY KEY (followup_id, position)
);
CREATE TABLE IF NOT EXISTS receipt_markers (
    lookup_id TEXT PRIMARY KEY,
    marked_at TEXT NOT NULL
);
""",
    ),
    # Each case's steps with their start, end and holder, for a fair count of late steps (issue 12).
    ("12-step-history", _step_history),
    # A quarantined envelope is examined once, then kept aside (its size, and when it was removed
    # from the store by office quarantine --drop); what each attachment is, told by its content
    # when it was pulled (office/register/contents.py), to show beside the type its sender declared.
    (
        "22-hostile-input",
        """
ALTER TABLE quarantine ADD COLUMN size INTEGER;
ALTER TABLE quarantine ADD COLUMN dropped_at TEXT;
CREATE TABLE IF NOT EXISTS attachment_contents (
    key     TEXT PRIMARY KEY,
    content TEXT NOT NULL
);
""",
    ),
    # A follow-up joins a case only with proof of the receipt code (issue 22; intake_function/schemas/
    # RECEIPT.md): the report's commitment, how each joined follow-up was verified, and for a kept one
    # the commitment of its proof and why it did not join the case that has its lookup id.
    (
        "22-followup-proof",
        """
ALTER TABLE cases ADD COLUMN followup_commitment TEXT;
ALTER TABLE followups ADD COLUMN verified TEXT NOT NULL DEFAULT 'earlier';
ALTER TABLE unmatched_followups ADD COLUMN proof_commitment TEXT;
ALTER TABLE unmatched_followups ADD COLUMN unverified TEXT;
""",
    ),
]

# Registers made before steps had names count them in ``PRAGMA user_version``: 1, 2 or 3 means
# the schema above and the first 0, 1 or 2 steps.
_NUMBERED_BEFORE_NAMES = 3


# Columns of ``cases`` that workflow commands may change (``update_case`` refuses any other name).
MUTABLE_COLUMNS = frozenset(
    {
        "category",
        "status",
        "competence",
        "unit",
        "unit_head",
        "forwarded_to",
        "forwarded_at",
        "outcome",
        "flags",
        "leaders_informed_at",
        "status_changed_at",
        "accepted_at",
        "acceptance_ref",
        "assigned_at",
        "track",
        "extensions",
        "notified_at",
        "closed_at",
        "was_late",
    }
)


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


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    db.executescript(_SCHEMA)
    applied, recorded = _applied_steps(db)
    unknown = applied - {name for name, _ in MIGRATIONS}
    if unknown:
        raise RuntimeError(
            f"sổ {path} do phiên bản mới hơn của công cụ tạo ({', '.join(sorted(unknown))}): hãy cập nhật công cụ "
            f"trước; sổ giữ nguyên / {path} was written by a newer version of this tool: update the tool first"
        )
    if len(applied) < len(MIGRATIONS) or not recorded:
        _migrate(db)
    return db


def _applied_steps(db: sqlite3.Connection) -> tuple[set[str], bool]:
    """The steps a register holds, and whether it records them by name (older ones count them)."""
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied = {row[0] for row in db.execute("SELECT name FROM migrations")}
    if applied:
        return applied, True
    version = db.execute("PRAGMA user_version").fetchone()[0]
    return {name for name, _ in MIGRATIONS[: max(min(version, _NUMBERED_BEFORE_NAMES) - 1, 0)]}, False


def _migrate(db: sqlite3.Connection) -> None:
    """Bring an older register up to date; two processes racing here are serialised by IMMEDIATE."""
    with transaction(db):
        applied, _ = _applied_steps(db)  # again, inside the transaction: another process may have done it
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for name in sorted(applied):
            db.execute("INSERT OR IGNORE INTO migrations (name, applied_at) VALUES (?, ?)", (name, now))
        for name, step in MIGRATIONS:
            if name in applied:
                continue
            if callable(step):
                step(db)
            else:
                for statement in step.split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, now))
        db.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")


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
    cursor = db.execute(
        "INSERT INTO cases (number, channel, source_key, received_at, category, anonymous, language,"
        " body_key, reply_lookup, received_by, source_ref, status_changed_at, reply_recipient, followup_commitment)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        ),
    )
    db.executemany(
        "INSERT INTO attachments (case_id, position, key, size, sha256) VALUES (?, ?, ?, ?, ?)",
        [(cursor.lastrowid, a.position, a.key, a.size, a.sha256) for a in attachments],
    )
    from . import steps  # it imports this module

    steps.start(db, cursor.lastrowid, received_at)
    if source_key:
        db.execute("DELETE FROM quarantine WHERE source_key = ?", (source_key,))
    return number


def _case(row: sqlite3.Row) -> Case:
    values = dict(row)
    values["anonymous"] = bool(values["anonymous"])
    values["was_late"] = bool(values["was_late"])
    return Case(**values)


def update_case(db: sqlite3.Connection, case_id: int, **fields: object) -> None:
    """Change workflow columns of one case (inside a transaction)."""
    unknown = set(fields) - MUTABLE_COLUMNS
    if unknown:
        raise ValueError(f"not a workflow column: {', '.join(sorted(unknown))}")
    assignments = ", ".join(f"{name} = ?" for name in fields)  # names checked against MUTABLE_COLUMNS
    db.execute(f"UPDATE cases SET {assignments} WHERE id = ?", (*fields.values(), case_id))  # noqa: S608


def case_by_id(db: sqlite3.Connection, case_id: int) -> Case:
    row = db.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise CaseNotFound(str(case_id))
    return _case(row)


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


def attachment_counts(db: sqlite3.Connection) -> dict[int, int]:
    """Attachments per case id, in one query (``office list`` of a large register)."""
    return {row[0]: row[1] for row in db.execute("SELECT case_id, count(*) FROM attachments GROUP BY case_id")}


def attachments_of(db: sqlite3.Connection, case_id: int) -> list[AttachmentRow]:
    rows = db.execute(
        "SELECT position, key, size, sha256 FROM attachments WHERE case_id = ? ORDER BY position", (case_id,)
    )
    return [AttachmentRow(**dict(r)) for r in rows]


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


def meta_get(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def meta_set(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


# --- follow-up by receipt code ------------------------------------------------------------------


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
    return _case(row) if row else None


def cases_by_lookup(db: sqlite3.Connection, lookup_id: str) -> list[Case]:
    """Every case that carries this lookup id, oldest first (a hostile report may copy another's)."""
    return [_case(r) for r in db.execute("SELECT * FROM cases WHERE reply_lookup = ? ORDER BY id", (lookup_id,))]


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


# --- notices under Luật Tố cáo (denouncer, person denounced) -------------------------------------


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
