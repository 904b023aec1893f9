"""Does the live site serve what the Board released? Fetch it as a browser does and compare.

Reports are encrypted in the citizen's browser, so the promise that only the Office can read them
rests on the code the browser receives. This check fetches every file of the release manifest
(``site-manifest.json``, written by the build) from the live site, as a visitor's browser gets
it, and finds:

- ``changed``: a file whose bytes are not the released ones (SHA-256 of the decoded body);
- ``missing``: a file the site does not serve (404, 403...), or ``redirected`` elsewhere;
- for a page that changed, what it now does: ``unexpected``, loading a script, stylesheet or
  other file that is not in the release; ``foreign``, loading anything from another host;
  ``inline``, running inline script; ``page-key``, encrypting to or showing a key that is not
  one of the Office's (an unchanged page loads and announces exactly what the release does);
- ``health-key``: the function (``/api/v1/health``) encrypting to other keys than the Office's;
- ``register-keys``: a manifest released for other keys than those the register knows;
- ``manifest``: a published ``/site-manifest.json`` that is not this release's (another release
  is online); ``csp``: a page served without the strict Content-Security-Policy;
- ``unreachable``: the site or the function did not answer; ``timeout``: a file did not arrive
  whole within its time limit, or the check ran out of time before fetching it.

Every finding names the address and says what differs, in Vietnamese and in English. When the
only findings are ``unreachable`` or ``timeout``, nothing could be compared: the verdict is
"cannot verify", never "OK".

The fetch is what a citizen's browser does behind a CDN, so that a site that recognises the
check cannot show it the release and citizens something else: the request headers of a current
Chrome, in its order (``User-Agent``, client hints, ``Accept`` and ``Sec-Fetch-*`` for what the
file is to a page: a document, a script, a stylesheet, an image..., ``Accept-Language`` of a
Vietnamese phone), each file as one of two browsers (on Android, on Windows) drawn at random, in
a shuffled order; ``Accept-Encoding`` with gzip and brotli, bodies decoded before hashing,
redirects not followed (a page that redirects is a finding), no conditional request (an ETag or
a 304 is the server's word, not the bytes), no cache-busting query (the check must see what the
CDN's edge serves to citizens). What headers cannot hide: the computer's address and its TLS
library; a site that cloaks by those still fools a check run from the Office's own network, which
is why the IT guide has it run from a second connection too.

Every wait is bounded: 10 s to connect, 20 s for any read, 60 s for a whole file, and a limit for
the whole check (300 s unless told); past a file's limit its connection is cut, so a server that
sends a byte every 20 seconds ends in "cannot verify", not in a check that never ends. Files are
fetched in parallel on a few kept-alive connections, so a site of a few hundred files takes seconds.
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import json
import random
import re
import socket
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

from intake_function import envelope
from portal_site import manifest as manifest_module

MAX_FILE_BYTES = 64 * 1024 * 1024  # a served file larger than this is a finding, not a memory problem
KEY = re.compile(envelope.RECIPIENT_PATTERN)
WORKERS = 8
CONNECT_TIMEOUT = 10.0  # seconds to open a connection
READ_TIMEOUT = 20.0  # seconds any one read may wait
FILE_LIMIT = 60.0  # seconds one file may take, headers and body
TIME_LIMIT = 300.0  # seconds the whole check may take (office check-site --time-limit)
# The CSP every page must be served with: scripts from the site itself only (intake_function/headers.py).
SCRIPT_SOURCES = {"'self'"}
WEAKENING = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "blob:", "http:", "https:")


@dataclass(frozen=True)
class Finding:
    kind: str
    path: str
    vi: str
    en: str


@dataclass
class Fetched:
    path: str  # the address fetched, e.g. /bao-mat/
    status: int | None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    timed_out: bool = False  # cut at its time limit (or never started): nothing can be said of it


# A check's verdict in words, Vietnamese then English: ``office check-site``'s first line and the desk's
# overview of the last check say the same words. A site that did not answer and one that did not send
# everything in time are alike to the clerk: nothing can be said of the site.
VERDICT_WORDS = {
    "ok": ("ĐÚNG", "OK"),
    "differs": ("KHÁC BẢN PHÁT HÀNH", "THE SITE DIFFERS"),
    "unreachable": ("KHÔNG XÁC MINH ĐƯỢC", "CANNOT VERIFY"),
    "cannot-verify": ("KHÔNG XÁC MINH ĐƯỢC", "CANNOT VERIFY"),
}


@dataclass
class SiteCheck:
    url: str
    manifest: manifest_module.Manifest
    expected_keys: list[str]
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    encodings: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def unreachable(self) -> bool:
        """Nothing could be compared: the site did not answer at all."""
        return [f.kind for f in self.findings] == ["unreachable"] and self.files == 0

    @property
    def cannot_verify(self) -> bool:
        """The site did not answer, or not in time: no difference was found, but the check is not whole."""
        kinds = {f.kind for f in self.findings}
        return bool(kinds) and kinds <= {"unreachable", "timeout"}

    def add(self, kind: str, path: str, vi: str, en: str) -> None:
        self.findings.append(Finding(kind, path, vi, en))


class _Watch:
    """Holds every fetch to its deadline, whatever the server does.

    A read timeout bounds one wait, not a file: a server that sends a byte every 20 seconds never
    trips it. So each fetch registers its deadline here, and the connection it uses registers
    itself (``_WatchedHTTPConnection``) when it sends the request; past the deadline, a watcher
    thread shuts the connection's socket down, which ends the read waiting on it (headers or body)
    at once, and marks the fetch as cut.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fetches: dict[int, list] = {}  # thread id -> [deadline, connection, cut]
        self._thread: threading.Thread | None = None

    @contextmanager
    def fetching(self, deadline: float) -> Iterator[list]:
        entry = [deadline, None, False]
        with self._lock:
            self._fetches[threading.get_ident()] = entry
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="check-site-deadlines", daemon=True)
                self._thread.start()
        try:
            yield entry
        finally:
            with self._lock:
                self._fetches.pop(threading.get_ident(), None)

    def using(self, connection: HTTPConnection) -> None:
        with self._lock:
            entry = self._fetches.get(threading.get_ident())
            if entry is not None:
                entry[1] = connection

    def _run(self) -> None:
        while True:
            time.sleep(0.1)
            now = time.monotonic()
            with self._lock:
                if not self._fetches:
                    self._thread = None
                    return
                late = [entry for entry in self._fetches.values() if entry[0] <= now]
                for entry in late:
                    entry[2] = True
                    sock = getattr(entry[1], "sock", None)
                    if sock is not None:
                        try:
                            sock.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass  # closed already


_WATCH = _Watch()


class _WatchedHTTPConnection(HTTPConnection):
    def request(self, *args, **kwargs):
        _WATCH.using(self)
        return super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def request(self, *args, **kwargs):
        _WATCH.using(self)
        return super().request(*args, **kwargs)


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


def new_pool(workers: int = WORKERS, url: str | None = None) -> urllib3.PoolManager:
    """Kept-alive connections as a browser opens them; a failed connection is tried again once.

    Through the proxy the computer uses for ``url`` (HTTPS_PROXY, HTTP_PROXY and NO_PROXY, or on
    Windows the system's proxy settings), as a browser on an office network reaches the site.
    """
    retries = urllib3.Retry(
        total=1, connect=1, read=1, redirect=0, status=0, backoff_factor=0.2, raise_on_redirect=False
    )
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    options = {"num_pools": 4, "maxsize": workers, "block": True, "retries": retries, "timeout": timeout}
    proxy = proxy_for(url) if url else None
    manager = urllib3.ProxyManager(proxy, **options) if proxy else urllib3.PoolManager(**options)
    manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
    return manager


def proxy_for(url: str) -> str | None:
    """The proxy address the system names for ``url``, or None; never one for the computer itself."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host == "localhost" or _is_loopback(host) or urllib.request.proxy_bypass(host):
        return None
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and "://" not in proxy:
        proxy = "http://" + proxy  # Windows' settings name a proxy as host:port
    return proxy or None


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def accept_encoding() -> str:
    """What a browser sends and this Python can decode: gzip, deflate, and br (and zstd) when installed."""
    return urllib3.util.request.ACCEPT_ENCODING.replace(",", ", ")


# --- what a browser sends ---------------------------------------------------------------------------

# A current Chrome, as citizens' phones and the Office's PCs run it. Update with each release of the
# tool: a check whose headers no browser sends any more is easy to recognise.
CHROME = "143"
ACCEPT_LANGUAGE = "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"
_RANDOM = random.SystemRandom()  # which browser, in which order: nothing a site could predict


@dataclass(frozen=True)
class Browser:
    name: str
    user_agent: str
    mobile: str  # sec-ch-ua-mobile
    platform: str  # sec-ch-ua-platform


BROWSERS = (
    Browser(
        f"Chrome {CHROME} / Android",
        f"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{CHROME}.0.0.0 "
        "Mobile Safari/537.36",
        "?1",
        '"Android"',
    ),
    Browser(
        f"Chrome {CHROME} / Windows",
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{CHROME}.0.0.0 "
        "Safari/537.36",
        "?0",
        '"Windows"',
    ),
)

# What each kind of file is to a browser: (Accept, Sec-Fetch-Mode, Sec-Fetch-Dest).
_DOCUMENT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7",
    "navigate",
    "document",
)
_DESTINATIONS = {
    ".js": ("*/*", "cors", "script"),  # the portal's scripts are modules
    ".mjs": ("*/*", "cors", "script"),
    ".css": ("text/css,*/*;q=0.1", "no-cors", "style"),
    ".json": ("*/*", "cors", "empty"),  # read by the page's script (search index, manifest, health)
    ".woff2": ("*/*", "cors", "font"),
    ".woff": ("*/*", "cors", "font"),
    ".ttf": ("*/*", "cors", "font"),
}
_IMAGE = ("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "no-cors", "image")
_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".ico")


def browser_headers(browser: Browser, path: str, encoding: str | None = None) -> dict[str, str]:
    """The request headers ``browser`` sends for ``path``, in the order it sends them."""
    name = urlsplit(path).path.rsplit("/", 1)[-1].lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if name.endswith(".js") and "worker" in name:
        accept, mode, dest = "*/*", "same-origin", "worker"
    elif extension in _DESTINATIONS:
        accept, mode, dest = _DESTINATIONS[extension]
    elif extension in _IMAGES:
        accept, mode, dest = _IMAGE
    else:  # a page, or a file people open from a link (.ics, .pdf, .txt...)
        accept, mode, dest = _DOCUMENT
    hints = {
        "sec-ch-ua": f'"Google Chrome";v="{CHROME}", "Chromium";v="{CHROME}", "Not A(Brand";v="24"',
        "sec-ch-ua-mobile": browser.mobile,
        "sec-ch-ua-platform": browser.platform,
    }
    headers = {"Connection": "keep-alive", **hints}
    if dest == "document":
        headers["Upgrade-Insecure-Requests"] = "1"
    headers["User-Agent"] = browser.user_agent
    headers["Accept"] = accept
    headers["Sec-Fetch-Site"] = "none" if path == "/" else "same-origin"
    headers["Sec-Fetch-Mode"] = mode
    if dest == "document":
        headers["Sec-Fetch-User"] = "?1"
    headers["Sec-Fetch-Dest"] = dest
    headers["Accept-Encoding"] = encoding or accept_encoding()
    headers["Accept-Language"] = ACCEPT_LANGUAGE
    return headers


def fetch(
    pool: urllib3.PoolManager,
    base: str,
    path: str,
    encoding: str | None = None,
    *,
    browser: Browser | None = None,
    deadline: float | None = None,
) -> Fetched:
    """GET one address of the site as ``browser`` does, decoded, bounded in size and time.

    Never raises for the network or the server. ``deadline`` (``time.monotonic()``) is when the
    file must have arrived whole: past it the connection is cut and the fetch is ``timed_out``.
    """
    now = time.monotonic()
    deadline = min(deadline if deadline is not None else now + FILE_LIMIT, now + FILE_LIMIT)
    if deadline <= now:
        return Fetched(path, None, error="hết thời hạn kiểm tra / out of time", timed_out=True)
    headers = browser_headers(browser or _RANDOM.choice(BROWSERS), path, encoding)
    with _WATCH.fetching(deadline) as watched:
        got = _fetch(pool, urljoin(base, path), path, headers, cut=lambda: watched[2])
    if watched[2]:  # cut at its deadline: whatever arrived is not the file
        return Fetched(path, None, error=f"quá {FILE_LIMIT:.0f} s / over its time limit", timed_out=True)
    return got


def _fetch(pool: urllib3.PoolManager, url: str, path: str, headers: dict[str, str], cut) -> Fetched:
    try:
        response = pool.request("GET", url, headers=headers, redirect=False, preload_content=False)
    except urllib3.exceptions.HTTPError as exc:
        return Fetched(path, None, error=str(getattr(exc, "reason", None) or exc))
    whole = False
    try:
        chunks, size = [], 0
        while chunk := response.read1(65536, decode_content=True):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                return Fetched(path, response.status, error=f"lớn hơn / larger than {MAX_FILE_BYTES} bytes")
            chunks.append(chunk)
        whole = True
        return Fetched(path, response.status, b"".join(chunks), {k.lower(): v for k, v in response.headers.items()})
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return Fetched(path, response.status, error=f"lỗi khi đọc / {exc.__class__.__name__} while reading")
    finally:
        if whole and not cut():
            response.release_conn()
        else:
            response.close()  # never hand a half-read connection back to the pool


def _short(digest: str) -> str:
    return digest[:12] + "…"


# --- what a page loads -----------------------------------------------------------------------------


@dataclass
class PageContent:
    loads: list[tuple[str, str]] = field(default_factory=list)  # (what, address)
    inline_scripts: int = 0
    configs: list[str] = field(default_factory=list)  # the portal-config JSON blocks
    text: str = ""  # the whole page, where keys and fingerprints are looked for


class _PageParser(HTMLParser):
    """Every address a page makes the browser fetch by itself (links people follow are not)."""

    DATA_SCRIPTS = frozenset({"application/json", "application/ld+json"})
    NOT_FETCHED = frozenset({"canonical", "alternate", "prev", "next", "author", "license", "help", "search"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.content = PageContent()
        self._script: str | None = None  # the type of the inline script being read
        self._is_config = False

    def handle_starttag(self, tag, attrs):
        a = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            if a.get("src"):
                kind = "module script" if a.get("type", "").lower() == "module" else "script"
                self.content.loads.append((kind, a["src"]))
            else:
                self._script = a.get("type", "").lower()
                self._is_config = a.get("id") == "portal-config"
                if self._script not in self.DATA_SCRIPTS:
                    self.content.inline_scripts += 1
        elif tag == "link" and a.get("href"):
            rels = set(a.get("rel", "").lower().split())
            if rels and not rels <= self.NOT_FETCHED:
                what = "stylesheet" if "stylesheet" in rels else "module script" if "modulepreload" in rels else "link"
                self.content.loads.append((what, a["href"]))
        else:
            for name in ("src", "data", "poster"):
                if a.get(name) and tag in (
                    "img",
                    "iframe",
                    "frame",
                    "embed",
                    "object",
                    "source",
                    "audio",
                    "video",
                    "track",
                    "input",
                ):
                    self.content.loads.append((tag, a[name]))
            for name in ("srcset", "imagesrcset"):
                for candidate in a.get(name, "").split(","):
                    if candidate.strip():
                        self.content.loads.append((tag, candidate.split()[0]))

    def handle_data(self, data):
        if self._script is not None and self._is_config:
            self.content.configs.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script, self._is_config = None, False


def read_page(body: bytes) -> PageContent:
    parser = _PageParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()
    content = parser.content
    content.text = body.decode("utf-8", errors="replace")
    return content


def _site_path(base: str, page: str, address: str) -> str | None:
    """The release path (``a/index.html``) of an address on the site itself; None for another host."""
    if address.startswith("data:"):
        return ""
    absolute = urljoin(urljoin(base, page), address)
    parts, origin = urlsplit(absolute), urlsplit(base)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        return None
    path = unquote(parts.path).lstrip("/")
    return path + "index.html" if path.endswith("/") or path == "" else path


# --- the check ----------------------------------------------------------------------------------------


def _check_file(result: SiteCheck, path: str, expected: str, got: Fetched) -> bool:
    """Compare one fetched file with the release; True when its bytes are the released ones."""
    where = got.path
    if got.timed_out:
        return False  # counted once for the whole check (check_site)
    if got.error and got.status is None:
        result.add(
            "unreachable",
            where,
            f"không tải được ({got.error})",
            f"could not be fetched ({got.error})",
        )
        return False
    if got.status in (301, 302, 303, 307, 308):
        target = got.headers.get("location", "?")
        result.add("redirected", where, f"chuyển hướng sang {target}", f"redirects to {target}")
        return False
    if got.status != 200:
        result.add(
            "missing",
            where,
            f"thiếu: máy chủ trả lời {got.status} thay vì tệp đã phát hành",
            f"missing: the server answers {got.status} instead of the released file",
        )
        return False
    if got.error:
        result.add("changed", where, f"khác bản phát hành ({got.error})", f"differs from the release ({got.error})")
        return False
    result.files += 1
    result.bytes += len(got.body)
    result.encodings[got.headers.get("content-encoding", "identity") or "identity"] += 1
    digest = hashlib.sha256(got.body).hexdigest()
    if digest != expected:
        hint_vi, hint_en = "", ""
        cache = " ".join(f"{k}: {got.headers[k]}" for k in ("x-cache", "age", "etag") if k in got.headers)
        if cache:
            hint_vi = f"; bộ đệm / cache: {cache}"
            hint_en = f"; cache: {cache}"
        kind_vi, kind_en = ("trang", "page") if path.endswith(".html") else ("tệp", "file")
        result.add(
            "changed",
            where,
            f"{kind_vi} khác bản phát hành (SHA-256 {_short(digest)}, phát hành {_short(expected)}){hint_vi}",
            f"{kind_en} differs from the release (SHA-256 {_short(digest)}, released {_short(expected)}){hint_en}",
        )
        return False
    return True


def _check_page(result: SiteCheck, base: str, got: Fetched) -> None:
    """What a changed page loads and which keys it announces: the precise findings behind "changed".

    A page whose bytes are the released ones loads what the release loads (the build refuses a
    script or stylesheet that is not its own) and announces the release's keys, which are compared
    with the register's once; only a changed page needs reading."""
    page = read_page(got.body)
    expected = set(result.expected_keys)
    for what, address in page.loads:
        path = _site_path(base, got.path, address)
        if path == "":
            continue  # data: URLs (images inlined by the theme) fetch nothing
        if path is None:
            result.add(
                "foreign",
                got.path,
                f"tải {what} từ máy chủ khác: {address}",
                f"loads a {what} from another host: {address}",
            )
        elif path not in result.manifest.files and path != manifest_module.NAME:
            label = "script" if "script" in what else what
            result.add(
                "unexpected",
                got.path,
                f"tải {label} không có trong bản phát hành: {address}",
                f"loads a {label} that is not in the release: {address}",
            )
    if page.inline_scripts:
        result.add(
            "inline",
            got.path,
            f"có {page.inline_scripts} đoạn mã lệnh nhúng trong trang",
            f"runs {page.inline_scripts} inline script(s)",
        )
    for block in page.configs:
        try:
            announced = json.loads(html.unescape(block)).get("recipients", [])
        except (json.JSONDecodeError, AttributeError, RecursionError):
            announced = ["(unreadable)"]
        for key in [k for k in announced if k not in expected]:
            result.add(
                "page-key",
                got.path,
                f"trang mã hóa cho khóa không phải của Văn phòng: {_key_text(key)}",
                f"the page encrypts to a key that is not the Office's: {_key_text(key)}",
            )
        for key in sorted(expected - set(announced)):
            result.add(
                "page-key",
                got.path,
                f"trang không mã hóa cho khóa của Văn phòng {_key_text(key)}",
                f"the page does not encrypt to the Office's key {_key_text(key)}",
            )
    shown = list(dict.fromkeys(KEY.findall(page.text)))
    for key in shown:
        if key not in expected and not any(key in block for block in page.configs):
            result.add(
                "page-key",
                got.path,
                f"trang hiển thị khóa không phải của Văn phòng: {_key_text(key)}",
                f"the page shows a key that is not the Office's: {_key_text(key)}",
            )
        elif not page.configs and envelope.fingerprint(key) not in page.text:
            result.add(
                "page-key",
                got.path,
                f"mã nhận dạng khóa hiển thị cho {key[:16]}… không phải {envelope.fingerprint(key)}",
                f"the fingerprint shown for {key[:16]}… is not {envelope.fingerprint(key)}",
            )


def _check_csp(result: SiteCheck, got: Fetched) -> None:
    policy = got.headers.get("content-security-policy", "")
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    scripts = directives.get("script-src", directives.get("default-src"))
    if not policy or scripts is None:
        result.add(
            "csp",
            got.path,
            "trang được phục vụ không có chính sách bảo mật nội dung (CSP) chặn mã lệnh lạ",
            "the page is served without a Content-Security-Policy restricting scripts",
        )
        return
    weak = [s for s in scripts if s not in SCRIPT_SOURCES]
    weak += [s for s in directives.get("default-src", []) if s in WEAKENING]
    if weak:
        result.add(
            "csp",
            got.path,
            f"CSP của trang cho phép mã lệnh từ: {' '.join(weak)}",
            f"the page's CSP allows scripts from: {' '.join(weak)}",
        )


def _key_text(key: str) -> str:
    if isinstance(key, str) and KEY.fullmatch(key):
        return f"{key[:16]}… ({envelope.fingerprint(key)})"
    return repr(key)[:80]


def _check_health(result: SiteCheck, base: str, got: Fetched) -> None:
    if got.status != 200:
        what = got.error or f"HTTP {got.status}"
        result.add(
            "unreachable",
            got.path,
            f"hàm tiếp nhận không trả lời ({what})",
            f"the intake function does not answer ({what})",
        )
        return
    try:
        items = json.loads(got.body)["recipients"]
        served = [item["recipient"] for item in items]
        wrong = [item["recipient"] for item in items if item["fingerprint"] != envelope.fingerprint(item["recipient"])]
    except (ValueError, KeyError, TypeError, RecursionError):
        result.add("health-key", got.path, "câu trả lời không đọc được", "the answer cannot be read")
        return
    expected = set(result.expected_keys)
    for key in served:
        if key not in expected:
            result.add(
                "health-key",
                got.path,
                f"hàm tiếp nhận mã hóa cho khóa không phải của Văn phòng: {_key_text(key)}",
                f"the function encrypts to a key that is not the Office's: {_key_text(key)}",
            )
    for key in sorted(expected - set(served)):
        result.add(
            "health-key",
            got.path,
            f"hàm tiếp nhận không mã hóa cho khóa của Văn phòng {_key_text(key)}",
            f"the function does not encrypt to the Office's key {_key_text(key)}",
        )
    for key in wrong:
        result.add(
            "health-key",
            got.path,
            f"mã nhận dạng khóa sai cho {key[:16]}…",
            f"wrong fingerprint given for {key[:16]}…",
        )


def health_path(base: str, api_url: str) -> str:
    """The function's health address as the pages reach the API: a path on the site, or another origin's URL."""
    absolute = urljoin(base, api_url).rstrip("/") + "/health"
    parts, origin = urlsplit(absolute), urlsplit(base)
    return parts.path if (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc) else absolute


def check_site(
    url: str,
    manifest: manifest_module.Manifest,
    manifest_bytes: bytes,
    register_keys: Iterable[str] | None = None,
    *,
    pool: urllib3.PoolManager | None = None,
    workers: int = WORKERS,
    encodings: Iterable[str | None] = (None,),
    time_limit: float = TIME_LIMIT,
) -> SiteCheck:
    """Compare the live site at ``url`` with a release; ``register_keys`` are the Office's keys (else the manifest's).

    ``encodings``: the ``Accept-Encoding`` values to fetch each file with (``None``: as a browser
    does). A CDN keeps one copy per encoding, so ``("br", "gzip", "identity")`` checks all three.
    ``time_limit``: seconds the whole check may take; what is not whole by then is ``timeout``.
    """
    started = time.monotonic()
    deadline = started + time_limit
    base = url if url.endswith("/") else url + "/"
    released = [k.recipient for k in manifest.recipients]
    known = list(register_keys or [])
    result = SiteCheck(base, manifest, known or released)
    if known and set(known) != set(released):
        result.add(
            "register-keys",
            manifest_module.NAME,
            "bản phát hành dùng khóa khác với khóa sổ theo dõi ghi nhận: "
            + ", ".join(_key_text(k) for k in released if k not in known),
            "the release uses other keys than those the register knows: "
            + ", ".join(_key_text(k) for k in released if k not in known),
        )
    pool = pool or new_pool(workers, url=base)
    jobs = [(path, manifest_module.url_path(path), encoding) for path in manifest.files for encoding in encodings]
    order = _RANDOM.sample(range(len(jobs)), len(jobs))  # no fixed order for a site to recognise
    home = fetch(pool, base, "/", deadline=deadline)
    if home.status is None:  # no answer at all: one finding, not one per file
        result.findings.clear()
        if home.timed_out:
            result.add("timeout", "/", "trang chủ không trả lời trong thời hạn", "the home page did not answer in time")
        else:
            result.add(
                "unreachable",
                "/",
                f"không kết nối được với trang ({home.error})",
                f"the site cannot be reached ({home.error})",
            )
        result.seconds = time.monotonic() - started
        return result

    def job(index: int) -> tuple[int, Fetched]:
        _, address, encoding = jobs[index]
        return index, fetch(pool, base, address, encoding, deadline=deadline)

    with ThreadPoolExecutor(max_workers=workers) as executor:
        health = executor.submit(fetch, pool, base, health_path(base, manifest.api_url), None, deadline=deadline)
        published = executor.submit(fetch, pool, base, "/" + manifest_module.NAME, deadline=deadline)
        by_index = dict(executor.map(job, order))
        health_result, published_result = health.result(), published.result()
    fetched = [(jobs[i][0], by_index[i]) for i in range(len(jobs))]
    late = [got.path for _, got in fetched if got.timed_out]
    late += [got.path for got in (health_result, published_result) if got.timed_out]
    if late:
        shown = ", ".join(late[:5]) + (" …" if len(late) > 5 else "")
        result.add(
            "timeout",
            late[0],
            f"{len(late)} tệp không tải xong trong thời hạn ({time_limit:.0f} s cho cả lần kiểm tra, "
            f"{FILE_LIMIT:.0f} s cho mỗi tệp): {shown}",
            f"{len(late)} file(s) did not arrive whole in time ({time_limit:.0f} s for the check, "
            f"{FILE_LIMIT:.0f} s a file): {shown}",
        )
    for path, got in fetched:
        same = _check_file(result, path, manifest.files[path], got)
        if path.endswith(".html") and got.status == 200 and not got.error:
            _check_csp(result, got)
            if not same:
                _check_page(result, base, got)
    if not health_result.timed_out:
        _check_health(result, base, health_result)
    if published_result.timed_out:
        pass  # counted with the other files that did not arrive in time
    elif published_result.status != 200:
        result.add(
            "manifest",
            published_result.path,
            f"trang không công bố tệp kê khai (HTTP {published_result.status or published_result.error})",
            f"the site does not publish its manifest (HTTP {published_result.status or published_result.error})",
        )
    elif published_result.body != manifest_bytes:
        try:
            other = manifest_module.parse(published_result.body).commit[:12]
        except manifest_module.ManifestError:
            other = "?"
        result.add(
            "manifest",
            published_result.path,
            f"tệp kê khai trên trang là của bản phát hành khác (commit {other}, đang so với {manifest.commit[:12]})",
            f"the site publishes another release's manifest (commit {other}; checking against {manifest.commit[:12]})",
        )
    result.seconds = time.monotonic() - started
    return result
