"""The released site: the same bytes from every build of a commit, a manifest of every file served,
and integrity on every script and stylesheet, which the real Chromium enforces."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

from intake_function import envelope
from portal_site import manifest as manifest_module
from portal_site.integrity import resolve, sri
from tests.conftest import ROOT, require_tool

from .conftest import copy_site, serving

pytestmark = pytest.mark.slow

SITE_URL = "https://tocao.example.gov.vn/"
FAR_CLOCK = "2031-02-03 04:05:06"


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout.strip()


def _rebuild(out: Path, keys: list[str], cwd: Path, prefix: list[str] = (), **env: str) -> subprocess.CompletedProcess:
    """A clean build of HEAD (``python -m portal_site.release rebuild``), run from ``cwd``."""
    command = [sys.executable, "-m", "portal_site.release", "rebuild", "HEAD", "--repo", str(ROOT)]
    command += ["--out", str(out), "--site-url", SITE_URL, "--recipients", ",".join(keys)]
    return subprocess.run(
        [*prefix, *command],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _every_byte(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_of_one_commit_are_identical_byte_for_byte(tmp_path, keys):
    """Another folder (deeper, with another name), another clock years later, another zone and locale."""
    faketime = require_tool("faketime")
    shifted = [faketime, FAR_CLOCK]
    year = subprocess.run(
        [*shifted, sys.executable, "-c", "import time; print(time.gmtime().tm_year)"],
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    assert year.strip() == "2031", "faketime does not shift the clock of the build's processes"
    (tmp_path / "one").mkdir()
    (tmp_path / "another" / "folder" / "deeper").mkdir(parents=True)
    first = _rebuild(tmp_path / "one" / "site", keys, cwd=tmp_path / "one", TZ="UTC")
    assert first.returncode == 0, first.stdout + first.stderr
    second = _rebuild(
        tmp_path / "another" / "folder" / "deeper" / "out",
        keys,
        cwd=tmp_path / "another",
        prefix=shifted,
        TZ="Asia/Ho_Chi_Minh",
        LANG="vi_VN.UTF-8",
    )
    assert second.returncode == 0, second.stdout + second.stderr
    a, b = _every_byte(tmp_path / "one" / "site"), _every_byte(tmp_path / "another" / "folder" / "deeper" / "out")
    assert sorted(a) == sorted(b)
    assert [path for path in a if a[path] != b[path]] == []
    assert len(a) > 100

    # Every date is the commit's: the manifest, the sitemap (with and without gzip).
    manifest = manifest_module.parse(a[manifest_module.NAME])
    assert manifest.commit == _git("rev-parse", "HEAD")
    assert manifest.source_date_epoch == int(_git("log", "-1", "--format=%ct", "HEAD"))
    day = datetime.fromtimestamp(manifest.source_date_epoch, UTC).date().isoformat()
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", a["sitemap.xml"].decode())) == {day}
    assert "sitemap.xml.gz" in manifest.files


def test_the_manifest_lists_every_file_the_build_wrote(release, keys):
    manifest = manifest_module.load(release / manifest_module.NAME)
    written = _every_byte(release)
    del written[manifest_module.NAME]  # the one file that cannot hold its own hash
    assert manifest.files == {path: manifest_module.sha256_hex(data) for path, data in written.items()}
    assert [(k.recipient, k.fingerprint) for k in manifest.recipients] == [(k, envelope.fingerprint(k)) for k in keys]
    assert manifest.api_url == "/api/v1" and manifest.site_url is None
    assert manifest.data_sha256 == manifest_module.sha256_hex((ROOT / "docs" / "data" / "portal.yml").read_bytes())
    assert manifest.commit == _git("rev-parse", "HEAD")
    # The published bytes are the ones the Office's tool reads back.
    assert manifest_module.parse(manifest.dumps()) == manifest
    assert manifest.dumps() == (release / manifest_module.NAME).read_bytes()


def test_every_file_the_build_wrote_is_served_by_the_on_premises_runtime(release, keys, tmp_path):
    """Including sitemap.xml.gz, which the runtime used to answer with a 404."""
    with serving(release, keys, tmp_path / "store") as base, requests.Session() as http:
        for path, data in _every_byte(release).items():
            answer = http.get(
                base.rstrip("/") + manifest_module.url_path(path), headers={"Accept-Encoding": "identity"}
            )
            assert (path, answer.status_code) == (path, 200)
            assert answer.content == data, path


@pytest.mark.parametrize(
    "text",
    [
        b"[]",
        b'{"format": "portal-site-manifest/2"}',
        b"\xff",
        b"[" * 100_000,
    ],
)
def test_a_malformed_manifest_is_refused_with_a_reason(text):
    with pytest.raises(manifest_module.ManifestError, match="not valid"):
        manifest_module.parse(text)


def test_a_manifest_naming_a_path_outside_the_site_is_refused(release):
    document = json.loads((release / manifest_module.NAME).read_bytes())
    for bad in ("../etc/passwd", "/index.html", "a//b", "a/./b", "C:\\x"):
        changed = {**document, "files": {bad: "0" * 64}}
        with pytest.raises(manifest_module.ManifestError, match="not a path inside the site"):
            manifest_module.parse(json.dumps(changed).encode())


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if (tag == "script" and "src" in a) or (
            tag == "link" and {"stylesheet", "modulepreload"} & set(a["rel"].split())
        ):
            self.tags.append((tag, a))


def test_every_script_and_stylesheet_the_pages_load_carries_its_integrity(release):
    sealed = 0
    for page in sorted(release.rglob("*.html")):
        relative = page.relative_to(release).as_posix()
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            target = resolve(release, relative, attrs["src"] if tag == "script" else attrs["href"])
            assert attrs.get("integrity") == sri((release / target).read_bytes()), f"{relative}: {attrs}"
            sealed += 1
    assert sealed > 51 * 4  # each page: Material's globals and bundle, three stylesheets

    # The report page preloads, with integrity, every module its controller imports, including the
    # encryption it imports on demand.
    page = (release / "gui-phan-anh" / "index.html").read_text(encoding="utf-8")
    preloaded = set(re.findall(r'<link rel="modulepreload" href="/assets/report/([^"]+)" integrity=', page))
    report = (release / "assets" / "report" / "report.js").read_text(encoding="utf-8")
    imported = set(re.findall(r'(?:from|import\()\s*"\./(chunk-[A-Z0-9]+\.js)"', report))
    assert imported and imported <= preloaded
    # What it imports on demand waits, inert, in a template: nothing more is fetched with the page.
    on_demand = set(re.findall(r'import\("\./(chunk-[A-Z0-9]+\.js)"\)', report))
    template = page[page.index('<template id="portal-modules">') : page.index("</template>")]
    assert on_demand and all(f"/assets/report/{chunk}" in template for chunk in on_demand)
    assert page.index("modulepreload") < page.index('src="/assets/report/report.js"')


TAMPER = b"\n;window.__tampered = (window.__tampered || 0) + 1;\n"


@pytest.mark.browser
def test_chromium_refuses_a_changed_script_stylesheet_or_chunk(release, keys, tmp_path, browser):
    """A changed file is blocked by the browser, not run: the SRI attributes really verify."""
    site = copy_site(release, tmp_path)
    report_dir = site / "assets" / "report"
    encryption = max(report_dir.glob("chunk-*.js"), key=lambda p: p.stat().st_size)  # loaded on demand
    changed = {
        "assets/javascripts/md-globals.js": TAMPER,
        "assets/stylesheets/portal.css": b"\nhtml { --tampered: 1; }\n",
        encryption.relative_to(site).as_posix(): TAMPER,
    }
    for path, extra in changed.items():
        with (site / path).open("ab") as handle:
            handle.write(extra)
    with serving(site, keys, tmp_path / "store") as base:
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "gui-phan-anh/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.getElementById('report-form').classList.contains('js-enabled')")
        page.locator("#report-form textarea").first.focus()  # the form asks for its encryption code
        page.wait_for_timeout(1000)
        ran = page.evaluate("window.__tampered")
        style = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--tampered')")
        context.close()
    assert ran is None, "a changed script ran"
    assert style.strip() == "", "a changed stylesheet was applied"
    blocked = {path for path in changed for e in errors if "integrity" in e and path.rsplit("/", 1)[1] in e}
    assert blocked == set(changed), errors
