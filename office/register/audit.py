"""The audit trail: who looked at, revealed, changed, answered or exported which case, when and why.

Entries live in the register's ``audit`` table and are chained: each one stores
the SHA-256 of the previous entry's hash together with its own content, so

* an entry edited after the fact no longer matches its hash;
* an entry deleted leaves a gap in the sequence numbers, and its successor
  points at a hash that is no longer there;
* entries swapped or reordered point at the wrong predecessor;
* entries cut off the end no longer reach the head that ``meta`` records.

This makes tampering evident, not impossible: someone who can write the
database can rebuild the whole chain. Writing down the head printed by
``office audit verify`` now and then (in the Office's paper log) closes that gap.

Entries never hold a reporter's identity or a report's content: only the case
number, the action, who did it, why, and metadata such as the new status.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from typing import Any

from .. import register
from ..workflow.clock import now_iso

GENESIS = "0" * 64
HEAD_KEY = "audit_head"

# Action codes, with Vietnamese and English labels for `office audit list`.
ACTIONS = {
    "register": ("Vào sổ", "registered"),
    "view": ("Xem hồ sơ (không gồm danh tính)", "viewed (without identity)"),
    "view-full": ("Xem bản gốc (gồm danh tính)", "viewed the original (with identity)"),
    "reveal": ("Xem danh tính người phản ánh", "revealed the reporter's identity"),
    "extract": ("Giải mã tệp đính kèm", "decrypted attachments"),
    "change": ("Cập nhật hồ sơ", "changed"),
    "reply": ("Trả lời, thông báo", "answered or gave a notice"),
    "keep": ("Giữ thông tin bổ sung chưa khớp hồ sơ", "kept a follow-up that matches no case"),
    "attach": ("Gắn thông tin bổ sung vào hồ sơ", "joined a follow-up to a case"),
    "export": ("Xuất hồ sơ để chuyển", "exported for forwarding"),
    "report": ("Lập báo cáo", "produced a report"),
    "incident": ("Ghi nhận sự cố bảo mật", "recorded a confidentiality incident"),
    "activity": ("Ghi nhận, sửa hoạt động thực hiện Kế hoạch", "recorded or corrected an activity of the plan"),
    "settings": ("Cài đặt", "settings"),
    "notice": ("Lập dự thảo thông báo về tố cáo", "drafted a notice on a denunciation"),
    "upgrade": ("Nâng cấp sổ theo dõi", "upgraded the register"),
    "site-check": ("Kiểm tra trang đang phục vụ", "checked the live site against the release"),
    "init": ("Lập sổ, gắn kho lưu trữ", "register made or bound to a store"),
    "keys": ("Thay đổi khóa, mã hóa lại", "keys changed or data re-encrypted"),
    "cleanup": ("Xóa bản dở dang của lệnh bị dừng", "removed what an interrupted command left"),
    "quarantine": ("Xóa phản ánh bị cách ly khỏi kho", "removed a quarantined envelope from the store"),
    "protection": ("Ghi nhận biện pháp bảo vệ người phản ánh, tố giác", "recorded a protection measure"),
    "unit-report": ("Ghi nhận báo cáo của phòng, đơn vị", "recorded a unit's report received"),
}


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    who: str
    action: str
    case_number: str | None
    reason: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


def current_user(given: str | None = None) -> str:
    """Who is acting: ``--by``, else OFFICE_USER, else the operating system's user name."""
    if given:
        return given
    if os.environ.get("OFFICE_USER"):
        return os.environ["OFFICE_USER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def entry_hash(
    prev_hash: str, seq: int, at: str, who: str, action: str, case: str | None, reason: str, details: str
) -> str:
    """The hash of one entry: its predecessor's hash and every field, as canonical JSON."""
    content = json.dumps(
        [prev_hash, seq, at, who, action, case, reason, details], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def append(
    db: sqlite3.Connection,
    action: str,
    *,
    who: str,
    reason: str,
    case_number: str | None = None,
    details: dict[str, Any] | None = None,
) -> Entry:
    """Append one entry; call inside a transaction so the entry and the change commit together."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    last = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = now_iso()
    text = json.dumps(details or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = entry_hash(prev, seq, at, who, action, case_number, reason, text)
    db.execute(
        "INSERT INTO audit (seq, at, who, action, case_number, reason, details, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, who, action, case_number, reason, text, prev, digest),
    )
    register.meta_set(db, HEAD_KEY, f"{seq}:{digest}")
    return Entry(seq, at, who, action, case_number, reason, details or {}, prev, digest)


def record(db: sqlite3.Connection, action: str, **fields: Any) -> Entry:
    """Append one entry in its own transaction (for views, which change nothing else)."""
    with register.transaction(db):
        return append(db, action, **fields)


def entries(db: sqlite3.Connection, case_number: str | None = None) -> list[Entry]:
    query, args = "SELECT * FROM audit ORDER BY seq", ()
    if case_number:
        query, args = "SELECT * FROM audit WHERE case_number = ? ORDER BY seq", (case_number,)
    return [_entry(row) for row in db.execute(query, args)]


def last(db: sqlite3.Connection, action: str) -> Entry | None:
    """The latest entry of one kind (the last site check, say), or None."""
    row = db.execute("SELECT * FROM audit WHERE action = ? ORDER BY seq DESC LIMIT 1", (action,)).fetchone()
    return _entry(row) if row else None


def _entry(row: sqlite3.Row) -> Entry:
    try:
        details = json.loads(row["details"])
    except json.JSONDecodeError:
        details = {"unreadable": row["details"][:200]}
    return Entry(**{**dict(row), "details": details})


@dataclass(frozen=True)
class Problem:
    seq: int | None
    message: str


def verify(db: sqlite3.Connection) -> tuple[list[Problem], str | None]:
    """Check the whole chain; return the problems found (each naming an entry) and the head."""
    problems: list[Problem] = []
    expected_seq, prev = 1, GENESIS
    rows = db.execute(
        "SELECT seq, at, who, action, case_number, reason, details, prev_hash, hash FROM audit ORDER BY seq"
    ).fetchall()
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            span = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq}–{seq - 1}"
            missing = f"entry {span} is" if seq == expected_seq + 1 else f"entries {span} are"
            problems.append(
                Problem(
                    expected_seq,
                    f"mất mục {span} trước mục {seq} (đã bị xóa) / {missing} missing before entry {seq} (deleted)",
                )
            )
        if row["prev_hash"] != prev:
            problems.append(
                Problem(
                    seq,
                    f"mục {seq} không nối tiếp mục trước (có mục bị xóa, chèn thêm hoặc đổi thứ tự) / "
                    f"entry {seq} does not follow the entry before it (an entry was deleted, inserted or the order "
                    "changed)",
                )
            )
        recomputed = entry_hash(
            row["prev_hash"],
            seq,
            row["at"],
            row["who"],
            row["action"],
            row["case_number"],
            row["reason"],
            row["details"],
        )
        if recomputed != row["hash"]:
            problems.append(
                Problem(
                    seq,
                    f"mục {seq} đã bị sửa: nội dung không còn khớp mã băm / entry {seq} was edited: its content no "
                    "longer matches its hash",
                )
            )
        expected_seq, prev = seq + 1, row["hash"]
    head = register.meta_get(db, HEAD_KEY)
    actual = f"{rows[-1]['seq']}:{rows[-1]['hash']}" if rows else None
    if head != actual:
        recorded = head.split(":")[0] if head else "none"
        last = rows[-1]["seq"] if rows else 0
        problems.append(
            Problem(
                None,
                f"nhật ký dừng ở mục {last} nhưng sổ ghi mục cuối là {recorded}: các mục cuối đã bị xóa hoặc đầu "
                f"chuỗi đã bị sửa / the trail ends at entry {last} but the register's head records entry "
                f"{recorded}: entries at the end were deleted or the head was changed",
            )
        )
    return problems, actual
