"""``office check-site`` and ``office pull --check-site`` against the real on-premises runtime.

A clean deployment passes; each way of tampering with the site fails with its own precise
finding, and nothing else; the check is written in the audit trail; compressed answers (gzip,
brotli) as a CDN sends them pass; ``--build`` makes the manifest itself from the commit.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import urllib3

from intake_function import envelope, objects
from portal_site import manifest as manifest_module
from tests.conftest import RELEASE_TAG
from tests.infra.servers import free_port
from tests.test_office import put_report

from .conftest import copy_site, office, serving

pytestmark = pytest.mark.slow

# The release guide's commands (docs/huong-dan-ky-thuat/phat-hanh-trang.md), run below with the
# portal's address standing for the server the test starts.
PORTAL = "https://tocao.example.gov.vn/"
CHECK_WEEKLY = f"office check-site {PORTAL} --every-encoding"
CHECK_BUILD = f"office check-site {PORTAL} --build {RELEASE_TAG}"
GUIDE_COMMANDS = [CHECK_WEEKLY, CHECK_BUILD]

FINDING = re.compile(r"^  - \[([a-z-]+)\] (\S+): (.*)$", re.M)


@pytest.fixture
def desk(tmp_path, keys) -> Path:
    """The Office's data folder: a register that knows its two keys, and the release's manifest in it."""
    data = tmp_path / "office-data"
    result = office("init", "--recipients", ",".join(keys), "--data", str(data))
    assert result.returncode == 0, result.stderr
    return data


def check(
    base: str, data: Path, manifest: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return office("check-site", base, "--manifest", str(manifest), "--data", str(data), *extra, env=env)


def findings(result: subprocess.CompletedProcess) -> list[tuple[str, str, str]]:
    return FINDING.findall(result.stdout)


def test_a_clean_deployment_passes_and_is_recorded(release, keys, desk, tmp_path):
    with serving(release, keys, tmp_path / "store") as base:
        result = check(base, desk, release / manifest_module.NAME)
    assert result.returncode == 0, result.stdout + result.stderr
    first, second = result.stdout.splitlines()[:2]
    assert first.startswith("KẾT LUẬN: ĐÚNG") and second.startswith("VERDICT: OK")  # Vietnamese first
    for key in keys:
        assert envelope.fingerprint(key) in first
    manifest = manifest_module.load(release / manifest_module.NAME)
    assert f"{len(manifest.files)} tệp khớp từng byte" in first
    trail = json.loads(office("audit", "list", "--format", "json", "--data", str(desk)).stdout)
    (entry,) = [e for e in trail if e["action"] == "site-check"]
    assert entry["details"]["ok"] is True and entry["details"]["commit"] == manifest.commit
    assert entry["details"]["url"] == base
    assert office("audit", "verify", "--data", str(desk)).returncode == 0


def _change_page(site: Path, keys: list[str], other_key: str) -> list[tuple[str, str]]:
    page = site / "lien-he" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", " (đã sửa)</h1>", 1), encoding="utf-8")
    return [("changed", "/lien-he/")]


def _add_script(site: Path, keys: list[str], other_key: str) -> list[tuple[str, str]]:
    (site / "assets" / "javascripts" / "analytics.js").write_text("fetch('/x', {method: 'POST'})", encoding="utf-8")
    page = site / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</head>", '<script src="assets/javascripts/analytics.js"></script></head>'), "utf-8")
    return [("changed", "/"), ("unexpected", "/")]


def _change_key_in_page(site: Path, keys: list[str], other_key: str) -> list[tuple[str, str]]:
    page = site / "gui-phan-anh" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(keys[0], other_key), encoding="utf-8")
    return [("changed", "/gui-phan-anh/"), ("page-key", "/gui-phan-anh/")]


def _remove_file(site: Path, keys: list[str], other_key: str) -> list[tuple[str, str]]:
    chunk = sorted((site / "assets" / "report").glob("chunk-*.js"))[0]
    chunk.unlink()
    return [("missing", f"/assets/report/{chunk.name}")]


@pytest.mark.parametrize("tamper", [_change_page, _add_script, _change_key_in_page, _remove_file])
def test_each_tampering_is_a_precise_finding(tamper, release, keys, other_key, desk, tmp_path):
    site = copy_site(release, tmp_path)
    expected = tamper(site, keys, other_key)
    with serving(site, keys, tmp_path / "store") as base:
        result = check(base, desk, release / manifest_module.NAME)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("KẾT LUẬN: KHÁC BẢN PHÁT HÀNH")
    found = findings(result)
    assert sorted({(kind, path) for kind, path, _ in found}) == sorted(expected), result.stdout
    text = result.stdout
    if tamper is _add_script:
        assert "assets/javascripts/analytics.js" in text and "script" in text
    if tamper is _change_key_in_page:
        assert envelope.fingerprint(other_key) in text and "không phải của Văn phòng" in text
        assert f"không mã hóa cho khóa của Văn phòng {keys[0][:16]}" in text
    if tamper is _remove_file:
        assert "404" in text
    trail = json.loads(office("audit", "list", "--format", "json", "--data", str(desk)).stdout)
    (entry,) = [e for e in trail if e["action"] == "site-check"]
    assert entry["details"]["ok"] is False and entry["details"]["findings"]


def test_a_function_encrypting_to_another_key_is_a_finding(release, keys, other_key, desk, tmp_path):
    with serving(release, [keys[0], other_key], tmp_path / "store") as base:
        result = check(base, desk, release / manifest_module.NAME)
    assert result.returncode == 1
    found = findings(result)
    assert {(kind, path) for kind, path, _ in found} == {("health-key", "/api/v1/health")}, result.stdout
    assert envelope.fingerprint(other_key) in result.stdout  # the stranger's key, named
    assert f"không mã hóa cho khóa của Văn phòng {keys[1][:16]}" in result.stdout  # the backup key, dropped


def test_another_release_online_is_named(release, keys, desk, tmp_path):
    """An old manifest (say, last month's release) against today's site: the commit online is named."""
    document = json.loads((release / manifest_module.NAME).read_bytes())
    old = {**document, "commit": "0" * 40}
    path = tmp_path / "old-manifest.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    with serving(release, keys, tmp_path / "store") as base:
        result = check(base, desk, path)
    assert result.returncode == 1
    assert [(k, p) for k, p, _ in findings(result)] == [("manifest", "/site-manifest.json")]
    assert f"commit {document['commit'][:12]}" in result.stdout


def test_a_release_for_keys_the_register_does_not_know_is_a_finding(release, keys, other_key, tmp_path):
    data = tmp_path / "office-data"
    assert office("init", "--recipients", other_key, "--data", str(data)).returncode == 0
    with serving(release, keys, tmp_path / "store") as base:
        result = check(base, data, release / manifest_module.NAME)
    assert result.returncode == 1
    kinds = {kind for kind, _, _ in findings(result)}
    # The pages are the release's (so they use its keys): one finding says so; the function too.
    assert kinds == {"register-keys", "health-key"}, result.stdout


def test_without_a_register_the_keys_are_the_manifests_and_nothing_is_recorded(release, keys, tmp_path):
    with serving(release, keys, tmp_path / "store") as base:
        result = check(base, tmp_path / "no-register", release / manifest_module.NAME)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "không được ghi vào nhật ký" in result.stderr
    assert not (tmp_path / "no-register").exists()


@pytest.fixture(scope="module")
def compressed(release, tmp_path_factory) -> Path:
    """The site with a .br and a .gz beside each file, which the runtime sends to whoever accepts them."""
    site = copy_site(release, tmp_path_factory.mktemp("compressed"))
    subprocess.run([sys.executable, "-m", "whitenoise.compress", "--quiet", str(site)], check=True)
    shutil.copy(release / "sitemap.xml.gz", site / "sitemap.xml.gz")  # the compressor wrote its own over it
    return site


def test_gzip_and_brotli_answers_are_decoded_before_comparing(release, compressed, keys, desk, tmp_path):
    """As behind a CDN: the runtime sends the precompressed .br or .gz variant of each file."""
    site = compressed
    assert list(site.rglob("*.br")) and list(site.rglob("*.gz"))
    with serving(site, keys, tmp_path / "store") as base:
        browser_like = check(base, desk, release / manifest_module.NAME)
        every = check(base, desk, release / manifest_module.NAME, "--every-encoding")
    assert browser_like.returncode == 0, browser_like.stdout + browser_like.stderr
    assert re.search(r"Content-Encoding: br \d+", browser_like.stderr), browser_like.stderr
    assert every.returncode == 0, every.stdout
    encodings = dict(re.findall(r"(br|gzip|identity) (\d+)", every.stderr.split("Content-Encoding:")[1]))
    assert set(encodings) == {"br", "gzip", "identity"}, every.stderr


def test_a_changed_brotli_copy_is_found_even_when_the_plain_file_is_right(release, compressed, keys, desk, tmp_path):
    """A CDN keeps one copy per encoding: a browser gets the brotli one, so that is what is checked."""
    import brotli

    site = copy_site(compressed, tmp_path)

    page = site / "gui-phan-anh" / "index.html"
    evil = page.read_bytes().replace(b"</head>", b'<script src="/x.js"></script></head>')
    Path(str(page) + ".br").write_bytes(brotli.compress(evil))
    with serving(site, keys, tmp_path / "store") as base:
        result = check(base, desk, release / manifest_module.NAME)
    assert result.returncode == 1
    assert {(k, p) for k, p, _ in findings(result)} == {("changed", "/gui-phan-anh/"), ("unexpected", "/gui-phan-anh/")}


def test_an_unreachable_site_fails_in_one_line(release, desk):
    result = check(f"http://127.0.0.1:{free_port()}/", desk, release / manifest_module.NAME)
    assert result.returncode == 1
    assert [(k, p) for k, p, _ in findings(result)] == [("unreachable", "/")]
    assert result.stdout.startswith("KẾT LUẬN: KHÔNG XÁC MINH ĐƯỢC") and "Connection refused" in result.stdout


def _store_with_a_report(tmp_path: Path, recipient: str) -> tuple[str, Path]:
    from intake_function.store import open_store

    folder = tmp_path / "reports"
    store = open_store(folder.as_uri())
    put_report(store, recipient, description="Một phản ánh chờ tải về.")
    return folder.as_uri(), folder


def test_pull_check_site_stops_on_a_tampered_site_and_pulls_nothing(release, keys, other_key, office_key, tmp_path):
    store_url, folder = _store_with_a_report(tmp_path, keys[0])
    before = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    site = copy_site(release, tmp_path)
    _change_key_in_page(site, keys, other_key)
    data = tmp_path / "office-data"
    shutil.copy(release / manifest_module.NAME, tmp_path / "manifest.json")
    env = {"OFFICE_SITE_MANIFEST": str(tmp_path / "manifest.json")}
    args = ["pull", "--init", "--recipients", ",".join(keys), "--store", store_url]
    args += ["--identity", str(office_key[0]), "--data", str(data)]
    with serving(site, keys, tmp_path / "site-store") as base:
        stopped = office(*args, "--check-site", base, env=env)
    assert stopped.returncode == 1
    assert "KHÁC BẢN PHÁT HÀNH" in stopped.stdout and "nothing was pulled" in stopped.stderr
    assert sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file()) == before
    assert not (data / "register.sqlite").exists()

    with serving(release, keys, tmp_path / "site-store") as base:
        pulled = office(*args, "--check-site", base, env=env)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert "KẾT LUẬN: ĐÚNG" in pulled.stdout and "new reports: 1 (2026-0001)" in pulled.stderr
    assert not list((folder / objects.INBOX).glob("*.age"))


def _guide_line(line: str, origin: str, cwd: Path) -> subprocess.CompletedProcess:
    args = [origin if arg == PORTAL else arg for arg in shlex.split(line)]
    assert args[0] == "office"
    return office(*args[1:], cwd=cwd)


def test_the_guides_weekly_check_runs_as_written(release, keys, desk, tmp_path):
    """From the Office's working folder, with the manifest saved in its data folder."""
    shutil.copy(release / manifest_module.NAME, desk / manifest_module.NAME)
    with serving(release, keys, tmp_path / "store") as origin:
        result = _guide_line(CHECK_WEEKLY, origin, desk.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identity" in result.stderr and "gzip" in result.stderr


def test_the_guides_independent_check_builds_the_tag_itself(checkout, keys, tmp_path):
    """In the IT officer's checkout: the tag's own data file names the keys; nothing given but the address."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}/"
    release_args = [
        "rebuild",
        RELEASE_TAG,
        "--repo",
        str(checkout),
        "--out",
        str(tmp_path / "site"),
        "--site-url",
        origin,
    ]
    built = subprocess.run(
        [sys.executable, "-m", "portal_site.release", *release_args], cwd=checkout, text=True, capture_output=True
    )
    assert built.returncode == 0, built.stderr
    with serving(tmp_path / "site", keys, tmp_path / "store", port=port) as served:
        assert served == origin
        result = _guide_line(CHECK_BUILD, origin, checkout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{RELEASE_TAG} (built)" in result.stderr


@contextmanager
def forward_proxy(upstream: str):
    """An HTTP proxy on loopback that sends every request to ``upstream`` and notes the address asked for.

    The site's name (``portal.test``) resolves nowhere: a check that passes went through the proxy.
    """
    seen: list[str] = []
    pool = urllib3.PoolManager()

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            parts = urlsplit(self.path)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "proxy-connection")}
            answer = pool.request(
                "GET",
                upstream.rstrip("/") + (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                headers=headers,
                redirect=False,
                decode_content=False,
            )
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.data)))
            self.end_headers()
            self.wfile.write(answer.data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_the_check_goes_through_the_computers_proxy_as_a_browser_does(release, keys, desk, tmp_path):
    manifest = manifest_module.load(release / manifest_module.NAME)
    no_proxy = {"HTTP_PROXY": "", "http_proxy": "", "NO_PROXY": "", "no_proxy": ""}
    with serving(release, keys, tmp_path / "store") as base, forward_proxy(base) as (proxy, seen):
        through = check(
            "http://portal.test/", desk, release / manifest_module.NAME, env={**no_proxy, "http_proxy": proxy}
        )
        # The computer itself is never reached through a proxy (it could not be): a dead one is not asked.
        direct = check(
            base,
            desk,
            release / manifest_module.NAME,
            env={**no_proxy, "http_proxy": f"http://127.0.0.1:{free_port()}"},
        )
        bypassed = check(
            "http://portal.test/",
            desk,
            release / manifest_module.NAME,
            env={**no_proxy, "http_proxy": proxy, "no_proxy": "portal.test"},
        )
    assert through.returncode == 0, through.stdout + through.stderr
    assert {urlsplit(address).hostname for address in seen} == {"portal.test"}
    assert {urlsplit(address).path for address in seen} >= {manifest_module.url_path(p) for p in manifest.files}
    assert direct.returncode == 0, direct.stdout + direct.stderr
    assert bypassed.returncode == 1 and [k for k, _, _ in findings(bypassed)] == ["unreachable"]


def _forward(handler: BaseHTTPRequestHandler, upstream: str, pool: urllib3.PoolManager) -> None:
    """Answer with what ``upstream`` answers to the same path and headers, bytes as they come."""
    headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "connection")}
    answer = pool.request(
        "GET", upstream.rstrip("/") + handler.path, headers=headers, redirect=False, decode_content=False
    )
    handler.send_response(answer.status)
    for name, value in answer.headers.items():
        if name.lower() not in ("transfer-encoding", "connection", "content-length"):
            handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(answer.data)))
    handler.end_headers()
    handler.wfile.write(answer.data)


@contextmanager
def front(answer):
    """A server on loopback whose every GET is answered by ``answer(handler)``; yields its origin."""

    class Front(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            answer(self)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Front)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_site_that_serves_the_release_only_to_the_old_check_is_found(release, keys, other_key, desk, tmp_path):
    """The red team's cloak: the released bytes to `office-check-site/1`, another page to everyone
    else. The check asks as a citizen's browser does, so it gets what citizens get."""
    tampered = copy_site(release, tmp_path)
    _change_key_in_page(tampered, keys, other_key)
    seen: list[list[tuple[str, str]]] = []
    pool = urllib3.PoolManager(maxsize=16)
    with serving(release, keys, tmp_path / "a") as clean, serving(tampered, keys, tmp_path / "b") as evil:

        def cloak(handler: BaseHTTPRequestHandler) -> None:
            seen.append(list(handler.headers.items()))
            old_check = handler.headers.get("User-Agent") == "office-check-site/1"
            _forward(handler, clean if old_check else evil, pool)

        with front(cloak) as base:
            result = check(base, desk, release / manifest_module.NAME)
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("page-key", "/gui-phan-anh/") in {(k, p) for k, p, _ in findings(result)}
    agents = {dict(h)["User-Agent"] for h in seen}
    assert len(agents) == 2 and all("Chrome/" in a and "Mozilla/5.0" in a for a in agents)  # Android and Windows
    for headers in seen:
        named = dict(headers)
        assert named["Accept-Language"].startswith("vi-VN") and named["Sec-Fetch-Dest"] and named["Sec-Fetch-Mode"]
        assert "gzip" in named["Accept-Encoding"] and "If-None-Match" not in named and "Referer" not in named
    pages = [[name for name, _ in h] for h in seen if dict(h)["Sec-Fetch-Dest"] == "document"]
    assert pages and pages[0][:3] == ["Host", "Connection", "sec-ch-ua"]  # Chrome's order, not Python's
    assert pages[0].index("User-Agent") < pages[0].index("Accept") < pages[0].index("Sec-Fetch-Site")
    scripts = [dict(h) for h in seen if dict(h)["Sec-Fetch-Dest"] == "script"]
    assert scripts and all(s["Accept"] == "*/*" for s in scripts)


def test_a_server_that_sends_a_byte_every_20_seconds_ends_in_cannot_verify_within_the_limit(
    release, keys, office_key, desk, tmp_path
):
    """Slow-loris on a script's body and on a page's status line: check-site and pull --check-site
    stop at their time limit with "cannot verify", and pull takes nothing."""
    import time

    manifest = manifest_module.load(release / manifest_module.NAME)
    scripts = sorted(p for p in manifest.files if p.endswith(".js"))
    slow_body, slow_head = "/" + scripts[0], "/lien-he/"
    pool = urllib3.PoolManager(maxsize=16)

    def trickle(handler: BaseHTTPRequestHandler, data: bytes) -> None:
        try:
            for byte in data:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(20)
        except OSError:
            pass  # the check hung up, as it must

    with serving(release, keys, tmp_path / "site-store") as clean:

        def slow(handler: BaseHTTPRequestHandler) -> None:
            if handler.path == slow_head:
                trickle(handler, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            elif handler.path == slow_body:
                handler.send_response(200)
                handler.send_header("Content-Length", "100")
                handler.end_headers()
                handler.wfile.flush()
                trickle(handler, b"x" * 100)
            else:
                _forward(handler, clean, pool)

        with front(slow) as base:
            started = time.monotonic()
            result = check(base, desk, release / manifest_module.NAME, "--time-limit", "10")
            checked_in = time.monotonic() - started
            store_url, folder = _store_with_a_report(tmp_path, keys[0])
            before = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
            env = {"OFFICE_SITE_MANIFEST": str(release / manifest_module.NAME), "OFFICE_SITE_CHECK_TIME_LIMIT": "8"}
            args = ["pull", "--init", "--recipients", ",".join(keys), "--store", store_url]
            args += ["--identity", str(office_key[0]), "--data", str(tmp_path / "pulling"), "--check-site", base]
            started = time.monotonic()
            pulled = office(*args, env=env)
            pulled_in = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("KẾT LUẬN: KHÔNG XÁC MINH ĐƯỢC") and "VERDICT: CANNOT VERIFY" in result.stdout
    assert [k for k, _, _ in findings(result)] == ["timeout"]
    assert slow_body in result.stdout and slow_head in result.stdout
    assert checked_in < 10 + 15, checked_in  # its limit, and the tool's own start on a busy machine
    trail = json.loads(office("audit", "list", "--format", "json", "--data", str(desk)).stdout)
    (entry,) = [e for e in trail if e["action"] == "site-check"]
    assert entry["details"]["ok"] is False and entry["details"]["verified"] is False
    assert pulled.returncode == 1 and "could not be verified" in pulled.stderr, pulled.stderr
    assert "KHÔNG XÁC MINH ĐƯỢC" in pulled.stdout and pulled_in < 8 + 15, pulled_in
    assert sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file()) == before


def _commit_repo(folder: Path, files: dict[str, str], links: dict[str, str] = {}) -> Path:  # noqa: B006
    """A git repository with these files (and symbolic links), committed; web/node_modules beside them."""
    import os

    from tests.conftest import GIT_IDENTITY

    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    for name, target in links.items():
        os.symlink(target, folder / name)
    (folder / "web" / "node_modules").mkdir(parents=True)
    (folder / ".gitignore").write_text("web/node_modules/\n", encoding="utf-8")
    env = {**os.environ, **GIT_IDENTITY}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "commit"]):
        subprocess.run(["git", "-C", str(folder), *args], env=env, check=True)
    return folder


def test_build_runs_the_commit_without_the_offices_variables_and_refuses_unsafe_archives(tmp_path, desk):
    """The red team's finding 13: --build runs the commit's own build script. It gets none of the
    Office's variables (key file, store, credentials) and a home of its own; an archive with a link
    out of its folder is a clear refusal, not a traceback."""
    dump = tmp_path / "what-the-build-saw.txt"
    script = f'#!/usr/bin/env bash\n{{ env; echo "home=$HOME"; }} > {dump}\nexit 1\n'
    evil = _commit_repo(tmp_path / "evil", {"scripts/build-site.sh": script})
    secrets = {
        "OFFICE_IDENTITY": str(tmp_path / "office-identity.age"),
        "OFFICE_STORE": "s3://bucket-of-reports",
        "AWS_SECRET_ACCESS_KEY": "khoa-bi-mat-cua-van-phong",
        "PORTAL_DATA": "/somewhere/else.yml",
    }
    built = office(
        "check-site", "http://127.0.0.1:9/", "--build", "HEAD", "--repo", str(evil), "--data", str(desk), env=secrets
    )
    assert built.returncode == 1 and "cannot be built" in built.stderr, built.stderr
    seen = dump.read_text(encoding="utf-8")
    for name, value in secrets.items():
        assert name not in seen and value not in seen, name
    assert f"home={Path.home()}\n" not in seen and "PORTAL_COMMIT=" in seen
    linked = _commit_repo(tmp_path / "linked", {"scripts/build-site.sh": "exit 0\n"}, {"docs": "/etc"})
    refused = office("check-site", "http://127.0.0.1:9/", "--build", "HEAD", "--repo", str(linked), "--data", str(desk))
    assert refused.returncode == 1 and "cannot be unpacked safely" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
