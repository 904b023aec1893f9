"""Reports carried to an offline machine: ``pull --encrypted-only`` and ``import``.

The safest Office keeps its private key on a computer that never goes online.
Then an online computer, which holds no key, copies the ciphertext into a
transfer folder (a USB stick, say); the offline computer imports from it,
decrypting and registering as ``pull`` does; and the folder comes back with a
list of what was imported, so the next copy deletes exactly those objects from
the store, and nothing that was not safely registered. Answers to reporters go
the other way: ``office reply --to FOLDER`` on the offline machine leaves them
in the folder, and the next copy puts them in the store, where the reporter's
page finds them, before removing them from the folder.

    <folder>/inbox/, <folder>/attachments/   the copied envelopes (store layout)
    <folder>/imported.txt                    keys registered on the offline machine
    <folder>/outbox/<lookup id>/             answers written on the offline machine, and the
                                             markers of the cases it registered with a receipt code
    <folder>/office-register.json            the store's register marker, carried both ways

The marker (``office/register/identity.py``) travels too: the copy puts the
store's marker in the folder, ``import`` refuses a folder whose marker names
another register (so nothing it lists as imported can be deleted from the store
by mistake), and a register that claims an unmarked store from the offline
computer leaves its marker in the folder for the copy to put in the store. A
folder and a store whose markers differ are refused before anything is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from intake_function import envelope, objects
from intake_function.store import FileStore, ObjectMissing, Store

from ..register import identity
from ..register.desk import Desk
from .pull import PullResult, pull

IMPORTED_LIST = "imported.txt"


@dataclass
class MirrorResult:
    copied: int = 0
    present: int = 0
    deleted_remote: int = 0
    answers_sent: int = 0
    markers_sent: int = 0  # outbox/<lookup id>/registered: the offline machine has a case for the code


def _imported(folder: FileStore) -> list[str]:
    try:
        return [line for line in folder.get(IMPORTED_LIST).decode("utf-8").splitlines() if line]
    except ObjectMissing:
        return []


def _exchange_markers(remote: Store, folder: FileStore) -> None:
    """Give the folder the store's marker, or the store the folder's; refuse two different ones."""
    in_store, in_folder = identity.read_marker(remote), identity.read_marker(folder)
    if in_folder and not in_store and not remote.create(objects.REGISTER_MARKER, in_folder.encode()):
        in_store = identity.read_marker(remote)  # someone marked the store meanwhile
    if in_store and in_folder and in_store.register != in_folder.register:
        raise identity.StoreOfAnotherRegister(
            f"thư mục chuyển đã được nhập vào sổ lập tại {in_folder.where()}, nhưng kho cấp phản ánh cho sổ lập tại "
            f"{in_store.where()}: không xóa gì trên kho, không chép gì / the transfer folder was imported into "
            f"another register than the one the store feeds ({in_store.where()}): nothing deleted or copied"
        )
    if in_store:
        identity.rewrite_legacy(remote, in_store)  # an earlier release's marker named the folder and computer
    if in_store and (not in_folder or in_folder.legacy):
        folder.put(objects.REGISTER_MARKER, in_store.encode())


def mirror(remote: Store, folder: FileStore, progress: Callable[[int], None] = lambda size: None) -> MirrorResult:
    """Send the offline machine's answers, delete what it imported, then copy every new envelope into ``folder``.

    ``progress`` is told the bytes of each object handled.
    """
    result = MirrorResult()
    _exchange_markers(remote, folder)
    for info in folder.list(objects.OUTBOX):
        if objects.is_outbox_key(info.key):
            remote.put(info.key, folder.get(info.key))  # in the store before it leaves the folder
            folder.delete(info.key)
            if objects.OUTBOX_KEY_RE.fullmatch(info.key):
                result.answers_sent += 1
            else:
                result.markers_sent += 1
            progress(info.size)
    imported = _imported(folder)
    for key in imported:
        if objects.is_safe_key(key) and key.startswith((objects.INBOX, objects.ATTACHMENTS)):
            remote.delete(key)
            result.deleted_remote += 1
    if imported:
        folder.put(IMPORTED_LIST, b"")
    have = {info.key: info.size for info in folder.list("")}
    for prefix in (objects.ATTACHMENTS, objects.INBOX):  # attachments first: a report never lacks its files
        for info in remote.list(prefix):
            if have.get(info.key) == info.size:
                result.present += 1
            else:
                temp = folder.temporary_name()
                remote.fetch(info.key, temp)
                folder.put_many([(info.key, temp)])
                result.copied += 1
            progress(info.size)
    return result


def import_folder(path: Path, desk: Desk, identities: list[envelope.Identity], **options) -> PullResult:
    """Register the envelopes of a transfer folder; list them as imported, then remove them.

    Refused (identity.StoreOfAnotherRegister, UnboundStore) before anything is
    registered when the folder was copied from a store that feeds another register.
    """
    folder = FileStore(path)
    identity.check_store(desk.db, desk.root, folder)
    result = pull(folder, desk, identities, keep_remote=True, **options)
    if result.settled_keys:
        listed = _imported(folder)
        folder.put(IMPORTED_LIST, "".join(f"{k}\n" for k in dict.fromkeys(listed + result.settled_keys)).encode())
        for key in result.settled_keys:
            folder.delete(key)
    return result
