"""``office pull``: bring new reports from the store into the register, losing nothing.

For each envelope under ``inbox/``, in order of arrival:

1. download it, decrypt it in memory and validate it as a report;
2. download each attachment it names, check the SHA-256 of the ciphertext and
   the plaintext size (by decrypting as a stream, without keeping the result);
3. write the envelopes into the data folder (atomic, flushed to disk), then
   record the case in the register (one durable transaction);
4. only then delete the remote objects: attachments first, the report last.

Whatever fails in 1 or 2 puts the envelope in the local quarantine with the
reason and leaves every remote object where it is. A run killed at any
instant repeats at most the step it was in: files are keyed by their object
key and rewritten whole, and a report already in the register is never
registered twice (step 4 is simply finished).

A follow-up joins the case that carries its receipt code. When no case does
(the report is not pulled yet, or the reporter mistyped a code issued without
check characters), it is registered all the same, as an unmatched follow-up
(``office list --unmatched``): it joins the case whose report arrives later with
that code, or the one the Office names with ``office attach``. Nothing a
reporter sends waits on the server, where files would expire.

Last, for every registered case with a receipt code, the store gets the marker
``outbox/<lookup id>/registered``: the function reads it to tell the reporter
truthfully whether what they add reaches a case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from intake_function import codes, envelope, objects, report
from intake_function.store import ObjectMissing, Store

from .. import register
from ..register import audit
from ..register.desk import Desk


@dataclass
class PullResult:
    new_cases: list[str] = field(default_factory=list)
    followups: list[str] = field(default_factory=list)  # the case each new follow-up joined
    unmatched: list[str] = field(default_factory=list)  # follow-ups kept for want of a case (their ids)
    joined_waiting: list[str] = field(default_factory=list)  # the case each earlier unmatched one joined
    attachments: int = 0
    already_registered: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    deleted_remote: int = 0
    # Every object (reports and attachments) now durably in the register, new or not.
    settled_keys: list[str] = field(default_factory=list)


class Rejected(Exception):
    """This report cannot be registered; the message says why (for the quarantine)."""


def received_at(key: str) -> str:
    """The arrival time encoded in an inbox object id (a ULID), as ISO 8601 UTC."""
    milliseconds = codes.decode_int(objects.object_id_of(key)[:10])
    return datetime.fromtimestamp(milliseconds / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Reports are written, registered and deleted remotely in batches: one flush of each folder
# and one database commit per batch instead of per report. Nothing is deleted remotely before
# the batch it belongs to is committed, so a crash costs at most one batch of repeated work.
BATCH_REPORTS = 64
BATCH_BYTES = 64 * 1024 * 1024


@dataclass
class _Verified:
    """A report that decrypted and validated, with its attachments copied and proven."""

    key: str
    sealed: bytes
    document: dict
    staged: list[tuple[str, Path]]
    rows: list[register.AttachmentRow]


def pull(
    remote: Store,
    desk: Desk,
    identities: list[envelope.Identity],
    *,
    keep_remote: bool = False,
    keys: list[str] | None = None,
    progress: Callable[[str], None] = lambda key: None,
    actor: str | None = None,
) -> PullResult:
    """Pull every report under ``inbox/`` (or just ``keys``); see the module docstring.

    ``actor`` is who the audit trail names for the new cases and follow-ups; their
    entries are written in the same transaction as the register rows, so a crash
    can never leave a case that the trail does not know about.
    """
    actor = audit.current_user(actor)
    result = PullResult()
    batch: list[_Verified] = []
    for key in pending_keys(remote) if keys is None else keys:
        verified = _verify(remote, desk, identities, key, keep_remote, result, batch)
        if verified:
            batch.append(verified)
            if len(batch) >= BATCH_REPORTS or sum(r.size for v in batch for r in v.rows) >= BATCH_BYTES:
                _commit(remote, desk, batch, keep_remote, result, actor)
                batch = []
        progress(key)
    _commit(remote, desk, batch, keep_remote, result, actor)
    leave_markers(remote, desk)
    return result


def leave_markers(remote: Store, desk: Desk) -> int:
    """Tell the store which receipt codes have a case (``outbox/<lookup id>/registered``); return how many.

    Each marker is recorded once written, so a run that fails half-way writes the rest next time,
    and a register from before the markers gets them all at its first pull.
    """
    pending = register.unmarked_lookups(desk.db)
    for lookup in pending:
        remote.put(objects.outbox_marker_key(lookup), b"")
        with register.transaction(desk.db):
            register.note_marked(desk.db, [lookup], _now())
    return len(pending)


def pending_keys(remote: Store) -> list[str]:
    """The report envelopes waiting in the store, oldest first."""
    return [info.key for info in remote.list(objects.INBOX) if objects.INBOX_KEY_RE.match(info.key)]


def _verify(
    remote: Store,
    desk: Desk,
    identities: list,
    key: str,
    keep_remote: bool,
    result: PullResult,
    batch: list[_Verified],
) -> _Verified | None:
    """Steps 1 and 2 for one report or follow-up; None if already registered or quarantined."""
    settled = _already_registered(desk, identities, key)
    if settled is not None:  # registered by an earlier, interrupted run: only step 4 is left
        result.already_registered += 1
        result.settled_keys.extend(settled)
        if not keep_remote:
            remote.delete_many(settled)
            result.deleted_remote += len(settled)
        return None
    try:
        sealed = remote.get(key)
    except ObjectMissing:
        return None  # another run took it meanwhile
    claimed = {r.key for verified in batch for r in verified.rows}
    staged: list[tuple[str, Path]] = []
    try:
        document = _open_report(sealed, identities)
        rows = []
        for position, reference in enumerate(document.get("attachments", [])):
            owner = register.attachment_owner(desk.db, reference["key"])
            if owner or reference["key"] in claimed:
                raise Rejected(f"attachment {reference['key']} already belongs to case {owner or 'being pulled'}")
            claimed.add(reference["key"])
            staged.append((reference["key"], _fetch_attachment(remote, desk, reference, identities)))
            rows.append(register.AttachmentRow(position, reference["key"], reference["size"], reference["sha256"]))
    except Rejected as exc:
        for _, temp in staged:
            temp.unlink(missing_ok=True)
        desk.quarantine.put(key, sealed)
        with register.transaction(desk.db):
            register.note_quarantine(desk.db, key, str(exc), _now())
        result.quarantined.append((key, str(exc)))
        return None
    return _Verified(key, sealed, document, staged, rows)


def _commit(
    remote: Store, desk: Desk, batch: list[_Verified], keep_remote: bool, result: PullResult, actor: str
) -> None:
    """Steps 3 and 4 for a batch: files, then one transaction, then the remote deletions."""
    if not batch:
        return
    desk.store.put_many([item for v in batch for item in [*v.staged, (v.key, v.sealed)]])
    reports = [v for v in batch if v.document["schema"] == report.SCHEMA_ID]
    followups = [v for v in batch if v.document["schema"] == report.FOLLOWUP_ID]
    with register.transaction(desk.db):
        numbers = [
            register.add_case(
                desk.db,
                channel="online",
                source_key=v.key,
                received_at=received_at(v.key),
                category=v.document["category"],
                anonymous="reporter" not in v.document,
                language=v.document.get("language"),
                body_key=v.key,
                reply_lookup=v.document.get("reply", {}).get("lookup_id"),
                reply_recipient=v.document.get("reply", {}).get("recipient"),
                attachments=v.rows,
            )
            for v in reports
        ]
        followed, kept = [], []
        for v in followups:  # after the reports: one of them may be the case it follows
            case = register.case_by_lookup(desk.db, v.document["lookup_id"])
            if case is None:  # kept, not lost: it joins a case later (see the module docstring)
                register.add_unmatched_followup(
                    desk.db,
                    source_key=v.key,
                    lookup_id=v.document["lookup_id"],
                    received_at=received_at(v.key),
                    body_key=v.key,
                    attachments=v.rows,
                    kept_at=_now(),
                )
                kept.append(register.followup_reference(v.key))
                continue
            register.add_followup(
                desk.db,
                case_id=case.id,
                source_key=v.key,
                received_at=received_at(v.key),
                body_key=v.key,
                attachments=v.rows,
            )
            followed.append(case.number)
        joined = _join_waiting(desk.db, numbers)
        for number in numbers:
            audit.append(
                desk.db,
                "register",
                who=actor,
                reason="tiếp nhận qua cổng trực tuyến",
                case_number=number,
                details={"channel": "online"},
            )
        for number in followed:
            audit.append(
                desk.db,
                "change",
                who=actor,
                reason="nhận thông tin bổ sung qua mã tra cứu",
                case_number=number,
                details={"followup": True},
            )
        for reference in kept:
            audit.append(
                desk.db,
                "keep",
                who=actor,
                reason="thông tin bổ sung chưa khớp hồ sơ nào: giữ lại để đối chiếu",
                details={"followup": reference},
            )
        for number, reference in joined:
            audit.append(
                desk.db,
                "attach",
                who=actor,
                reason="gắn thông tin bổ sung đã nhận trước khi hồ sơ vào sổ (cùng mã tra cứu)",
                case_number=number,
                details={"followup": reference, "by_receipt_code": True},
            )
    desk.quarantine.delete_many([v.key for v in batch])
    settled = [r.key for v in batch for r in v.rows] + [v.key for v in batch]
    result.new_cases.extend(numbers)
    result.followups.extend(followed)
    result.unmatched.extend(kept)
    result.joined_waiting.extend(number for number, _ in joined)
    result.attachments += sum(len(v.rows) for v in batch)
    result.settled_keys.extend(settled)
    if not keep_remote:
        remote.delete_many(settled)
        result.deleted_remote += len(settled)


def _join_waiting(db, numbers: list[str]) -> list[tuple[str, str]]:
    """Join the kept follow-ups whose receipt code one of these new cases carries: (case, follow-up) pairs."""
    joined = []
    for number in numbers:
        case = register.find_case(db, number)
        if not case.reply_lookup:
            continue
        for waiting in register.unmatched_followups(db, case.reply_lookup):
            register.join_followup(db, waiting, case.id)
            joined.append((number, waiting.reference))
    return joined


def _already_registered(desk: Desk, identities: list, key: str) -> list[str] | None:
    """The object keys an earlier run registered for this envelope, or None if it is new."""
    case = register.case_by_source(desk.db, key)
    if case is not None:
        return [r.key for r in register.attachments_of(desk.db, case.id)] + [key]
    waiting = register.unmatched_by_source(desk.db, key)
    if waiting is not None:
        return [r.key for r in register.unmatched_attachments_of(desk.db, waiting.id)] + [key]
    followup = register.followup_by_source(desk.db, key)
    if followup is None:
        return None
    document = _open_report(desk.store.get(followup.body_key), identities)
    return [a["key"] for a in document.get("attachments", [])] + [key]


def _open_report(sealed: bytes, identities: list) -> dict:
    try:
        plaintext = envelope.decrypt(sealed, identities)
    except envelope.EnvelopeError as exc:
        raise Rejected(f"the report does not decrypt with this identity ({exc})") from None
    try:
        return report.parse(plaintext, accept=(report.SCHEMA_ID, report.FOLLOWUP_ID))
    except report.ReportError as exc:
        raise Rejected(f"the report is not a valid {report.SCHEMA_ID} document: {exc}") from None


class _HashingReader:
    """Hands a file to the decryptor while hashing what it reads: one pass over the bytes."""

    def __init__(self, source) -> None:
        self.source = source
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.hash.update(chunk)
        return chunk


class _CountingSink:
    size = 0

    def write(self, chunk: bytes) -> int:
        self.size += len(chunk)
        return len(chunk)

    def flush(self) -> None:
        pass


def _fetch_attachment(remote: Store, desk: Desk, reference: dict, identities: list) -> Path:
    """Copy one attachment into a temporary file and prove it is the one the report names.

    The proof is one pass over the copy: the SHA-256 of the ciphertext, and the
    size of the plaintext, decrypted as a stream and thrown away.
    """
    key = reference["key"]
    temp = desk.store.temporary_name()
    try:
        try:
            remote.fetch(key, temp)
        except ObjectMissing:
            raise Rejected(f"attachment {key} is missing from the store") from None
        sink = _CountingSink()
        with temp.open("rb") as handle:
            reader = _HashingReader(handle)
            try:
                envelope.decrypt_stream(reader, sink, identities)
            except envelope.EnvelopeError as exc:
                raise Rejected(f"attachment {key} does not decrypt ({exc})") from None
            reader.hash.update(handle.read())  # bytes after the end of the envelope, if any
        if reader.hash.hexdigest() != reference["sha256"]:
            raise Rejected(f"attachment {key}: the SHA-256 of its ciphertext differs from the report's")
        if sink.size != reference["size"]:
            raise Rejected(f"attachment {key}: {sink.size} bytes, but the report says {reference['size']}")
        return temp
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
