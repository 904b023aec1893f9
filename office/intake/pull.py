"""``office pull``: bring new reports from the store into the register, losing nothing.

For each envelope under ``inbox/``, in order of arrival:

1. download it, decrypt it in memory and validate it as a report;
2. download each attachment it names, check the SHA-256 of the ciphertext and
   the plaintext size (by decrypting as a stream, without keeping the result);
3. write the envelopes into the data folder (atomic, flushed to disk), then
   record the case in the register (one durable transaction);
4. only then delete the remote objects: attachments first, the report last.

Every report and attachment is stored sealed again to the register's keys in
force (``office recipients``), whoever encrypted it: the sender's page may be an
old one, or a hostile one that encrypted to the primary key only, and an X25519
envelope does not tell whether the backup key can open it. The pull says how
many came with fewer recipients than keys in force.

Whatever fails in 1 or 2 puts the envelope in the local quarantine with the
reason and leaves every remote object where it is. A quarantined envelope is
examined once: later pulls leave it aside (``retry_quarantined`` examines it
again), and ``office quarantine --drop`` removes it from the store. A report that no key of the
identity file opens is quarantined only once the key is known to be right (it
is among the register's keys in force, or it opened another report of the same
run): until then the key file may be the wrong one, and the pull stops with
that message, having quarantined and deleted nothing. A run killed at any
instant repeats at most the step it was in: files are keyed by their object
key and rewritten whole, and a report already in the register is never
registered twice (step 4 is simply finished).

A follow-up joins the case whose receipt code it proves (``matching``: the lookup
id names the case, the follow-up proof inside the envelope proves the code).
When no case has its lookup id (the report is not pulled yet, or the reporter
mistyped a code issued without check characters), or the case that has it asks
for a proof the follow-up does not give (unverified), it is registered all the
same, as an unmatched follow-up (``office list --unmatched``): it joins the case
whose report arrives later with that code and proof, or the one the Office names
with ``office attach``. Nothing a reporter sends waits on the server, where files
would expire.

Last, for every registered case with a receipt code, the store gets the marker
``outbox/<lookup id>/registered``: the function reads it to tell the reporter
truthfully whether what they add reaches a case.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from intake_function import codes, envelope, objects, report
from intake_function.store import ObjectInfo, ObjectMissing, Store, exclusive_file

from .. import register
from ..export import kinds
from ..keys.recipients import stored_recipients
from ..keys.rekey import note_sealed
from ..register import audit, contents
from ..register.desk import Desk
from . import matching


@dataclass
class PullResult:
    new_cases: list[str] = field(default_factory=list)
    followups: list[str] = field(default_factory=list)  # the case each new follow-up joined
    unmatched: list[str] = field(default_factory=list)  # follow-ups kept for want of a case (their ids)
    unverified: list[str] = field(default_factory=list)  # follow-ups kept for want of a proof (their ids)
    joined_waiting: list[str] = field(default_factory=list)  # the case each earlier unmatched one joined
    attachments: int = 0
    already_registered: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    deleted_remote: int = 0
    # Every object (reports and attachments) now durably in the register, new or not.
    settled_keys: list[str] = field(default_factory=list)
    opened: int = 0  # reports that decrypted with the identity: proof that it is a right key
    kept_aside: int = 0  # quarantined by an earlier pull, not examined again
    resealed: int = 0  # envelopes (reports, follow-ups, attachments) sealed again to the keys in force
    keys_in_force: int = 0
    fewer_keys: list[str] = field(default_factory=list)  # reports sent to fewer recipients than keys in force
    # Reports for keys of another kind than the identity file's (X25519 reports from a page opened
    # before the Office moved to hybrid keys, say): left on the server for the key file that opens them.
    other_kind: list[str] = field(default_factory=list)


class Rejected(Exception):
    """This report cannot be registered; the message says why (for the quarantine)."""

    def __init__(self, message: str, *, no_key: bool = False) -> None:
        super().__init__(message)
        self.no_key = no_key  # no key of the identity file opens it (rather than: it is damaged)
        self.sealed = b""  # the envelope, when the caller must decide later what to do with it


class WrongKey(Exception):
    """No report of the run opened with the identity file, which is not among the keys in force."""

    def __init__(self, count: int) -> None:
        super().__init__(
            f"không phản ánh nào ({count}) mở được bằng tệp khóa này: có thể dùng nhầm tệp khóa; kiểm tra "
            "OFFICE_IDENTITY hoặc --identity. Không cách ly, không xóa gì. / none of the "
            f"{count} report(s) opens with this identity file: the key file may be the wrong one; check "
            "OFFICE_IDENTITY or --identity. Nothing was quarantined or deleted."
        )
        self.count = count


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
    sealed: bytes  # sealed again to the keys in force, when the register knows them
    document: dict
    staged: list[tuple[str, Path]]
    rows: list[register.AttachmentRow]
    stanzas: int | None  # recipients the sender's envelope carried
    contents: dict[str, str]  # attachment key -> the kind of its content


def pull(
    remote: Store,
    desk: Desk,
    identities: list[envelope.Identity],
    *,
    keep_remote: bool = False,
    keys: list[str] | None = None,
    progress: Callable[[int], None] = lambda size: None,
    actor: str | None = None,
    key_confirmed: bool = False,
    retry_quarantined: bool = False,
) -> PullResult:
    """Pull every report under ``inbox/`` (or just ``keys``); see the module docstring.

    ``progress`` is told the bytes of each report and attachment done. ``actor`` is
    who the audit trail names for the new cases and follow-ups; their entries are
    written in the same transaction as the register rows, so a crash can never
    leave a case that the trail does not know about. ``key_confirmed`` says the
    identity is known to be right (among the register's keys in force). ``retry_quarantined``
    examines again the envelopes an earlier pull put in quarantine.
    """
    actor = audit.current_user(actor)
    result = PullResult()
    sealed_to = [envelope.parse_recipient(r) for r in stored_recipients(desk.db)]
    result.keys_in_force = len(sealed_to)
    aside = set() if retry_quarantined else {row["source_key"] for row in register.quarantined(desk.db)}
    batch: list[_Verified] = []
    held: list[tuple[str, bytes, str]] = []  # did not open; quarantined once the key is confirmed
    for key in pending_keys(remote) if keys is None else keys:
        if key in aside:  # examined by an earlier pull (objects under inbox/ are never rewritten)
            result.kept_aside += 1
            continue
        try:
            verified = _verify(remote, desk, identities, sealed_to, key, keep_remote, result, batch, progress)
        except Rejected as exc:
            held.append((key, exc.sealed, str(exc)))
            continue
        if verified:
            batch.append(verified)
            if len(batch) >= BATCH_REPORTS or sum(r.size for v in batch for r in v.rows) >= BATCH_BYTES:
                _commit(remote, desk, batch, keep_remote, result, actor)
                batch = []
    _commit(remote, desk, batch, keep_remote, result, actor)
    if held and not (key_confirmed or result.opened):
        raise WrongKey(len(held))
    for key, sealed, reason in held:
        _quarantine(desk, key, sealed, reason, result)
    leave_markers(remote, desk)
    return result


def pending(remote: Store) -> list[ObjectInfo]:
    """The report envelopes waiting in the store, oldest first, with their sizes."""
    return [info for info in remote.list(objects.INBOX) if objects.INBOX_KEY_RE.fullmatch(info.key)]


def leave_markers(remote: Store, desk: Desk) -> int:
    """Tell the store which receipt codes have a case (``outbox/<lookup id>/registered``); return how many.

    Each marker is recorded once written, so a run that fails half-way writes the rest next time,
    and a register from before the markers gets them all at its first pull.
    """
    unmarked = register.unmarked_lookups(desk.db)
    for lookup in unmarked:
        remote.put(objects.outbox_marker_key(lookup), b"")
        with register.transaction(desk.db):
            register.note_marked(desk.db, [lookup], _now())
    return len(unmarked)


def pending_keys(remote: Store) -> list[str]:
    """The report envelopes waiting in the store, oldest first."""
    return [info.key for info in pending(remote)]


def _quarantine(desk: Desk, key: str, sealed: bytes, reason: str, result: PullResult) -> None:
    desk.quarantine.put(key, sealed)
    with register.transaction(desk.db):
        register.note_quarantine(desk.db, key, reason, _now(), len(sealed))
    result.quarantined.append((key, reason))


def _verify(
    remote: Store,
    desk: Desk,
    identities: list,
    sealed_to: list,
    key: str,
    keep_remote: bool,
    result: PullResult,
    batch: list[_Verified],
    progress: Callable[[int], None],
) -> _Verified | None:
    """Steps 1 and 2 for one report or follow-up; None if already registered or quarantined.

    Raises Rejected (carrying the envelope) when no key of the identity opens it:
    the caller decides, once the run is over, whether that is the key's fault.
    """
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
    progress(len(sealed))
    claimed = {r.key for verified in batch for r in verified.rows}
    staged: list[tuple[str, Path]] = []
    try:
        document, plaintext = _open_report(sealed, identities)
    except Rejected as exc:
        if exc.no_key and not envelope.recipient_kinds(sealed) & {i.kind for i in identities}:
            result.other_kind.append(key)  # no key of this kind can open it: not this file's fault
            return None
        if exc.no_key:
            exc.sealed = sealed
            raise
        _quarantine(desk, key, sealed, str(exc), result)
        return None
    result.opened += 1
    found: dict[str, str] = {}
    try:
        rows = []
        for position, reference in enumerate(document.get("attachments", [])):
            owner = register.attachment_owner(desk.db, reference["key"])
            if owner or reference["key"] in claimed:
                raise Rejected(
                    f"tệp đính kèm {reference['key']} đã thuộc hồ sơ {owner or 'đang tải'} / "
                    f"attachment already belongs to case {owner or 'being pulled'}"
                )
            claimed.add(reference["key"])
            temp, found[reference["key"]] = _fetch_attachment(remote, desk, reference, identities, sealed_to)
            staged.append((reference["key"], temp))
            progress(reference.get("size", 0))
            rows.append(register.AttachmentRow(position, reference["key"], reference["size"], reference["sha256"]))
    except Rejected as exc:
        for _, temp in staged:
            temp.unlink(missing_ok=True)
        _quarantine(desk, key, sealed, str(exc), result)
        return None
    stanzas = _recipients_of(sealed)
    if sealed_to:
        sealed = envelope.encrypt(plaintext, sealed_to)
        result.resealed += 1 + len(staged)
    return _Verified(key, sealed, document, staged, rows, stanzas, found)


def _commit(
    remote: Store, desk: Desk, batch: list[_Verified], keep_remote: bool, result: PullResult, actor: str
) -> None:
    """Steps 3 and 4 for a batch: files, then one transaction, then the remote deletions."""
    if not batch:
        return
    desk.store.put_many([item for v in batch for item in [*v.staged, (v.key, v.sealed)]])
    reports = [v for v in batch if v.document["schema"] == report.SCHEMA_ID]
    followups = [v for v in batch if v.document["schema"] == report.FOLLOWUP_ID]
    in_force = stored_recipients(desk.db)
    with register.transaction(desk.db):
        if in_force:
            note_sealed(desk.db, [k for v in batch for k in [v.key, *(key for key, _ in v.staged)]], in_force)
        contents.note(desk.db, {k: c for v in batch for k, c in v.contents.items()})
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
                followup_commitment=v.document.get("reply", {}).get("followup_commitment"),
                attachments=v.rows,
            )
            for v in reports
        ]
        followed, kept, doubted = [], [], []
        for v in followups:  # after the reports: one of them may be the case it follows
            commitment = matching.proof_commitment(v.document)
            decision = matching.decide(desk.db, v.document["lookup_id"], commitment)
            if decision.case is None:  # kept, not lost: it joins a case later (see the module docstring)
                register.add_unmatched_followup(
                    desk.db,
                    source_key=v.key,
                    lookup_id=v.document["lookup_id"],
                    received_at=received_at(v.key),
                    body_key=v.key,
                    attachments=v.rows,
                    kept_at=_now(),
                    proof_commitment=commitment,
                    unverified=decision.unverified,
                )
                (doubted if decision.unverified else kept).append(register.followup_reference(v.key))
                continue
            register.add_followup(
                desk.db,
                case_id=decision.case.id,
                source_key=v.key,
                received_at=received_at(v.key),
                body_key=v.key,
                attachments=v.rows,
                verified=decision.verified,
            )
            followed.append((decision.case.number, decision.verified))
        joined, newly_doubted = _join_waiting(desk.db, numbers)
        for number, v in zip(numbers, reports, strict=True):
            audit.append(
                desk.db,
                "register",
                who=actor,
                reason="tiếp nhận qua cổng trực tuyến",
                case_number=number,
                details={"channel": "online", **_sealing(v, len(in_force))},
            )
        for number, verified in followed:
            audit.append(
                desk.db,
                "change",
                who=actor,
                reason="nhận thông tin bổ sung qua mã tra cứu"
                + ("" if verified == "code" else " (chưa chứng minh được là của người phản ánh)"),
                case_number=number,
                details={"followup": True, "verified": verified},
            )
        for reference in kept:
            audit.append(
                desk.db,
                "keep",
                who=actor,
                reason="thông tin bổ sung chưa khớp hồ sơ nào: giữ lại để đối chiếu",
                details={"followup": reference},
            )
        for reference in doubted + newly_doubted:
            audit.append(
                desk.db,
                "keep",
                who=actor,
                reason="thông tin bổ sung không chứng minh được mã tra cứu của hồ sơ: giữ riêng, chưa gắn vào hồ sơ",
                details={"followup": reference, "unverified": True},
            )
        for number, reference, verified in joined:
            audit.append(
                desk.db,
                "attach",
                who=actor,
                reason="gắn thông tin bổ sung đã nhận trước khi hồ sơ vào sổ (cùng mã tra cứu)",
                case_number=number,
                details={"followup": reference, "by_receipt_code": True, "verified": verified},
            )
    desk.quarantine.delete_many([v.key for v in batch])
    settled = [r.key for v in batch for r in v.rows] + [v.key for v in batch]
    short = [v for v in batch if v.stanzas is not None and in_force and v.stanzas < len(in_force)]
    by_key = dict(zip([v.key for v in reports], numbers, strict=True))
    result.fewer_keys.extend(by_key.get(v.key, register.followup_reference(v.key)) for v in short)
    result.new_cases.extend(numbers)
    result.followups.extend(number for number, _ in followed)
    result.unmatched.extend(kept)
    result.unverified.extend(doubted + newly_doubted)
    result.joined_waiting.extend(number for number, _, _ in joined)
    result.attachments += sum(len(v.rows) for v in batch)
    result.settled_keys.extend(settled)
    if not keep_remote:
        remote.delete_many(settled)
        result.deleted_remote += len(settled)


def _join_waiting(db, numbers: list[str]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Join the kept follow-ups whose receipt code one of these new cases carries and proves.

    Returns the (case, follow-up, how verified) joined, and the follow-ups found unverified now
    that a case has their lookup id.
    """
    joined, doubted = [], []
    for number in numbers:
        case = register.find_case(db, number)
        if not case.reply_lookup:
            continue
        for waiting in register.unmatched_followups(db, case.reply_lookup):
            decision = matching.for_new_case(case, waiting)
            if decision.case is not None:
                register.join_followup(db, waiting, case.id, decision.verified)
                joined.append((number, waiting.reference, decision.verified))
            elif waiting.unverified is None:
                register.mark_unverified(db, waiting, decision.unverified)
                doubted.append(waiting.reference)
    return joined, doubted


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
    try:
        document, _ = _open_report(desk.store.get(followup.body_key), identities)
    except Rejected:  # this key does not open our own copy: settle the follow-up; its files expire remotely
        return [key]
    return [a["key"] for a in document.get("attachments", [])] + [key]


def _open_report(sealed: bytes, identities: list) -> tuple[dict, bytes]:
    try:
        plaintext = envelope.decrypt(sealed, identities)
    except envelope.EnvelopeError as exc:
        no_key = "No matching keys" in str(exc)
        raise Rejected(
            "không giải mã được bằng tệp khóa này: phản ánh được mã hóa cho khóa khác (khóa cũ?) hoặc tệp khóa "
            f"không đúng / does not decrypt with this identity file: encrypted to another key (an old one?), "
            f"or the key file may be the wrong one ({exc})"
            if no_key
            else f"phản ánh bị hỏng, không giải mã được / the report is damaged and does not decrypt ({exc})",
            no_key=no_key,
        ) from None
    try:
        return report.parse(plaintext, accept=(report.SCHEMA_ID, report.FOLLOWUP_ID)), plaintext
    except report.ReportError as exc:
        raise Rejected(
            f"nội dung không đúng định dạng {report.SCHEMA_ID} / not a valid {report.SCHEMA_ID} document: {exc}"
        ) from None


class _HashingReader:
    """Hands a file to the decryptor while hashing what it reads: one pass over the bytes."""

    def __init__(self, source) -> None:
        self.source = source
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.hash.update(chunk)
        return chunk


def _fetch_attachment(
    remote: Store, desk: Desk, reference: dict, identities: list, sealed_to: list
) -> tuple[Path, str]:
    """Copy one attachment into a temporary file, prove it is the one the report names, seal it to the keys
    in force; return the file and the kind of its content (``kinds``).

    The proof is one pass over the copy: the SHA-256 of the ciphertext, and the size of the
    plaintext, decrypted as a stream into memory (an attachment is at most tens of MiB, as in
    ``office recipients --rekey``), never to disk.
    """
    key = reference["key"]
    temp = desk.store.temporary_name()
    resealed = None
    try:
        try:
            remote.fetch(key, temp)
        except ObjectMissing:
            raise Rejected(f"thiếu tệp đính kèm {key} trên kho / the attachment is missing from the store") from None
        plaintext = io.BytesIO()
        with temp.open("rb") as handle:
            reader = _HashingReader(handle)
            try:
                envelope.decrypt_stream(reader, plaintext, identities)
            except envelope.EnvelopeError as exc:
                raise Rejected(
                    f"tệp đính kèm {key} không giải mã được / the attachment does not decrypt ({exc})"
                ) from None
            reader.hash.update(handle.read())  # bytes after the end of the envelope, if any
        if reader.hash.hexdigest() != reference["sha256"]:
            raise Rejected(
                f"tệp đính kèm {key} không đúng tệp phản ánh nêu (SHA-256) / "
                "the SHA-256 of the attachment's ciphertext differs from the report's"
            )
        size = plaintext.getbuffer().nbytes
        if size != reference["size"]:
            raise Rejected(
                f"tệp đính kèm {key} có {size} byte, phản ánh nêu {reference['size']} / "
                f"the attachment has {size} bytes, the report says {reference['size']}"
            )
        content = kinds.recognise(plaintext.getbuffer()[: kinds.HEAD].tobytes(), reference.get("name", "")).code
        if not sealed_to:
            return temp, content
        plaintext.seek(0)
        resealed = desk.store.temporary_name()
        with exclusive_file(resealed) as sink:
            envelope.encrypt_stream(plaintext, sink, sealed_to)
        temp.unlink()
        return resealed, content
    except BaseException:
        temp.unlink(missing_ok=True)
        if resealed is not None:
            resealed.unlink(missing_ok=True)
        raise


def _recipients_of(sealed: bytes) -> int | None:
    """How many recipient stanzas the sender's envelope carries (None if its header cannot be read)."""
    try:
        header = envelope.parse_header(sealed)
    except envelope.EnvelopeError:
        return None
    # Every kind of recipient stanza the envelope module counts (X25519 today).
    return sum(value for name, value in vars(header).items() if name.endswith("_stanzas"))


def _sealing(verified: _Verified, keys_in_force: int) -> dict:
    """What the audit entry of a new case says of its envelope: sent to how many keys, sealed to how many."""
    if not keys_in_force:
        return {}
    return {"recipients_sent": verified.stanzas, "resealed_to_keys_in_force": keys_in_force}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
