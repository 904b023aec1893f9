"""Envelopes in quarantine: what did not decrypt or validate, examined once, then kept aside.

``office pull`` puts an envelope that does not open, or is not a report, in the data folder's
``quarantine/`` with the reason, and leaves the remote object where it is: it may be a report
encrypted to an old key, or a page that went wrong, and the Office decides. Later pulls do not
download or decrypt it again (``pull`` leaves aside every key listed here). ``drop`` removes it
from the store once the Office has decided, with a reason for the audit trail, and only once
its local copy is durably kept: the envelope is never lost, only moved out of the way.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake_function.store import ObjectMissing, Store

from .. import register
from ..register import audit
from ..register.desk import Desk
from ..workflow.clock import now_iso


class QuarantineError(Exception):
    """The envelope cannot be dropped; nothing was deleted. The message says why."""


@dataclass(frozen=True)
class Dropped:
    key: str
    size: int  # of the local copy kept in the quarantine folder
    was_remote: bool  # False if the store no longer held it


def source_key(reference: str) -> str:
    """An inbox key from what the Office typed: the key itself, or the submission id it names."""
    reference = reference.strip()
    return reference if reference.startswith("inbox/") else f"inbox/{reference.upper()}.age"


def drop(desk: Desk, remote: Store, reference: str, *, reason: str, who: str) -> Dropped:
    """Remove a quarantined envelope from the store, keeping its local copy; audited before the deletion."""
    if not reason.strip():
        raise QuarantineError(
            "phải nêu lý do bằng --reason (ghi vào nhật ký) / say why with --reason (for the audit trail)"
        )
    key = source_key(reference)
    row = next((r for r in register.quarantined(desk.db) if r["source_key"] == key), None)
    if row is None:
        raise QuarantineError(
            f"{key} không có trong danh sách cách ly (office quarantine) / {key} is not in quarantine"
        )
    try:
        remote_copy = remote.get(key)
    except ObjectMissing:
        remote_copy = None
    try:
        local = desk.quarantine.get(key)
    except ObjectMissing:
        local = None
    if remote_copy is not None and local != remote_copy:
        desk.quarantine.put(key, remote_copy)  # flushed and renamed into place before anything is deleted
        local = remote_copy
    if local is None:
        raise QuarantineError(
            f"không còn bản nào của {key}, ở kho cũng như trong thư mục cách ly / no copy of {key} is left"
        )
    with register.transaction(desk.db):
        audit.append(
            desk.db,
            "quarantine",
            who=who,
            reason=reason.strip(),
            details={"key": key, "size": len(local), "removed_from_store": remote_copy is not None},
        )
        register.note_dropped(desk.db, key, now_iso())
    if remote_copy is not None:
        remote.delete(key)
    return Dropped(key, len(local), remote_copy is not None)
