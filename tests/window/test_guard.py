"""The desk as a local server: only the browser that opened the printed address may use it.

One desk for the whole scenario (starting it is the slow part): the refusals
(another Host, a cross-origin POST, a POST without the CSRF token, no session),
each leaving everything as it was; the socket bound to loopback only; the
identity nowhere on disk while unlocked; the lock after the idle time; "Thoát".
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

from tests.window.conftest import PASSPHRASE, Client, wait_for_exit

REBOUND = "desk.attacker.example:{port}"


def _listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on ``port`` (Linux's /proc/net)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def _files_holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and needle in p.read_bytes()]


def test_only_the_browser_that_opened_the_address_may_use_the_desk(running, protected_key, tmp_path):
    client = Client(running)
    port = running.port

    # Bound to loopback and nothing else: another loopback address finds no one listening.
    assert running.address.startswith(f"http://127.0.0.1:{port}/start/")
    if os.path.exists("/proc/net/tcp"):
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1
    with socket.socket() as other:
        other.settimeout(2)
        assert other.connect_ex(("127.0.0.2", port)) != 0

    # No session: every page refused, and the static files give nothing away.
    for path in ("/", "/unlock", "/cases"):
        answer = client.get(path)
        assert answer.status == 403 and "Chưa có phiên làm việc" in answer.body, path
        assert answer.header("cache-control") == "no-store"
    assert client.post("/exit").status == 403 and running.process.poll() is None

    # A rebound name (DNS rebinding) is refused even with the launch token.
    token_path = running.address.removeprefix(running.origin)
    answer = client.get(token_path, host=REBOUND.format(port=port), cookie=False)
    assert answer.status == 421 and "set-cookie" not in answer.headers

    # The launch address: spent once for an HttpOnly, SameSite=Strict cookie.
    page = client.open_session()
    cookie = client.cookie
    assert page.status == 200 and 'type="password"' in page.body
    again = Client(running).get(token_path, cookie=False)
    assert again.status == 403 and "set-cookie" not in again.headers
    headers = page.headers
    assert headers["cache-control"] == "no-store"
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin"

    # With the session, another Host header is still refused.
    assert client.get("/unlock", host=REBOUND.format(port=port)).status == 421
    assert client.get("/unlock", host=f"localhost:{port}").status == 421

    # A wrong passphrase says so in Vietnamese, and leaves the desk locked.
    wrong = client.unlock("không phải mật khẩu")
    assert wrong.status == 400 and "mật khẩu không mở được" in wrong.body
    assert client.get("/").status == 303

    # Cross-origin and CSRF-less posts change nothing: the desk stays locked, and stays running.
    assert client.post("/unlock", {"passphrase": PASSPHRASE}, origin="http://desk.attacker.example").status == 403
    assert client.post("/unlock", {"passphrase": PASSPHRASE}, origin=None).status == 403
    assert client.post("/unlock", {"passphrase": PASSPHRASE}, csrf=False).status == 403
    assert client.post("/unlock", {"passphrase": PASSPHRASE, "csrf": "x" * 43}).status == 403
    assert client.get("/").status == 303, "a refused unlock unlocked the desk"
    assert client.unlock().status == 303
    assert client.get("/").status == 200
    for refused in (
        {"origin": "http://desk.attacker.example"},
        {"origin": None},
        {"csrf": False},
        {"cookie": False},
    ):
        assert client.post("/lock", **refused).status == 403, refused
        assert client.post("/exit", **refused).status == 403, refused
    assert client.get("/").status == 200, "a refused post locked the desk"
    assert running.process.poll() is None, "a refused post stopped the desk"
    stolen = Client(running)
    stolen.csrf = client.csrf
    assert stolen.get("/").status == 403 and stolen.post("/lock").status == 403

    # While unlocked, the secret key is in memory only: in no file the desk could have written.
    secret = protected_key[2].encode()
    assert _files_holding(tmp_path, secret) == []

    # The lock after the idle time (3 s here), and its page asks for the passphrase again.
    time.sleep(3.5)
    locked = client.get("/")
    assert locked.status == 303 and locked.header("location").startswith("/unlock")
    assert client.unlock().status == 303 and client.get("/").status == 200

    # "Khóa" locks at once; "Thoát" stops the desk, the key out of memory.
    assert client.post("/lock").status == 303 and client.get("/").status == 303
    assert client.cookie == cookie
    assert client.post("/exit").status == 200
    assert wait_for_exit(running.process) == 0
    assert "Đã dừng cửa sổ làm việc" in running.process.stderr.read()
