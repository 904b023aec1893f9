"""The Office's data folder: the register, the encrypted reports, the quarantine.

    <data>/register.sqlite   the case register (metadata in clear)
    <data>/store/            reports and attachments, as the age envelopes that arrived
    <data>/quarantine/       envelopes that did not decrypt or validate, kept for inspection
    <data>/.lock             held while a command writes, so two runs never interleave
    <data>/partial/          notes of decrypted output being written elsewhere (``partial.py``)

Reports stay encrypted at rest: the data folder can be backed up or copied
like any other folder without exposing a reporter, as long as the identity
file is kept elsewhere. The register itself is in clear, so on POSIX the folder
is its owner's alone (0700, files 0600); on Windows the handbook shows how to
restrict it with icacls.

A data folder is made only by ``create_desk`` (``office init``): every other
command opens an existing one, so a command run in the wrong folder cannot
start a second register there.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from intake_function.store import FileStore

from .. import register


class DeskBusy(RuntimeError):
    pass


@dataclass
class Desk:
    root: Path
    db: sqlite3.Connection
    store: FileStore
    quarantine: FileStore

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the data folder's lock; the OS releases it if the process dies."""
        handle = os.fdopen(
            os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600), "a+b"
        )
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise DeskBusy(
                f"một lệnh office khác đang làm việc trên {self.root}: chờ lệnh đó xong rồi chạy lại / "
                "another office command is working on it; wait for it to finish"
            ) from None
        try:
            # Holding the lock, no one else is writing: any temporary file is a crash's leftover.
            for folder in (self.store, self.quarantine):
                folder.remove_stale_temporary(older_than_seconds=0)
            yield
        finally:
            handle.close()


REGISTER_FILE = "register.sqlite"
OWNER_ONLY_KEY = "owner_only"


class NoRegister(LookupError):
    """The folder holds no register; nothing was created."""


def exists(root: Path) -> bool:
    """Does this folder hold a register?"""
    return (root.expanduser() / REGISTER_FILE).is_file()


def open_desk(root: Path) -> Desk:
    """The data folder at ``root``; NoRegister if it holds none (it is never made here)."""
    root = root.expanduser().resolve()
    if not exists(root):
        raise NoRegister(str(root))
    return _open(root)


def create_desk(root: Path) -> Desk:
    """Make a new data folder with an empty register; FileExistsError if it already holds one."""
    root = root.expanduser().resolve()
    if exists(root):
        raise FileExistsError(str(root))
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return _open(root)


def _open(root: Path) -> Desk:
    db = register.connect(root / REGISTER_FILE)
    if os.name == "posix" and register.meta_get(db, OWNER_ONLY_KEY) is None:
        owner_only(root)  # once per register: files of older releases were made with the user's umask
        with register.transaction(db):
            register.meta_set(db, OWNER_ONLY_KEY, "posix")
    elif os.name == "posix":
        root.chmod(0o700)
    from . import audit, partial

    partial.sweep(root, db, audit.current_user())  # what a command killed while writing plaintext left behind
    return Desk(root, db, FileStore(root / "store"), FileStore(root / "quarantine"))


def owner_only(root: Path) -> None:
    """Folders 0700 and files 0600 under ``root`` (POSIX): the register is in clear."""
    root.chmod(0o700)
    for folder, folders, files in os.walk(root):
        for name in folders:
            path = Path(folder) / name
            if not path.is_symlink():
                path.chmod(0o700)
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                path.chmod(0o600)


def _lock(handle) -> None:
    if os.name == "nt":
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
