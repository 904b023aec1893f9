"""Fixtures of the desk's window: `office desk` started as the Office starts it, and a client for it.

The desk runs in its own process (the real command, waitress on loopback), with a
passphrase-protected identity, TMPDIR and HOME inside the test's folder (so that a
file the desk wrote anywhere can be found), and Debian's Chromium driven by
Playwright at the 1366x768 of the Office's laptop.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from intake_function import envelope
from tests.conftest import run_office

PASSPHRASE = "mật khẩu của Văn phòng Ban 2026"
VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def protected_key(tmp_path_factory, office_key) -> tuple[Path, str, str]:
    """The Office's identity protected by a passphrase, as office keygen leaves it: (file, recipient, secret)."""
    secret = office_key[0].read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("protected") / "office-identity.age"
    path.write_bytes(envelope.protect_with_passphrase(secret, PASSPHRASE))
    (line,) = [line for line in secret.splitlines() if line.startswith("AGE-SECRET-KEY-")]
    return path, office_key[1], line


def make_register(folder: Path, recipients: list[str], settings: str = "") -> dict[str, str]:
    """A data folder made by `office init`, a folder store, and the environment the desk runs with."""
    (folder / "tmp").mkdir(parents=True, exist_ok=True)
    (folder / "home").mkdir(exist_ok=True)
    store = folder / "store"
    store.mkdir(exist_ok=True)
    env = {
        "OFFICE_DATA": str(folder / "office-data"),
        "OFFICE_STORE": store.as_uri(),
        "OFFICE_USER": "can-bo-van-phong",
        "TMPDIR": str(folder / "tmp"),
        "HOME": str(folder / "home"),
    }
    made = run_office("init", "--recipients", ",".join(recipients), env=env)
    assert made.returncode == 0, made.stderr.decode()
    if settings:
        (folder / "office-data" / "settings.toml").write_text(settings, encoding="utf-8")
    return env


@dataclass
class RunningDesk:
    process: subprocess.Popen
    address: str  # the printed launch address
    env: dict[str, str]
    stderr: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.address)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def port(self) -> int:
        return urlsplit(self.address).port

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_desk(env: dict[str, str], identity: Path, *args: str) -> RunningDesk:
    """`office desk --no-browser`, as the Office runs it; its first line of output is the address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "office", "desk", "--no-browser", "--identity", str(identity), *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    first = process.stdout.readline().strip()
    if not first.startswith("http://"):
        process.kill()
        raise AssertionError(f"office desk printed {first!r}: {process.stderr.read()}")
    return RunningDesk(process, first, env)


@pytest.fixture
def running(tmp_path, protected_key, second_key) -> Iterator[RunningDesk]:
    """A desk of its own for one test, locking after 3 seconds without use."""
    env = make_register(tmp_path, [protected_key[1], second_key[1]], "[desk]\nlock_after_minutes = 0.05\n")
    desk = start_desk(env, protected_key[0])
    yield desk
    desk.stop()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class Client:
    """Plain HTTP to the desk, every header under the test's control (a browser would not send another Host)."""

    def __init__(self, desk: RunningDesk):
        self.desk = desk
        self.cookie: str | None = None
        self.csrf: str | None = None

    def request(
        self,
        method: str,
        path: str,
        *,
        body: dict | None = None,
        host: str | None = None,
        origin: str | bool | None = True,
        cookie: bool = True,
        csrf: bool = True,
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.desk.port, timeout=30)
        headers = {"Host": host or f"127.0.0.1:{self.desk.port}"}
        if cookie and self.cookie:
            headers["Cookie"] = self.cookie
        payload = None
        if method == "POST":
            values = dict(body or {})
            if csrf and self.csrf:
                values.setdefault("csrf", self.csrf)
            payload = urlencode(values).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if origin is True:
                headers["Origin"] = self.desk.origin
            elif origin:
                headers["Origin"] = origin
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode())
        connection.close()
        found = re.search(r'name="csrf" value="([^"]+)"', answer.body)
        if found:
            self.csrf = found.group(1)
        return answer

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: dict | None = None, **kwargs) -> Answer:
        return self.request("POST", path, body=body, **kwargs)

    def open_session(self) -> Answer:
        """Spend the launch address, as the browser does when it opens it."""
        answer = self.get(urlsplit(self.desk.address).path, cookie=False)
        assert answer.status == 303, answer
        self.cookie = answer.header("set-cookie").split(";")[0]
        return self.get(answer.header("location"))

    def unlock(self, passphrase: str = PASSPHRASE) -> Answer:
        return self.post("/unlock", {"passphrase": passphrase})


def wait_for_exit(process: subprocess.Popen, seconds: float = 15) -> int | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return process.returncode
        time.sleep(0.1)
    return None


@dataclass
class Window:
    """A page of the desk in Chromium, with every host it talked to and every console error."""

    page: object
    context: object
    hosts: set[str]
    errors: list[str]


def open_window(browser, desk: RunningDesk) -> Window:
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    hosts: set[str] = set()
    errors: list[str] = []
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc) if r.url.startswith("http") else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(desk.address)
    return Window(page, context, hosts, errors)


def tab_to(page, target, limit: int = 200) -> None:
    """Move the focus with the Tab key, as a keyboard user does, until it is on ``target`` (a locator)."""
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("(element) => document.activeElement === element", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def type_into(page, target, text: str) -> None:
    """Tab to a text field, clear it and type, by keyboard alone."""
    tab_to(page, target)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    if text:
        page.keyboard.insert_text(text)


def press(page, target, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)
