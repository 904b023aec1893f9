"""The same app under the other runtimes the guide documents, with the guide's own commands.

gunicorn (Linux, ``intake_function.wsgi:app``) and waitress (Windows; here on Linux, the same
code; ``python -m intake_function``) serve the function on loopback, with a folder store or an S3-compatible endpoint
(``AWS_ENDPOINT_URL_S3``: the moto server stands in for a provider's), and take a real
submission: a challenge from the server, solved here, an envelope made by the ``age`` CLI.
"""

from __future__ import annotations

import json

import pytest
import requests

from intake_function import objects, report
from intake_function.store import open_store
from tests.conftest import TEST_SECRET, age_decrypt, age_encrypt, new_bucket, solve
from tests.infra.servers import free_port, running, venv_tool

# The commands as the guide writes them (docs/huong-dan-ky-thuat/may-chu-rieng.md), with the
# port the test picked in place of 8000.
GUNICORN = ".venv/bin/gunicorn --bind 127.0.0.1:8000 --workers 2 intake_function.wsgi:app"
# waitress through the function's own launcher (its refusals carry the portal's headers), on PORT.
WAITRESS = ".venv/bin/python -m intake_function"
GUIDE_COMMANDS = [GUNICORN, WAITRESS]


def submit(base: str, recipient: str) -> tuple[str, bytes]:
    plaintext = report.padded({"schema": "report/1", "category": "corruption", "description": "Nhận tiền"})
    sealed = age_encrypt(plaintext, recipient)
    challenge = requests.get(base + "/api/v1/challenge", timeout=10).json()
    answer = requests.post(
        base + "/api/v1/submissions",
        data=sealed,
        headers={"Content-Type": "application/octet-stream", "X-Altcha": solve(challenge)},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")
    return answer.json()["id"], sealed


@pytest.mark.parametrize("server", ["gunicorn", "waitress"])
@pytest.mark.parametrize("kind", ["file", "s3"])
def test_a_real_submission_under_gunicorn_and_waitress(server, kind, tmp_path, office_key, request):
    command = GUNICORN if server == "gunicorn" else WAITRESS
    port = free_port()
    words = command.replace("8000", str(port)).split()
    words[0] = str(venv_tool(words[0].removeprefix(".venv/bin/")))
    if kind == "file":
        store_url = (tmp_path / "store").as_uri()
    else:
        store_url = f"s3://{new_bucket(request.getfixturevalue('moto_endpoint'))}/portal"
    env = {
        "PORT": str(port),
        "INTAKE_STORE": store_url,
        "INTAKE_RECIPIENTS": office_key[1],
        # Two gunicorn workers must sign challenges alike: one secret for every process.
        "INTAKE_SECRET": TEST_SECRET,
        "INTAKE_POW_MAX": "5",
        "INTAKE_POW_COST": "10",
    }
    with running(words, env, port) as base:
        health = requests.get(base + "/api/v1/health", timeout=10).json()
        assert [r["recipient"] for r in health["recipients"]] == [office_key[1]]
        stored = [submit(base, office_key[1]) for _ in range(3)]  # likely spread over both workers
    store = open_store(store_url)
    for object_id, sealed in stored:
        kept = store.get(objects.inbox_key(object_id))
        assert kept == sealed
        assert json.loads(age_decrypt(kept, office_key[0]))["category"] == "corruption"
