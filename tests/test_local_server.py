"""``python -m intake_function``: the production WSGI server on loopback, site beside the API."""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import time

import pytest
import requests

from intake_function import report
from intake_function.headers import SECURITY_HEADERS
from tests.conftest import age_decrypt, age_encrypt, solve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, office_key):
    site = tmp_path / "site"
    site.mkdir()
    # A page long enough to be worth compressing (as every page of the portal is).
    page = "<!doctype html><title>Trang chủ</title><h1>Xin chào</h1>" + "<p>Phản ánh, tố giác.</p>" * 200
    (site / "index.html").write_text(page, encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>Không tìm thấy</title>", encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "INTAKE_RECIPIENTS": office_key[1],
        "INTAKE_POW_MAX": "5",
        "INTAKE_STORE": (tmp_path / "store").as_uri(),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "intake_function", "--site", str(site)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(f"{base}/api/v1/health", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield base, tmp_path / "store"
    process.terminate()
    process.wait(timeout=10)


def test_serves_api_and_site_with_security_headers(server, office_key):
    base, store = server
    plaintext = report.padded({"schema": "report/1", "category": "waste", "description": "Qua mạng thật"})
    challenge = requests.get(f"{base}/api/v1/challenge", timeout=10).json()
    response = requests.post(
        f"{base}/api/v1/submissions",
        data=age_encrypt(plaintext, office_key[1]),
        headers={"Content-Type": "application/octet-stream", "X-Altcha": solve(challenge)},
        timeout=10,
    )
    assert response.status_code == 201
    stored = store / "inbox" / f"{response.json()['id']}.age"
    assert age_decrypt(stored.read_bytes(), office_key[0]) == plaintext
    assert "Server" not in response.headers or "waitress" not in response.headers["Server"].lower()

    page = requests.get(f"{base}/", timeout=10)
    assert page.status_code == 200 and "Xin chào" in page.text
    for name, value in SECURITY_HEADERS.items():
        assert page.headers[name] == value
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    missing = requests.get(f"{base}/khong-co/", timeout=10)
    assert missing.status_code == 404 and "Không tìm thấy" in missing.text
    assert requests.get(f"{base}/api/v1/khong-co", timeout=10).json()["error"] == "not_found"


def test_listens_on_loopback_only(server):
    """The kernel's table of listening sockets shows the port bound to 127.0.0.1 and nothing else."""
    base, _ = server
    port = int(base.rsplit(":", 1)[1])
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if os.path.exists(table):
            for line in open(table).read().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.rsplit(":", 1)
                if int(hex_port, 16) == port and state == "0A":  # 0A = LISTEN
                    listening.append(address)
    assert listening == ["0100007F"]


def test_bad_configuration_stops_start_up_with_a_message(tmp_path):
    env = {**os.environ, "INTAKE_RECIPIENTS": "age1notakey", "PORT": str(free_port())}
    result = subprocess.run([sys.executable, "-m", "intake_function"], env=env, capture_output=True, timeout=30)
    assert result.returncode == 2
    assert b"INTAKE_RECIPIENTS" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "intake_function"], env={**env, "PORT": "http"}, capture_output=True, timeout=30
    )
    assert result.returncode == 2 and b"PORT" in result.stderr


def test_the_site_is_sent_compressed_as_the_cdn_sends_it_and_the_api_is_not(server):
    """Issue 24 item 5: the local runner (and the on-premises path) compress the site's text files as
    CloudFront does; the function's answers, which hold receipt codes and echo what was typed, are
    not compressed (no BREACH-style oracle), and nothing is written into the built site."""
    base, _ = server
    page = requests.get(f"{base}/", headers={"Accept-Encoding": "gzip"}, timeout=10, stream=True)
    raw = page.raw.read(decode_content=False)
    assert page.headers["Content-Encoding"] == "gzip" and page.headers["Vary"] == "Accept-Encoding"
    assert int(page.headers["Content-Length"]) == len(raw) < 1000
    assert "Xin chào" in gzip.decompress(raw).decode()
    plain = requests.get(f"{base}/", headers={"Accept-Encoding": "identity"}, timeout=10)
    assert "Content-Encoding" not in plain.headers and len(plain.content) > 5000
    api = requests.get(f"{base}/api/v1/health", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert "Content-Encoding" not in api.headers
