"""Fixtures of the online report tests: the site built with the Office's test key, served with the
intake function by the real local server on loopback, every request body recorded server-side,
and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from intake_function import config as config_module
from intake_function import create_app
from intake_function.local_site import with_static_site
from tests.conftest import TEST_SECRET
from tests.site.conftest import AXE, run_build


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


@pytest.fixture
def portal(report_site, office_key, tmp_path) -> Iterator[Portal]:
    """A fresh store and server per test, so each test sees only its own reports."""
    store = tmp_path / "store"
    config = config_module.from_env(
        {
            "INTAKE_STORE": store.as_uri(),
            "INTAKE_RECIPIENTS": office_key[1],
            "INTAKE_SECRET": TEST_SECRET,
            "INTAKE_POW_MAX": "40",
            "INTAKE_LOG_LEVEL": "WARNING",
        }
    )
    recorder = Recorder()
    app = recorder.wrap(with_static_site(create_app(config), report_site))
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Portal(f"http://127.0.0.1:{httpd.server_port}", store, recorder)
    httpd.shutdown()
    thread.join(timeout=10)


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


def axe_serious(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now.

    axe is evaluated through the DevTools protocol, which the page's CSP does not govern, so the
    page keeps its real CSP while it is checked.
    """
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
