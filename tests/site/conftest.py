"""Fixtures of the portal site's tests: the site built once, served by the real local server
(``intake_function.local_site``, the same headers and CSP as production), and one Debian
Chromium driven by Playwright.

Each page of both languages is visited once per kind of check and the findings are kept, so that
every test asserts one property of every page without loading them all again.

In CI (``CI=true``) a missing Chromium fails the browser tests; elsewhere they are skipped with
the reason. Playwright's own browser download is never used: Debian's ``/usr/bin/chromium`` is.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from intake_function import config as config_module
from intake_function import create_app, envelope
from intake_function.local_site import with_static_site

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
COMPLETE_DATA = HERE / "data" / "portal-complete.yml"


@dataclass
class Build:
    site: Path
    returncode: int
    log: str
    seconds: float


def run_build(out: Path, *options: str, env: dict[str, str] | None = None) -> Build:
    """Build with the project's own command, as the README and the local run do."""
    started = time.monotonic()
    result = subprocess.run(
        [str(ROOT / "scripts" / "build-site.sh"), "--out", str(out), *options],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Build(out, result.returncode, result.stdout + result.stderr, time.monotonic() - started)


def page_paths(site: Path) -> list[str]:
    """The URL path of every HTML page of a built site (both languages, and the 404 page)."""
    paths = []
    for html_file in sorted(site.rglob("*.html")):
        relative = html_file.relative_to(site).as_posix()
        if relative.endswith("index.html"):
            paths.append("/" + relative[: -len("index.html")])
        else:
            paths.append("/" + relative)
    return paths


@pytest.fixture(scope="session")
def office_recipient() -> str:
    return str(envelope.generate_identity().to_public())


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, office_recipient) -> Build:
    """The site from the repository's own data file, with a generated Office key."""
    build = run_build(tmp_path_factory.mktemp("built") / "site", "--recipients", office_recipient)
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="session")
def complete_site(tmp_path_factory, office_recipient) -> Build:
    """The site from a test data file where every field is filled (made-up values), with a key."""
    build = run_build(
        tmp_path_factory.mktemp("complete") / "site", "--data", str(COMPLETE_DATA), "--recipients", office_recipient
    )
    assert build.returncode == 0, build.log
    return build


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="session")
def server(built_site, office_recipient, tmp_path_factory) -> Iterator[str]:
    """The real local server (site + intake function) on a free loopback port; yields its origin."""
    config = config_module.from_env(
        {
            "INTAKE_STORE": tmp_path_factory.mktemp("store").as_uri(),
            "INTAKE_RECIPIENTS": office_recipient,
            "INTAKE_LOG_LEVEL": "WARNING",
        }
    )
    app = with_static_site(create_app(config), built_site.site)
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)


@dataclass
class Visit:
    path: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    scroll_width: int | None = None
    axe_violations: list[str] = field(default_factory=list)


def _is_local(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return f"{parts.scheme}://{parts.netloc}" == origin


TABS = 4  # pages loaded side by side: the machine waits on the network less than on one page


def visit_all(
    context, origin: str, paths: list[str], wait: str, watch=None, inspect=None, collect=None
) -> dict[str, Visit]:
    """Load every path, a few tabs at a time.

    ``watch(page, holder)`` attaches listeners that record into ``holder[-1]`` (the visit the tab
    is on); ``inspect(page, visit)`` runs once the page has settled (``wait`` is a Playwright load
    state); ``collect(page, visit)`` runs after every tab of the batch was inspected, so that work
    started by ``inspect`` in the pages runs side by side.
    """
    tabs = [context.new_page() for _ in range(TABS)]
    holders: list[list[Visit]] = [[] for _ in tabs]
    if watch:
        for tab, holder in zip(tabs, holders, strict=True):
            watch(tab, holder)
    visits: dict[str, Visit] = {}
    for first in range(0, len(paths), TABS):
        batch = list(zip(tabs, holders, paths[first : first + TABS], strict=False))
        for tab, holder, path in batch:
            holder.append(Visit(path))
            tab.goto(origin + path, wait_until="commit")
        for tab, holder, path in batch:
            tab.wait_for_load_state(wait)
            if inspect:
                inspect(tab, holder[-1])
            visits[path] = holder[-1]
        if collect:
            for tab, holder, _ in batch:
                collect(tab, holder[-1])
    for tab in tabs:
        tab.close()
    return visits


def _skip_search_index(context) -> None:
    """Layout and accessibility checks need no search: spare the CPU the index build takes."""
    context.route("**/search_index.json", lambda route: route.abort())


# axe-core on every page: the rules of WCAG 2.1 levels A and AA (what the accessibility statement
# promises), serious and critical findings; and of axe's best practices, the landmarks (every
# landmark named, each name once: screen readers list them by name). axe is evaluated through the
# DevTools protocol, which the page's CSP does not govern, so the pages keep their real CSP while
# they are checked.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def axe_counts(violation: dict) -> bool:
    return violation["impact"] in ("serious", "critical") or violation["id"].startswith("landmark-")


# axe judges the page at rest: a control fading in (Material's "back to top" button) is mid-way
# between colours, and its contrast then depends on the moment. Endless animations are not waited for.
AT_REST = """() => Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map((a) => a.finished.catch(() => null)))"""


def _start_axe(page, visit: Visit | None = None) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run scripts/setup.sh (npm ci in web/)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    page.evaluate(
        f"(options) => {{ window.__axe = ({AT_REST})().then(() => axe.run(document, options)) }}", AXE_OPTIONS
    )


def _collect_axe(page, visit: Visit) -> None:
    results = page.evaluate("() => window.__axe")
    visit.axe_violations = [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if axe_counts(v)
    ]


@pytest.fixture(scope="session")
def desktop_visits(browser, server, built_site) -> dict[str, Visit]:
    """Every page in a desktop window under the real CSP: console errors, every request made, axe.
    Waits for the network to be idle, since the search worker loads its scripts after "load"."""

    def watch(page, holder: list[Visit]) -> None:
        page.on("console", lambda m: holder[-1].console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: holder[-1].console_errors.append(f"uncaught: {e}"))
        page.on(
            "request",
            lambda r: None if _is_local(r.url, server) else holder[-1].foreign_requests.append(r.url),
        )
        page.on(
            "response",
            lambda r: holder[-1].failed_responses.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    paths = page_paths(built_site.site)
    visits = visit_all(context, server, paths, "networkidle", watch=watch, inspect=_start_axe, collect=_collect_axe)
    context.close()
    return visits


@pytest.fixture(scope="session")
def phone_visits(browser, server, built_site) -> dict[str, Visit]:
    """Every page at 360x640 (a small phone): how wide the document is, and axe (where tables
    scroll sideways in their box, which a keyboard must reach)."""

    def inspect(page, visit: Visit) -> None:
        visit.scroll_width = page.evaluate("document.documentElement.scrollWidth")
        _start_axe(page)

    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=2, has_touch=True)
    _skip_search_index(context)
    visits = visit_all(context, server, page_paths(built_site.site), "load", inspect=inspect, collect=_collect_axe)
    context.close()
    return visits
