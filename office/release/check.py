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
- ``unreachable``: the site or the function did not answer.

Every finding names the address and says what differs, in Vietnamese and in English.

The fetch is what a browser does behind a CDN: ``Accept-Encoding`` with gzip and brotli, bodies
decoded before hashing, redirects not followed (a page that redirects is a finding), no
conditional request (an ETag or a 304 is the server's word, not the bytes), no cache-busting
query (the check must see what the CDN's edge serves to citizens). Files are fetched in parallel
on a few kept-alive connections, so a site of a few hundred files takes seconds.
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import json
import re
import time
import urllib.request
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import urllib3

from intake_function import envelope
from portal_site import manifest as manifest_module

MAX_FILE_BYTES = 64 * 1024 * 1024  # a served file larger than this is a finding, not a memory problem
KEY = re.compile(envelope.RECIPIENT_PATTERN)
WORKERS = 8
TIMEOUT = 30.0
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

    def add(self, kind: str, path: str, vi: str, en: str) -> None:
        self.findings.append(Finding(kind, path, vi, en))


def new_pool(workers: int = WORKERS, timeout: float = TIMEOUT, url: str | None = None) -> urllib3.PoolManager:
    """Kept-alive connections as a browser opens them; a failed connection is tried again twice.

    Through the proxy the computer uses for ``url`` (HTTPS_PROXY, HTTP_PROXY and NO_PROXY, or on
    Windows the system's proxy settings), as a browser on an office network reaches the site.
    """
    retries = urllib3.Retry(
        total=2, connect=2, read=2, redirect=0, status=0, backoff_factor=0.2, raise_on_redirect=False
    )
    options = {"num_pools": 4, "maxsize": workers, "block": True, "retries": retries, "timeout": timeout}
    proxy = proxy_for(url) if url else None
    if proxy:
        return urllib3.ProxyManager(proxy, **options)
    return urllib3.PoolManager(**options)


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


def fetch(pool: urllib3.PoolManager, base: str, path: str, encoding: str | None = None) -> Fetched:
    """GET one address of the site, decoded, bounded; never raises for the network or the server."""
    headers = {"Accept-Encoding": encoding or accept_encoding(), "User-Agent": "office-check-site/1"}
    try:
        response = pool.request("GET", urljoin(base, path), headers=headers, redirect=False, preload_content=False)
    except urllib3.exceptions.HTTPError as exc:
        return Fetched(path, None, error=str(getattr(exc, "reason", None) or exc))
    try:
        chunks, size = [], 0
        for chunk in response.stream(16384, decode_content=True):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                return Fetched(path, response.status, error=f"lớn hơn / larger than {MAX_FILE_BYTES} bytes")
            chunks.append(chunk)
        return Fetched(path, response.status, b"".join(chunks), {k.lower(): v for k, v in response.headers.items()})
    except urllib3.exceptions.HTTPError as exc:
        return Fetched(path, response.status, error=f"lỗi khi đọc / {exc.__class__.__name__} while reading")
    finally:
        response.release_conn()


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
) -> SiteCheck:
    """Compare the live site at ``url`` with a release; ``register_keys`` are the Office's keys (else the manifest's).

    ``encodings``: the ``Accept-Encoding`` values to fetch each file with (``None``: as a browser
    does). A CDN keeps one copy per encoding, so ``("br", "gzip", "identity")`` checks all three.
    """
    started = time.monotonic()
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
    home = fetch(pool, base, "/")
    if home.status is None:  # no answer at all: one finding, not one per file
        result.findings.clear()
        result.add(
            "unreachable",
            "/",
            f"không kết nối được với trang ({home.error})",
            f"the site cannot be reached ({home.error})",
        )
        result.seconds = time.monotonic() - started
        return result
    with ThreadPoolExecutor(max_workers=workers) as executor:
        health = executor.submit(fetch, pool, base, health_path(base, manifest.api_url), "identity")
        published = executor.submit(fetch, pool, base, "/" + manifest_module.NAME)
        fetched = list(executor.map(lambda job: (job[0], fetch(pool, base, job[1], job[2])), jobs))
        health_result, published_result = health.result(), published.result()
    for path, got in fetched:
        same = _check_file(result, path, manifest.files[path], got)
        if path.endswith(".html") and got.status == 200 and not got.error:
            _check_csp(result, got)
            if not same:
                _check_page(result, base, got)
    _check_health(result, base, health_result)
    if published_result.status != 200:
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
