"""The object store: one interface, chosen by a URL.

    file:///var/lib/portal/store     a local folder (the embedded default)
    file:///C:/portal/store          the same on Windows; a plain C:\\portal\\store works too
    s3://bucket/optional/prefix      S3 or any S3-compatible store (boto3)

Both keep the same promises, which the rest of the project relies on:
a write is either complete and durable or absent (never half-written), and
``create`` stores an object only if no object has that key, atomically, so two
writers can never overwrite each other and a spent marker cannot be reused.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import BinaryIO, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from . import objects

COPY_BUFFER = 1024 * 1024


class StoreError(Exception):
    """The store could not be reached or refused an operation; retrying later may help."""


class StoreRefused(StoreError):
    """The store will keep refusing until something is set right (credentials, permission, bucket name).

    Retrying later does not help, so whoever reports it must not say so: the
    message names what to set instead.
    """


class StoreMissing(ValueError):
    """A folder store named by a URL does not exist (and was not to be created)."""


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


def open_store(url: str, *, create: bool = True) -> Store:
    """Open the store a URL names; ValueError with a plain message for a bad URL.

    ``create=False`` (the Office's tool) refuses a folder store that does not
    exist instead of making an empty one: a typo in the URL must not look like
    a store with nothing waiting in it.
    """
    folder = folder_of(url)
    if folder is not None:
        if not create and not Path(folder).is_dir():
            raise StoreMissing(
                f"kho {folder} không tồn tại; công cụ không tạo kho mới: kiểm tra OFFICE_STORE hoặc --store / "
                f"the store folder {folder} does not exist, and is not created: check OFFICE_STORE or --store"
            )
        return FileStore(Path(folder))
    parts = urlsplit(url)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise ValueError(
                f"{url!r}: kho S3 được viết s3://bucket/tiền-tố / an S3 store is written s3://bucket/prefix"
            )
        options = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        unknown = set(options) - {"sse"}
        if unknown:
            raise ValueError(f"{url!r}: tùy chọn không hợp lệ / unknown option(s) {', '.join(sorted(unknown))}")
        sse = options.get("sse", "AES256")
        if sse not in ("AES256", "aws:kms", "none"):
            raise ValueError(f"{url!r}: sse phải là / must be AES256, aws:kms or none")
        from .store_s3 import S3Store  # boto3 is imported only for S3 stores

        return S3Store(parts.netloc, parts.path.strip("/"), sse=None if sse == "none" else sse)
    raise ValueError(
        f"{url!r}: địa chỉ kho bắt đầu bằng file:/// hoặc s3:// / a store URL starts with file:/// or s3://"
    )


# C:\folder, C:/folder, \\server\share\folder: what Windows users type and paste.
_WINDOWS_PATH = re.compile(r"[A-Za-z]:[\\/].*|\\\\[^\\/]+[\\/][^\\/]+.*", re.S)
_DRIVE_IN_URL = re.compile(r"/[A-Za-z]:(?:/.*)?", re.S)


def folder_of(location: str, *, windows: bool = os.name == "nt") -> str | None:
    """The local folder a store location names (a file URL or a plain path), or None for another scheme.

    ``file:///C:/portal/store`` and ``C:\\portal\\store`` name the same folder on
    Windows; on POSIX a location with a drive letter is refused rather than read
    as a relative folder called ``C:``. ``windows`` is a parameter so that the
    Windows reading is tested everywhere.
    """
    if _WINDOWS_PATH.fullmatch(location):
        if not windows:
            raise ValueError(
                f"{location!r}: đường dẫn Windows chỉ dùng được trên Windows / a Windows path works only on Windows"
            )
        return str(PureWindowsPath(location))
    if location.startswith("/") and not windows:
        return location
    parts = urlsplit(location)
    if parts.scheme != "file":
        return None
    written = (
        f"{location!r}: kho dạng thư mục được viết file:///đường/dẫn hoặc file:///C:/đường/dẫn / "
        "a folder store is written file:///absolute/path or file:///C:/path"
    )
    if not parts.path or parts.query or parts.fragment:
        raise ValueError(written)
    path = unquote(parts.path)
    if windows:
        if parts.netloc not in ("", "localhost"):  # file://server/share/folder
            return str(PureWindowsPath(f"\\\\{parts.netloc}{path}"))
        return str(PureWindowsPath(path[1:] if _DRIVE_IN_URL.fullmatch(path) else path))
    if parts.netloc not in ("", "localhost") or not path.startswith("/"):
        raise ValueError(written)
    if _DRIVE_IN_URL.fullmatch(path):
        raise ValueError(
            f"{location!r}: đường dẫn Windows chỉ dùng được trên Windows / a Windows path works only on Windows"
        )
    return path


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
            raise StoreError(
                f"không tạo được thư mục kho {self.root} / cannot create the store folder: {exc}"
            ) from None

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
            raise StoreError(f"không ghi được {final} / cannot write it: {exc.strerror}") from None

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
            raise StoreError(f"không ghi được vào kho / cannot write to the store: {exc.strerror}") from None

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise ObjectMissing(key) from None
        except OSError as exc:
            raise StoreError(f"không đọc được {key} / cannot read it: {exc.strerror}") from None

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
            with exclusive_file(path) as target:
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
                raise StoreError(f"không xóa được {key} / cannot delete it: {exc.strerror}") from None
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


def exclusive_file(path: Path) -> BinaryIO:
    """A new file only its owner may read (0600 on POSIX), refused if the name is taken."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), "wb")


def _fsync_dir(path: Path) -> None:
    """Flush a folder entry to disk; Windows has no such call and does not need one."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
