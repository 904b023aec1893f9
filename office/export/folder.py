"""Output that holds decrypted content appears whole or not at all, and never before the audit trail knows.

``office export`` and ``office extract`` write into a new folder, and ``office notice`` into a new
file, the way ``building`` and ``writing`` do it:

1. the target must be absent (or an empty folder): nothing of the Office's is ever overwritten;
2. the audit entry is written (``record``) before any plaintext exists;
3. the output is built under a hidden temporary name beside the target, noted in the data folder
   (``office.register.partial``) for as long as it is written;
4. every file is flushed, then the temporary name is renamed to the target;
5. whatever goes wrong on the way removes the temporary output; a command killed on the way leaves
   its note, and the next command that opens the data folder removes the output it names.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from intake_function.store import _fsync_dir, exclusive_file

from ..register import partial
from ..register.desk import Desk


class TargetTaken(FileExistsError):
    """The target exists (a file, or a folder that is not empty); nothing was written."""


def check_folder(out: Path) -> None:
    if out.is_file() or (out.is_dir() and any(out.iterdir())):
        raise TargetTaken(
            f"thư mục {out} đã có và không trống; chọn thư mục mới / {out} exists and is not empty; choose a new folder"
        )


def check_file(out: Path) -> None:
    if out.exists():
        raise TargetTaken(f"tệp {out} đã có; chọn tên khác bằng --out / {out} already exists; choose another --out")


@contextmanager
def building(desk: Desk, out: Path, record: Callable[[], None], what: dict) -> Iterator[Path]:
    """A new folder at ``out``: yields the temporary folder to fill; renamed to ``out`` when the block ends well.

    ``record`` writes the audit entry (it runs first); ``what`` names the command and the case for the
    note that a crash leaves behind.
    """
    with _beside(desk, out.absolute(), check_folder, record, what) as (temporary, out):
        temporary.mkdir(mode=0o700)
        try:
            yield temporary
            _flush_folder(temporary)
            check_folder(out)  # made meanwhile by someone else: theirs stays, ours goes
            if out.is_dir():
                out.rmdir()
            os.replace(temporary, out)
            _fsync_dir(out.parent)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise


@contextmanager
def writing(desk: Desk, out: Path, record: Callable[[], None], what: dict) -> Iterator[Path]:
    """A new file at ``out``: yields the temporary path to write (absent yet); renamed to ``out`` when done."""
    with _beside(desk, out.absolute(), check_file, record, what) as (temporary, out):
        try:
            yield temporary
            with temporary.open("rb+") as handle:
                os.fsync(handle.fileno())
            check_file(out)
            os.replace(temporary, out)
            _fsync_dir(out.parent)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


@contextmanager
def _beside(
    desk: Desk, out: Path, check: Callable[[Path], None], record: Callable[[], None], what: dict
) -> Iterator[tuple[Path, Path]]:
    """Steps 1 to 3 of the module: the target checked, the audit entry, the temporary name noted."""
    check(out)
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = partial.temporary_for(out)
    record()
    with partial.noted(desk.root, temporary, what):
        yield temporary, out


def write_file(folder: Path, relative: str, content: bytes) -> Path:
    """One new file of the output (owner-only on POSIX), its folders made as needed."""
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with exclusive_file(target) as handle:
        handle.write(content)
    return target


def _flush_folder(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb+") as handle:
                os.fsync(handle.fileno())
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        _fsync_dir(path)
