"""Decrypted content being written outside the data folder, noted inside it so that no crash leaves any behind.

``office export``, ``extract`` and ``notice`` write what they decrypt into places the Office chose.
Each builds its output under a temporary name beside the target and renames it when whole
(``office.export.folder``). Before the first byte is written, the temporary name is noted here,
in ``<data>/partial/<id>``, and the note stays locked by the command while it writes. A command
that is killed half-way (a power cut, kill -9, the kernel's OOM killer) leaves its note unlocked:
the next command that opens the data folder removes what the note names and says so in the
audit trail. A note still locked belongs to a command at work, and is left alone.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FOLDER = "partial"
# The only names a note may ask to remove: what ``temporary_for`` makes.
_TEMPORARY = re.compile(r"\..*\.[0-9a-f]{8}\.partial", re.DOTALL)


def temporary_for(target: Path) -> Path:
    """The temporary name beside ``target`` under which it is built (hidden, and never a name of the Office's)."""
    return target.parent / f".{target.name[:60]}.{secrets.token_hex(4)}.partial"


@contextmanager
def noted(root: Path, temporary: Path, what: dict) -> Iterator[None]:
    """Hold a note that ``temporary`` is being written (``what`` says by which command, for which case)."""
    from .desk import _lock

    folder = root / FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    note = folder / secrets.token_hex(8)
    handle = os.fdopen(os.open(note, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), "r+b")
    try:
        # The content goes after the locked first byte: on Windows a locked range cannot be read by others.
        handle.write(b"\n" + json.dumps({**what, "path": str(temporary.absolute())}).encode())
        handle.flush()
        os.fsync(handle.fileno())
        handle.seek(0)
        _lock(handle)
        yield
    finally:
        handle.close()
        note.unlink(missing_ok=True)


def sweep(root: Path, db: sqlite3.Connection, who: str) -> list[str]:
    """Remove what commands that died while writing left behind (see the module); return the paths removed."""
    from . import audit, transaction
    from .desk import _lock

    folder = root / FOLDER
    if not folder.is_dir():
        return []
    removed = []
    for note in sorted(folder.iterdir()):
        try:
            handle = note.open("r+b")
        except OSError:
            continue
        with handle:
            try:
                _lock(handle)
            except OSError:
                continue  # a command at work holds it
            handle.seek(1)
            try:
                what = json.loads(handle.read(64 * 1024))
                path = Path(what["path"])
            except (ValueError, KeyError, TypeError):
                what, path = {}, None
            if path is not None and _TEMPORARY.fullmatch(path.name):
                _remove(path)
                with transaction(db):
                    audit.append(
                        db,
                        "cleanup",
                        who=who,
                        reason="xóa bản dở dang của một lệnh bị dừng giữa chừng / removed what an interrupted "
                        "command left half-written",
                        case_number=what.get("case"),
                        details={"command": what.get("command"), "path": str(path)},
                    )
                removed.append(str(path))
        note.unlink(missing_ok=True)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
