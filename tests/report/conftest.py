"""Fixtures of the online report tests: the site built with the Office's test key, served with the
intake function by the real local server on loopback, every request body recorded server-side,
and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from intake_function import config as config_module
from intake_function import create_app
from intake_function.local_site import with_static_site
from tests.conftest import TEST_SECRET
from tests.site.conftest import AT_REST, AXE, axe_counts, run_build
from tests.site.conftest import AXE_OPTIONS as SITE_AXE_OPTIONS


@dataclass
class Recorder:
    """Every request that reached the server: method, path and the exact body bytes."""

    requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wrap(self, app):
        def recorded(environ, start_response):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            with self.lock:
                self.requests.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), body))
            return app(environ, start_response)

        return recorded

    def bodies(self) -> bytes:
        with self.lock:
            return b"".join(body for _, _, body in self.requests)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="session")
def report_site(tmp_path_factory, office_key):
    build = run_build(tmp_path_factory.mktemp("report-site") / "site", "--recipients", office_key[1])
    assert build.returncode == 0, build.log
    return build.site


@dataclass
class Portal:
    origin: str
    store: Path
    recorder: Recorder


@contextmanager
def running_portal(site: Path, recipient: str, store: Path, **env: str) -> Iterator[Portal]:
    """The site and the function on loopback, with a fresh store; ``env`` overrides the test settings."""
    config = config_module.from_env(
        {
            "INTAKE_STORE": store.as_uri(),
            "INTAKE_RECIPIENTS": recipient,
            "INTAKE_SECRET": TEST_SECRET,
            "INTAKE_POW_MAX": "40",
            "INTAKE_LOG_LEVEL": "WARNING",
            **env,
        }
    )
    recorder = Recorder()
    app = recorder.wrap(with_static_site(create_app(config), site))
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Portal(f"http://127.0.0.1:{httpd.server_port}", store, recorder)
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def portal(report_site, office_key, tmp_path) -> Iterator[Portal]:
    """A fresh store and server per test, so each test sees only its own reports."""
    with running_portal(report_site, office_key[1], tmp_path / "store") as running:
        yield running


@pytest.fixture(scope="session")
def chromium(browser):
    return browser


@dataclass
class Watched:
    page: object
    hosts: set[str]
    console_errors: list[str]


@pytest.fixture
def watched(chromium, portal) -> Iterator[Watched]:
    """A page in a fresh context that records every host it talks to and every console error."""
    from urllib.parse import urlsplit

    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    hosts: set[str] = set()
    errors: list[str] = []
    page.on(
        "request", lambda r: hosts.add(urlsplit(r.url).netloc) if urlsplit(r.url).scheme in ("http", "https") else None
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield Watched(page, hosts, errors)
    context.close()


# The rules of WCAG 2.1 levels A and AA, which is what the portal promises (kha-nang-tiep-can.md),
# and axe's best practices for landmarks (tests/site/conftest.py).
AXE_OPTIONS = SITE_AXE_OPTIONS


def axe_serious(page, selector: str | None = None) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (or on one element of it).

    axe is evaluated through the DevTools protocol, which the page's CSP does not govern (and which
    works with the page's JavaScript off), so the page keeps its real CSP while it is checked.
    """
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        f"""async ([selector, options]) => {{
            await ({AT_REST})();
            const context = selector ? document.querySelector(selector) : document;
            return (await axe.run(context, options)).violations;
        }}""",
        [selector, AXE_OPTIONS],
    )
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in result if axe_counts(v)]


# What focus and the pointer change: the colours of the control (and of a link against its text).
FOCUS_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}


def axe_on_focus_and_hover(page, scope: str, looks: set[str] | None = None) -> dict[str, list[str]]:
    """axe's colour findings on each control as the keyboard focuses it, and under the pointer.

    Focus moves with the Tab key, as a keyboard user moves it (so :focus-visible styles apply),
    through the whole page; the controls inside ``scope`` are then hovered one by one. Transitions
    are switched off first (a stylesheet built in the page, which the CSP allows), so that colours
    are measured as they end, not half-way. A control drawn exactly like one already checked (same
    kind, classes, colours, background and font) is not checked again: axe takes a third of a
    second a call, and the twenty links of the navigation look alike. ``looks`` carries what was
    checked from one page to the next.
    """
    looks = set() if looks is None else looks
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    page.evaluate(
        """(looks) => {
            const still = new CSSStyleSheet();
            still.replaceSync("*, *::before, *::after { transition: none !important; animation: none !important; }");
            document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
            document.activeElement?.blur();
            window.scrollTo(0, 0);
            const checked = new Set(looks);
            window.checkedLooks = checked;
            window.lookNew = (element) => {
                let ground = element;
                const clear = (e) => getComputedStyle(e).backgroundColor === "rgba(0, 0, 0, 0)";
                while (ground && clear(ground)) ground = ground.parentElement;
                const style = getComputedStyle(element);
                const look = [element.tagName, element.className, style.color, style.backgroundColor, style.fontSize,
                    style.fontWeight, style.textDecorationLine, ground && getComputedStyle(ground).backgroundColor];
                if (checked.has(look.join("|"))) return false;
                checked.add(look.join("|"));
                return true;
            };
        }""",
        sorted(looks),
    )
    check = """async (options) => {
        const element = document.activeElement;
        if (!element || element === document.body) return null;
        const text = (element.textContent || element.value || "").trim().slice(0, 30);
        if (!lookNew(element)) return [text, []];
        const found = (await axe.run(element, options)).violations;
        const serious = found.filter((v) => ["serious", "critical"].includes(v.impact));
        return [`${element.tagName.toLowerCase()}#${element.id} ${text}`, serious.map((v) => v.id)];
    }"""
    findings: dict[str, list[str]] = {}
    seen = 0
    for _ in range(300):
        page.keyboard.press("Tab")
        result = page.evaluate(check, FOCUS_RULES)
        if result is None:
            break  # past the last control
        seen += 1
        if result[1]:
            findings[f"focus {result[0]}"] = result[1]
    assert seen >= 5, f"Tab reached only {seen} controls"
    controls = page.locator(f"{scope} :is(button, a[href], input, select, textarea, summary)")
    for n in range(controls.count()):
        control = controls.nth(n)
        if not control.is_visible():
            continue
        control.hover()
        result = page.evaluate(
            """async ([element, options]) => lookNew(element) ? (await axe.run(element, options)).violations
                .filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id) : []""",
            [control.element_handle(), FOCUS_RULES],
        )
        if result:
            findings[f"hover {control.evaluate('e => e.outerHTML.slice(0, 80)')}"] = result
    looks.update(page.evaluate("() => [...checkedLooks]"))
    return findings


@dataclass
class Phone:
    """A page at 360x640 (a small phone), recording what would show that something is wrong."""

    page: object
    console_errors: list[str]
    failed: list[str]
    api_requests: list[str]
    mirror: object | None = None  # a page with JavaScript, where axe checks what a page without it shows

    def width(self) -> int:
        return self.page.evaluate("document.documentElement.scrollWidth")

    def axe(self) -> list[str]:
        """axe's serious findings on the page as it is now.

        Without JavaScript no timer fires, so axe (which needs them) cannot run in the page itself:
        its document, as rendered, is checked in a page of the same size that has JavaScript.
        Only the function's own pages are checked this way: they hold everything they show.
        """
        if self.mirror is None:
            return axe_serious(self.page)
        self.mirror.set_content(self.page.content())
        return axe_serious(self.mirror)


def post_form(page, selector: str) -> None:
    """Submits a form in a page without JavaScript by clicking `selector`, and waits for the answer.

    The click only starts the browser's navigation: read at once, the page is still the form's page,
    or briefly no document at all (a race that failed CI once).
    """
    with page.expect_navigation(wait_until="load"):
        page.click(selector)


def _phone(chromium, javascript: bool) -> Iterator[Phone]:
    size = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "has_touch": True}
    context = chromium.new_context(**size, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(30_000)
    mirror = None if javascript else chromium.new_context(**size).new_page()
    phone = Phone(page, [], [], [], mirror)
    page.on("console", lambda m: phone.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: phone.console_errors.append(str(e)))
    page.on("response", lambda r: phone.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: phone.api_requests.append(r.url) if "/api/" in r.url else None)
    yield phone
    context.close()
    if mirror is not None:
        mirror.context.close()


@pytest.fixture
def phone(chromium, portal) -> Iterator[Phone]:
    yield from _phone(chromium, javascript=True)


@pytest.fixture
def phone_without_javascript(chromium, portal) -> Iterator[Phone]:
    yield from _phone(chromium, javascript=False)
