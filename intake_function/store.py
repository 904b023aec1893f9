"""The object store: one interface, chosen by a URL.

    file:///var/lib/portal/store     a local folder (the embedded default)
    s3://bucket/optional/prefix      S3 or any S3-compatible store (boto3)

Both keep the same promises, which the rest of the project relies on:
a write is either complete and durable or absent (never half-written), and
``create`` stores an object only if no object has that key, atomically, so two
writers can never overwrite each other and a spent marker cannot be reused.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from . import objects

COPY_BUFFER = 1024 * 1024


class StoreError(Exception):
    """The store could not be reached or refused an operation; retrying later may help."""


class ObjectMissing(KeyError):
    """No object has this key."""


class ObjectExists(Exception):
    """A create-if-absent write found the key taken; nothing was changed."""


class ObjectTooLarge(ValueError):
    """A streamed upload went over its size bound; nothing was stored."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int


class Store(Protocol):
    url: str

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key``, replacing any previous object, atomically."""

    def create(self, key: str, data: bytes) -> bool:
        """Store ``data`` only if ``key`` is free; return False if it is taken."""

    def put_stream(self, key: str, source: BinaryIO, max_bytes: int) -> int:
        """Store a stream of at most ``max_bytes`` if ``key`` is free (else ObjectExists); return its size."""

    def get(self, key: str) -> bytes: ...

    def download(self, key: str, target: BinaryIO) -> int:
        """Copy an object into an open file without holding it in memory; return its size."""

    def fetch(self, key: str, path: Path) -> int:
        """Put a copy of an object in a new local file at ``path``; return its size."""

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """The objects whose keys start with ``prefix``, in key order."""

    def delete(self, key: str) -> None:
        """Delete an object; deleting a missing object is not an error."""

    def delete_many(self, keys: list[str]) -> None:
        """Delete several objects at once (one request, one flush); missing ones are skipped."""


def open_store(url: str) -> Store:
    """Open the store a URL names; ValueError with a plain message for a bad URL."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path:
            raise ValueError(f"{url!r}: a folder store is written file:///absolute/path")
        if parts.query:
            raise ValueError(f"{url!r}: a folder store takes no options")
        return FileStore(Path(unquote(parts.path)))
    if parts.scheme == "s3":
        if not parts.netloc:
            raise ValueError(f"{url!r}: an S3 store is written s3://bucket/optional/prefix")
        options = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        unknown = set(options) - {"sse"}
        if unknown:
            raise ValueError(f"{url!r}: unknown option(s) {', '.join(sorted(unknown))}")
        sse = options.get("sse", "AES256")
        if sse not in ("AES256", "aws:kms", "none"):
            raise ValueError(f"{url!r}: sse must be AES256, aws:kms or none")
        from .store_s3 import S3Store  # boto3 is imported only for S3 stores

        return S3Store(parts.netloc, parts.path.strip("/"), sse=None if sse == "none" else sse)
    raise ValueError(f"{url!r}: a store URL starts with file:/// or s3://")


def check_key(key: str) -> str:
    if not objects.is_safe_key(key):
        raise ValueError(f"{key!r} is not a valid object key")
    return key


def copy_bounded(source: BinaryIO, target: BinaryIO, max_bytes: int) -> int:
    """Copy a stream, raising ObjectTooLarge as soon as it passes ``max_bytes``."""
    total = 0
    while chunk := source.read(COPY_BUFFER):
        total += len(chunk)
        if total > max_bytes:
            raise ObjectTooLarge(f"more than {max_bytes} bytes")
        target.write(chunk)
    return total


class FileStore:
    """Objects as files under a folder; temporary files live in ``<root>/.tmp``.

    Writes go to a temporary file that is flushed to disk before it is renamed
    (replace) or hard-linked (create-if-absent: ``link`` fails if the name
    exists, atomically, on every POSIX and NTFS file system), and the folder is
    flushed after, so a crash leaves either the old state or the new one.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.url = self.root.as_uri()
        self._tmp = self.root / ".tmp"
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store folder {self.root}: {exc}") from None

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def _write_temp(self, source: BinaryIO | bytes, max_bytes: int | None = None) -> tuple[Path, int]:
        fd, name = tempfile.mkstemp(dir=self._tmp, prefix=secrets.token_hex(4))
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(source, bytes):
                    out.write(source)
                    size = len(source)
                else:
                    size = copy_bounded(source, out, max_bytes if max_bytes is not None else 1 << 62)
                out.flush()
                os.fsync(out.fileno())
            return path, size
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    def _commit(self, temp: Path, final: Path, replace: bool, sync: bool = True) -> bool:
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            if replace:
                os.replace(temp, final)
                # POSIX: renaming one hard link of a file onto another link of the same file does
                # nothing and leaves both; that happens when ``fetch`` linked the same object twice.
                temp.unlink(missing_ok=True)
            else:
                try:
                    os.link(temp, final)
                except FileExistsError:
                    return False
                finally:
                    temp.unlink(missing_ok=True)
            if sync:
                _fsync_dir(final.parent)
            return True
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise StoreError(f"cannot write {final}: {exc.strerror}") from None

    def put(self, key: str, data: bytes) -> None:
        final = self._path(key)
        temp, _ = self._guarded(self._write_temp, data)
        self._commit(temp, final, replace=True)

    def put_many(self, items: list[tuple[str, bytes | Path]]) -> None:
        """Store several objects, each given as bytes or as a temporary file to adopt.

        Each file is flushed before it is renamed into place, and each folder
        once at the end: as durable as ``put`` one by one, with far fewer flushes.
        """
        folders = set()
        for key, content in items:
            final = self._path(key)
            if isinstance(content, bytes):
                temp, _ = self._guarded(self._write_temp, content)
            else:
                temp = content
                with temp.open("rb+") as handle:
                    os.fsync(handle.fileno())
            self._commit(temp, final, replace=True, sync=False)
            folders.add(final.parent)
        for folder in folders:
            _fsync_dir(folder)

    def create(self, key: str, data: bytes) -> bool:
        final = self._path(key)
        if final.exists():
            return False
        temp, _ = self._guarded(self._write_temp, data)
        return self._commit(temp, final, replace=False)

    def put_stream(self, key: str, source: BinaryIO, max_bytes: int) -> int:
        final = self._path(key)
        temp, size = self._guarded(self._write_temp, source, max_bytes)
        if not self._commit(temp, final, replace=False):
            raise ObjectExists(key)
        return size

    def temporary_name(self) -> Path:
        """A fresh name in the temporary folder, for a file someone else creates (``fetch``)."""
        return self._tmp / f"{secrets.token_hex(16)}.part"

    @staticmethod
    def _guarded(func, *args):
        try:
            return func(*args)
        except OSError as exc:
            raise StoreError(f"cannot write to the store: {exc.strerror}") from None

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise ObjectMissing(key) from None
        except OSError as exc:
            raise StoreError(f"cannot read {key}: {exc.strerror}") from None

    def open_read(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise ObjectMissing(key) from None

    def download(self, key: str, target: BinaryIO) -> int:
        try:
            with self._path(key).open("rb") as source:
                return copy_bounded(source, target, 1 << 62)
        except FileNotFoundError:
            raise ObjectMissing(key) from None

    def fetch(self, key: str, path: Path) -> int:
        """A hard link when ``path`` is on the same file system (objects are never changed in
        place, only replaced by rename, so the link is a true copy); a byte copy otherwise."""
        source = self._path(key)
        try:
            os.link(source, path)
            return path.stat().st_size
        except FileNotFoundError:
            raise ObjectMissing(key) from None
        except OSError:
            with path.open("xb") as target:
                return self.download(key, target)

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        base = self.root / prefix.rsplit("/", 1)[0] if "/" in prefix else self.root
        if not base.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            here = Path(dirpath)
            for name in sorted(filenames):
                key = (here / name).relative_to(self.root).as_posix()
                if key.startswith(prefix) and objects.is_safe_key(key):
                    try:
                        size = (here / name).stat().st_size
                    except FileNotFoundError:
                        continue
                    yield ObjectInfo(key, size)

    def delete(self, key: str) -> None:
        self.delete_many([key])

    def delete_many(self, keys: list[str]) -> None:
        folders = set()
        for key in keys:
            path = self._path(key)
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StoreError(f"cannot delete {key}: {exc.strerror}") from None
            folders.add(path.parent)
        for folder in folders:
            _fsync_dir(folder)

    def remove_stale_temporary(self, older_than_seconds: float = 3600) -> int:
        """Remove temporary files that a crashed writer left behind; return how many."""
        limit = time.time() - older_than_seconds
        removed = 0
        for path in self._tmp.iterdir():
            try:
                if path.stat().st_mtime <= limit:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed


def _fsync_dir(path: Path) -> None:
    """Flush a folder entry to disk; Windows has no such call and does not need one."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
