"""The release manifest, ``site-manifest.json``: what a released site is, file by file.

This module owns the format. ``scripts/build-site.sh`` writes the manifest as the last step of
every build (``python -m portal_site.release seal``); ``scripts/deploy-site.sh`` compares it with
a clean build of the tagged commit; the Office's ``office check-site`` fetches every file it
lists from the live site and compares the SHA-256 of what a visitor's browser receives.

    {
      "format": "portal-site-manifest/1",
      "commit": "<the source commit, 40 hex digits>",
      "source_date_epoch": <the commit's time: every date in the build>,
      "data_sha256": "<SHA-256 of the data file the build read>",
      "site_url": "https://tocao.example.gov.vn/" or null,
      "api_url": "/api/v1",
      "recipients": [{"recipient": "age1...", "fingerprint": "XXXX-XXXX-XXXX-XXXX"}, ...],
      "files": {"404.html": "<sha256>", "assets/...": "<sha256>", "index.html": "<sha256>", ...}
    }

``files`` lists every file the build wrote, by its path in the site folder, because every file
of the folder is served: the CDN serves the bucket as uploaded, the on-premises runtime the
folder (``intake_function.local_site``). The one exception, on purpose, is the manifest itself,
which cannot hold its own hash; it is published beside the pages (``/site-manifest.json``) so
that anyone can read what was released. Nothing in the manifest depends on the folder, the
machine or the time of the build: two builds of one commit and one data file write the same bytes.

Standard library only: the Office's tool reads it on a Windows PC without the site's packages.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from intake_function import envelope

FORMAT = "portal-site-manifest/1"
NAME = "site-manifest.json"
MAX_BYTES = 4 * 1024 * 1024
MAX_FILES = 20_000

_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_RECIPIENT = re.compile(envelope.RECIPIENT_PATTERN)
_FINGERPRINT = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")
# A path in the site folder: printable, relative, no "." or ".." part, no backslash.
_PATH = re.compile(r"(?!/)(?!.*//)[^\x00-\x1f\x7f\\]{1,512}")


class ManifestError(ValueError):
    """The manifest is not one this tool can trust to compare with: the message says what is wrong."""


@dataclass(frozen=True)
class Key:
    recipient: str
    fingerprint: str


@dataclass(frozen=True)
class Manifest:
    commit: str
    source_date_epoch: int
    data_sha256: str
    site_url: str | None
    api_url: str
    recipients: tuple[Key, ...]
    files: dict[str, str]  # path in the site folder -> SHA-256, hex

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "commit": self.commit,
            "source_date_epoch": self.source_date_epoch,
            "data_sha256": self.data_sha256,
            "site_url": self.site_url,
            "api_url": self.api_url,
            "recipients": [{"recipient": k.recipient, "fingerprint": k.fingerprint} for k in self.recipients],
            "files": dict(sorted(self.files.items())),
        }

    def dumps(self) -> bytes:
        """The file's bytes: sorted, indented, UTF-8, one trailing newline (the same for the same release)."""
        return (json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def url_path(path: str) -> str:
    """The address a visitor uses for a file: folders for pages (``bao-mat/index.html`` -> ``/bao-mat/``)."""
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        return "/" + quote(path[: -len("index.html")])
    return "/" + quote(path)


def site_files(site: Path) -> dict[str, str]:
    """Every file of a built site folder except the manifest, with its SHA-256."""
    found = {}
    for item in sorted(site.rglob("*")):
        if item.is_file():
            relative = item.relative_to(site).as_posix()
            if relative != NAME:
                found[relative] = sha256_hex(item.read_bytes())
    return found


def _fail(problem: str) -> ManifestError:
    return ManifestError(f"tệp kê khai không hợp lệ / the manifest is not valid: {problem}")


def parse(data: bytes) -> Manifest:
    """Read and check a manifest; anything unexpected raises ManifestError (never trust half of one)."""
    if len(data) > MAX_BYTES:
        raise _fail(f"larger than {MAX_BYTES} bytes")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _fail(f"not JSON ({exc})") from None
    expected = {"format", "commit", "source_date_epoch", "data_sha256", "site_url", "api_url", "recipients", "files"}
    if not isinstance(document, dict) or set(document) != expected:
        have = sorted(document) if isinstance(document, dict) else type(document).__name__
        raise _fail(f"expected the fields {sorted(expected)}, found {have}")
    if document["format"] != FORMAT:
        raise _fail(f"format {document['format']!r}, this tool reads {FORMAT!r}")
    commit, epoch, data_hash = document["commit"], document["source_date_epoch"], document["data_sha256"]
    if not (isinstance(commit, str) and _COMMIT.fullmatch(commit)):
        raise _fail("commit: expected a git commit id")
    if not (isinstance(epoch, int) and not isinstance(epoch, bool) and 0 <= epoch < 2**40):
        raise _fail("source_date_epoch: expected seconds since 1970")
    if not (isinstance(data_hash, str) and _SHA256.fullmatch(data_hash)):
        raise _fail("data_sha256: expected 64 hex digits")
    site_url, api_url = document["site_url"], document["api_url"]
    if site_url is not None and not (isinstance(site_url, str) and 0 < len(site_url) <= 2000):
        raise _fail("site_url: expected an address or null")
    if not (isinstance(api_url, str) and 0 < len(api_url) <= 2000):
        raise _fail("api_url: expected an address")
    recipients = document["recipients"]
    if not isinstance(recipients, list) or len(recipients) > 16:
        raise _fail("recipients: expected a list of at most 16 keys")
    keys = []
    for item in recipients:
        if not (
            isinstance(item, dict)
            and set(item) == {"recipient", "fingerprint"}
            and isinstance(item["recipient"], str)
            and _RECIPIENT.fullmatch(item["recipient"])
            and isinstance(item["fingerprint"], str)
            and _FINGERPRINT.fullmatch(item["fingerprint"])
        ):
            raise _fail("recipients: each item is {recipient: age1..., fingerprint: XXXX-XXXX-XXXX-XXXX}")
        keys.append(Key(item["recipient"], item["fingerprint"]))
    files = document["files"]
    if not isinstance(files, dict) or not 0 < len(files) <= MAX_FILES:
        raise _fail(f"files: expected 1 to {MAX_FILES} files")
    for path, digest in files.items():
        parts = path.split("/")
        if not _PATH.fullmatch(path) or "." in parts or ".." in parts or path == NAME:
            raise _fail(f"files: {path[:80]!r} is not a path inside the site")
        if not (isinstance(digest, str) and _SHA256.fullmatch(digest)):
            raise _fail(f"files: {path}: expected a SHA-256 in hex")
    return Manifest(commit, epoch, data_hash, site_url, api_url, tuple(keys), dict(files))


def load(path: Path) -> Manifest:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ManifestError(f"không đọc được tệp kê khai / cannot read the manifest {path}: {exc}") from None
    return parse(data)
