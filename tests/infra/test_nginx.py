"""The guide's nginx example, run with a real nginx in front of the real function.

The server block of docs/huong-dan-ky-thuat/may-chu-rieng.md is taken as written, with only what
a test machine must change: a loopback port without TLS, temporary folders, the function's port.
Requests that nginx refuses by itself (a broken request line, headers too large, a repeated or
negative Content-Length, an unknown transfer coding, a body over client_max_body_size) must come
back as a 4xx with the function's JSON error and security headers; the function's own answers
must pass with its headers once, not twice.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest
import requests

from intake_function.errors import HTTP_MESSAGES
from intake_function.headers import SECURITY_HEADERS, api_headers
from tests.conftest import TEST_SECRET, require_tool
from tests.infra.servers import free_port, running
from tests.infra.test_guide import _nginx_example
from tests.test_hostile import SERVER_LEVEL, Hostile, _exchange, check_refusal


def adapt(example: str, port: int, api_port: int, folder) -> str:
    """The guide's server block, on a loopback port without TLS, in a temporary folder."""
    block = example[: example.index("\nserver {\n    listen 80;")]  # the HTTPS server, not the redirect
    block = re.sub(r"^\s*ssl_.*\n", "", block, flags=re.M)
    block = block.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    block = block.replace("/var/log/nginx/portal-error.log", str(folder / "error.log"))
    block = block.replace("/srv/portal/site", str(folder / "site"))
    block = block.replace("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{api_port};")
    temp = folder / "temp"
    # As root, nginx's workers would run as nobody, who cannot read the test's private folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\ndaemon off;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'main-error.log'} crit;\n"
        "events {}\nhttp {\n"
        f"    client_body_temp_path {temp}/body;\n    proxy_temp_path {temp}/proxy;\n"
        f"    fastcgi_temp_path {temp}/fastcgi;\n    uwsgi_temp_path {temp}/uwsgi;\n    scgi_temp_path {temp}/scgi;\n"
        f"{block}\n}}\n"
    )


@pytest.fixture(scope="module", params=["vi", "en"])
def nginx_in_front(request, tmp_path_factory, office_key):
    nginx = require_tool("nginx")
    folder = tmp_path_factory.mktemp(f"nginx-{request.param}")
    (folder / "site").mkdir()
    (folder / "temp").mkdir()
    page = "<!doctype html><title>Trang chủ</title>" + "<p>Phản ánh, tố giác.</p>" * 200  # worth compressing
    (folder / "site" / "index.html").write_text(page, encoding="utf-8")
    (folder / "site" / "404.html").write_text("<!doctype html><title>Không tìm thấy</title>", encoding="utf-8")
    api_port, port = free_port(), free_port()
    env = {
        "PORT": str(api_port),
        "INTAKE_RECIPIENTS": office_key[1],
        "INTAKE_STORE": (folder / "store").as_uri(),
        "INTAKE_SECRET": TEST_SECRET,
        "INTAKE_TRUSTED_PROXIES": "127.0.0.1",  # as the guide says: nginx on the same server
        "INTAKE_CLIENT_CHECK_LIMIT": "6",  # two checks at once, so that the test sees the limit soon
    }
    config = folder / "nginx.conf"
    config.write_text(adapt(_nginx_example(request.param), port, api_port, folder), encoding="utf-8")
    check = subprocess.run([nginx, "-t", "-p", str(folder), "-c", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with running([sys.executable, "-m", "intake_function"], env, api_port):
        process = subprocess.Popen([nginx, "-p", str(folder), "-c", str(config)], stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    requests.get(base + "/", timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.05)
            yield port, base, folder
        finally:
            process.terminate()
            process.wait(timeout=15)


REFUSED_BY_NGINX = [
    *SERVER_LEVEL,
    (
        "body over client_max_body_size",
        b"POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 70000000\r\n\r\n",
    ),
    ("uri too long", b"GET /api/v1/" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
]


@pytest.mark.parametrize("name,data", REFUSED_BY_NGINX, ids=[name for name, _ in REFUSED_BY_NGINX])
def test_refusals_by_nginx_carry_the_functions_headers_and_body(nginx_in_front, name, data):
    port, _, _ = nginx_in_front
    answer = _exchange(port, data)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(": ", 1) for line in lines[1:])
    check_refusal(Hostile(name, "", ""), status, headers.get("Content-Type", ""), body, headers)


def test_the_function_answers_pass_once_and_the_refusal_block_is_not_reachable(nginx_in_front):
    _, base, _ = nginx_in_front
    health = requests.get(base + "/api/v1/health", timeout=10)
    assert health.status_code == 200
    for name in SECURITY_HEADERS:
        assert health.raw.headers.getlist(name) == [SECURITY_HEADERS[name]], name  # once, not twice
    refused = requests.post(base + "/api/v1/submissions", data=b"x", headers={"Content-Type": "text/plain"}, timeout=10)
    assert refused.status_code == 415 and refused.json()["error"] == "unsupported_media_type"
    direct = requests.get(base + "/.refused/bad-request", timeout=10)
    assert direct.status_code == 404 and "bad_request" not in direct.text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_refusal_block_says_what_the_function_says(lang):
    example = _nginx_example(lang)
    block = example.split("location ^~ /.refused/ {", 1)[1]
    sent = dict(re.findall(r'add_header ([A-Za-z-]+) "([^"]*)" always;', block))
    assert sent == api_headers()

    bodies = dict(re.findall(r"location = /\.refused/[a-z-]+ \{ return (\d+) '([^']*)'; \}", block))
    assert {int(code) for code in bodies} == {400, 413, 429}
    for code, text in bodies.items():
        error = json.loads(text)
        assert (error["error"], error["message"]) == HTTP_MESSAGES[int(code)]


def test_each_client_is_limited_by_nginx_and_the_function_and_cannot_pose_as_another(nginx_in_front):
    """nginx hands the function the connection's address (never the sender's X-Forwarded-For): a
    sender who writes a new address in each request is still one client. A flood of the paths
    without proof-of-work is refused by nginx's limit_req with the function's JSON 429 and headers,
    while the rest of the API still answers."""
    _, base, _ = nginx_in_front
    lookup = {"lookup_id": "a" * 32}
    statuses = []
    for n in range(4):
        answer = requests.post(
            base + "/api/v1/replies", json=lookup, headers={"X-Forwarded-For": f"198.51.100.{n}"}, timeout=10
        )
        statuses.append((answer.status_code, answer.json().get("error")))
    assert statuses[:2] == [(200, None), (200, None)]
    assert statuses[2:] == [(429, "slow_down")] * 2  # the function's limit: one client, whatever it wrote
    refused = []
    for _ in range(40):
        answer = requests.post(base + "/api/v1/replies", json=lookup, timeout=10)
        if answer.json().get("error") == "too_many_requests":
            refused.append(answer)
    assert refused, "nginx's limit_req never refused the flood"
    check_refusal(
        Hostile("limit_req", "POST", "/api/v1/replies", b""),
        429,
        refused[0].headers["Content-Type"],
        refused[0].content,
        refused[0].headers,
    )
    assert requests.get(base + "/api/v1/health", timeout=10).status_code == 200


def test_the_site_is_sent_compressed_and_the_function_is_not(nginx_in_front):
    """Issue 24 item 5: behind the guide's nginx a page weighs what CloudFront would send."""
    _, base, _ = nginx_in_front
    page = requests.get(f"{base}/", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert page.headers.get("Content-Encoding") == "gzip" and "Accept-Encoding" in page.headers.get("Vary", "")
    assert "Phản ánh, tố giác." in page.content.decode("utf-8")
    api = requests.get(f"{base}/api/v1/health", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert api.status_code == 200 and "Content-Encoding" not in api.headers
