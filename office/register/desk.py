"""The Office's data folder: the register, the encrypted reports, the quarantine.

    <data>/register.sqlite   the case register (metadata in clear)
    <data>/store/            reports and attachments, as the age envelopes that arrived
    <data>/quarantine/       envelopes that did not decrypt or validate, kept for inspection
    <data>/.lock             held while a command writes, so two runs never interleave

Reports stay encrypted at rest: the data folder can be backed up or copied
like any other folder without exposing a reporter, as long as the identity
file is kept elsewhere.
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
from ..workflow import settings


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
        handle = (self.root / ".lock").open("a+b")
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise DeskBusy(f"another office command is working on {self.root}; wait for it to finish") from None
        try:
            # Holding the lock, no one else is writing: any temporary file is a crash's leftover.
            for folder in (self.store, self.quarantine):
                folder.remove_stale_temporary(older_than_seconds=0)
            yield
        finally:
            handle.close()


REGISTER_FILE = "register.sqlite"


def exists(root: Path) -> bool:
    """Is this an Office data folder: a register, or the settings written before the first case?"""
    return any((root.expanduser() / name).is_file() for name in (REGISTER_FILE, settings.FILE_NAME))


def open_desk(root: Path) -> Desk:
    root = root.expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        root.chmod(0o700)
    store = FileStore(root / "store")
    quarantine = FileStore(root / "quarantine")
    return Desk(root, register.connect(root / REGISTER_FILE), store, quarantine)


def _lock(handle) -> None:
    if os.name == "nt":
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
