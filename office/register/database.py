"""The register's database: its schema, grown by named steps applied once each, its connection and transactions.

The database runs in WAL mode with ``synchronous=FULL``: once a transaction
returns, the case survives a power cut, which is what allows ``office pull``
to delete the remote copy right after.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    from . import audit  # audit imports the register

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
    from . import audit, steps  # both import the register
    from .cases import case_from_row

    for statement in steps.SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    cases = [case_from_row(row) for row in db.execute("SELECT * FROM cases ORDER BY id")]
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


def _notice_records(db: sqlite3.Connection) -> None:
    """Keep every notice as its own record (see ``office/register/notices.py``, ``upgrade``)."""
    from . import audit, notices  # both import the register
    from .cases import case_from_row

    cases = [case_from_row(row) for row in db.execute("SELECT * FROM cases ORDER BY id")]
    counts = notices.upgrade(db, cases)
    if not cases:
        return  # a new register: nothing to tell
    audit.append(
        db,
        "upgrade",
        who=audit.current_user(),
        reason=(
            "21-notice-records: mỗi thông báo được lưu thành một bản ghi riêng (cho ai, về việc gì, cách nào, khi "
            "nào); thông báo sau không còn ghi đè ngày của thông báo trước / every notice is kept as its own "
            "record; a later notice no longer overwrites the date of an earlier one"
        ),
        details={
            "step": "21-notice-records",
            "cases": len(cases),
            **counts,
            "given_at_of_earlier_notices": "thời điểm ghi vào nhật ký / when recorded in the audit trail",
        },
    )


def _fair_clocks(db: sqlite3.Connection) -> None:
    """A forwarded case, once followed up, waits on the authority: that time is not the Office's.

    The column is made by step 12 for a register that reaches it today; a register that took
    step 12 before gets it here. Either way, the following of a forwarded case recorded before
    this step waits on the authority it was forwarded to, as ``steps.record_change`` now writes it.
    """
    from . import audit  # it imports the register

    columns = {row[1] for row in db.execute("PRAGMA table_info(steps)")}
    if "waits_on" not in columns:
        db.execute("ALTER TABLE steps ADD COLUMN waits_on TEXT")
    waiting = db.execute(
        "SELECT s.id, c.number, coalesce(c.forwarded_to, '?') FROM steps s JOIN cases c ON c.id = s.case_id"
        " WHERE s.step = 'following' AND s.unit IS NULL AND s.waits_on IS NULL AND (SELECT p.step FROM steps p"
        " WHERE p.case_id = s.case_id AND p.id != s.id AND p.step != 'resolve' AND p.held_from <= s.held_from"
        " ORDER BY p.held_from DESC, p.id DESC LIMIT 1) = 'forwarded'"
    ).fetchall()
    for step_id, _, authority in waiting:
        db.execute("UPDATE steps SET waits_on = ? WHERE id = ?", (authority, step_id))
    if waiting:
        audit.append(
            db,
            "upgrade",
            who=audit.current_user(),
            reason=(
                "21-fair-clocks: thời gian chờ kết quả của cơ quan được chuyển không tính cho Văn phòng Ban / "
                "the time a forwarded case waits on the authority's result is not the Office's"
            ),
            details={"step": "21-fair-clocks", "cases": sorted({number for _, number, _ in waiting})},
        )


def _protection(db: sqlite3.Connection) -> None:
    """Protection measures and the units' own reports (see ``office/register/protection.py``)."""
    from . import protection  # it imports the register

    for statement in protection.SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


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
    # Issue 21: every notice a record of its own, for every recipient; the conclusion's notice.
    ("21-notice-records", _notice_records),
    # Issue 21: a step that waits on another agency (a forwarded case) is that agency's time, not the Office's.
    ("21-fair-clocks", _fair_clocks),
    # Issue 21: protection measures; the units' own half-year reports received (IV.3).
    ("21-protection", _protection),
]

# Registers made before steps had names count them in ``PRAGMA user_version``: 1, 2 or 3 means
# the schema above and the first 0, 1 or 2 steps.
_NUMBERED_BEFORE_NAMES = 3


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


def meta_get(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def meta_set(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
