"""scripts/package-lambda.sh builds the zip, and the handler runs from inside that zip alone.

The zip is built once per session for this machine (its architecture, its Python), extracted,
and run in a separate Python started with ``-I -S``: no site-packages, no PYTHONPATH, nothing
from the project's virtual environment; only the standard library and the zip's own files.
That process serves API Gateway v2 events (one JSON line each, as Lambda would hand them over)
against the moto S3 server, for a real submission, with and without files.
The guide's own command (arm64, python3.12) is built too, and checked without being run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import platform
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests

from intake_function import envelope, objects, report
from intake_function.store import open_store
from tests.conftest import ROOT, TEST_SECRET, age_decrypt, age_encrypt, new_bucket, solve
from tests.test_malformed import _event

SCRIPT = ROOT / "scripts" / "package-lambda.sh"
REQUIREMENTS = ROOT / "infra" / "requirements-lambda.txt"
PYTHON_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
# The guide's command; the tests add --out (a temporary folder instead of dist/).
GUIDE_COMMANDS = ["scripts/package-lambda.sh --recipients office-recipients.txt"]
ARCH = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}[platform.machine().lower()]


def package(out: Path, *options: str) -> tuple[Path, str]:
    result = subprocess.run(
        ["bash", str(SCRIPT), "--out", str(out), *options], capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "intake-function.zip", result.stdout


@pytest.fixture(scope="session")
def hybrid_identities() -> list:
    """The Office's two hybrid keys (primary, backup): too long for Lambda's environment, so in the zip."""
    return [envelope.generate_identity() for _ in range(2)]


@pytest.fixture(scope="session")
def native_zip(tmp_path_factory, hybrid_identities) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("zip")
    keys = folder / "office-recipients.txt"
    keys.write_text("".join(f"{i.to_public()}\n" for i in hybrid_identities), encoding="utf-8")
    return package(folder, "--arch", ARCH, "--python-version", PYTHON_VERSION, "--recipients", str(keys))


@pytest.fixture(scope="session")
def guide_zip(tmp_path_factory, hybrid_identities) -> tuple[Path, str]:
    """What the guide tells the IT staff to run: scripts/package-lambda.sh --recipients (arm64, python3.12)."""
    folder = tmp_path_factory.mktemp("zip-arm64")
    keys = folder / "office-recipients.txt"
    keys.write_text("".join(f"{i.to_public()}\n" for i in hybrid_identities), encoding="utf-8")
    return package(folder, "--recipients", str(keys))


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_every_lambda_pin_is_the_locked_version():
    lambda_pins, locked = _pins(REQUIREMENTS), _pins(ROOT / "requirements.lock")
    assert {
        name: (version, locked.get(name)) for name, version in lambda_pins.items() if locked.get(name) != version
    } == {}


def test_the_zip_has_the_function_and_its_files_and_nothing_stale(native_zip):
    zip_path, output = native_zip
    names = zipfile.ZipFile(zip_path).namelist()
    ours = {n for n in names if n.startswith("intake_function/")}
    expected = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "intake_function").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert ours == expected
    assert not any("__pycache__" in n or n.startswith("bin/") for n in names)
    for package_name in ("flask/", "cryptography/", "apig_wsgi/", "altcha/", "jsonschema/", "boto3/", "botocore/"):
        assert any(n.startswith(package_name) for n in names), package_name
    assert "MiB zipped" in output and "MiB unzipped" in output
    assert (
        "office-recipients.txt" in names
        and "INTAKE_RECIPIENTS=office-recipients.txt" in zipfile.ZipFile(zip_path).read("BUILD-INFO.txt").decode()
    )


def _elf_machines(zip_path: Path) -> set[int]:
    machines = set()
    with zipfile.ZipFile(zip_path) as archive:
        for name in archive.namelist():
            if name.endswith(".so"):
                head = archive.open(name).read(20)
                assert head[:4] == b"\x7fELF", name
                machines.add(struct.unpack("<H", head[18:20])[0])
    return machines


def test_the_guides_command_builds_for_lambda_arm64_within_budget(guide_zip):
    zip_path, output = guide_zip
    assert _elf_machines(zip_path) == {183}  # EM_AARCH64: every native library is for arm64
    names = zipfile.ZipFile(zip_path).namelist()
    assert any(n.endswith(".cpython-312-aarch64-linux-gnu.so") for n in names)
    info = zipfile.ZipFile(zip_path).read("BUILD-INFO.txt").decode()
    assert "architecture: arm64" in info and "python: 3.12" in info
    unzipped = sum(i.file_size for i in zipfile.ZipFile(zip_path).infolist())
    assert unzipped <= 48 * 1024 * 1024 and "budget 48 MiB" in output


def test_over_budget_writes_no_zip(tmp_path):
    result = subprocess.run(
        ["bash", str(SCRIPT), "--out", str(tmp_path), "--without-boto3", "--budget-mib", "1"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 1 and "over the budget of 1 MiB" in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_bad_recipients_file_writes_no_zip(tmp_path):
    mixed = tmp_path / "office-recipients.txt"
    hybrid, classic = envelope.generate_identity(), envelope.generate_identity("x25519")
    mixed.write_text(f"{hybrid.to_public()}\n{classic.to_public()}\n", encoding="utf-8")
    for path, message in ((mixed, "cannot be mixed"), (tmp_path / "missing.txt", "cannot read the recipients file")):
        result = subprocess.run(
            ["bash", str(SCRIPT), "--out", str(tmp_path / "out"), "--recipients", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_bad_options_say_what_is_wrong(tmp_path):
    for args, message in ((["--arch", "sparc"], "--arch must be arm64 or x86_64"), (["--frobnicate", "1"], "unknown")):
        result = subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and message in result.stderr


RUNNER = """
import json, sys
root = sys.argv[1]
sys.path.insert(0, root)
import intake_function.lambda_handler as entry
import apig_wsgi, boto3, cryptography, flask, jsonschema
origins = {m.__name__: m.__file__ for m in (entry, apig_wsgi, boto3, cryptography, flask, jsonschema)}
print(json.dumps({"path": sys.path, "origins": origins}), flush=True)
for line in sys.stdin:
    print(json.dumps(entry.handler(json.loads(line), None)), flush=True)
"""


class ZipHandler:
    """A cold-started Lambda handler from the extracted zip, in its own process."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        runner = root.parent / "runner.py"
        runner.write_text(RUNNER)
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(runner), str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.started = json.loads(self.process.stdout.readline() or "null")

    def __call__(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> dict:
        self.process.stdin.write(json.dumps(_event(method, path, body, headers or {})) + "\n")
        self.process.stdin.flush()
        result = json.loads(self.process.stdout.readline())
        if result.get("isBase64Encoded"):
            result["raw"] = base64.b64decode(result["body"])
        else:
            result["raw"] = result.get("body", "").encode()
        return result

    def close(self) -> str:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        return self.process.stderr.read()


@pytest.fixture
def zip_handler(native_zip, tmp_path, moto_endpoint, office_key):
    root = tmp_path / "task"
    zipfile.ZipFile(native_zip[0]).extractall(root)
    bucket = new_bucket(moto_endpoint)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "INTAKE_STORE": f"s3://{bucket}",
        "INTAKE_RECIPIENTS": office_key[1],
        "INTAKE_SECRET": TEST_SECRET,
        "INTAKE_POW_MAX": "5",
        "INTAKE_POW_COST": "10",
        "INTAKE_SITE_ORIGIN": "https://tocao.example.gov.vn",
        **{k: os.environ[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")},
        "AWS_ENDPOINT_URL_S3": moto_endpoint,
    }
    handler = ZipHandler(root, env)
    assert handler.started, handler.close()
    yield handler, root, bucket
    handler.close()


def test_the_handler_runs_from_the_zip_alone(zip_handler):
    handler, root, _ = zip_handler
    for name, origin in handler.started["origins"].items():
        assert origin.startswith(str(root)), f"{name} came from {origin}, not from the zip"
    assert not any("site-packages" in entry for entry in handler.started["path"])
    assert not any(entry.startswith(str(ROOT)) for entry in handler.started["path"])


def test_a_real_submission_through_the_zipped_handler(zip_handler, office_key):
    handler, _, bucket = zip_handler
    health = handler("GET", "/api/v1/health")
    assert health["statusCode"] == 200
    assert [r["recipient"] for r in json.loads(health["raw"])["recipients"]] == [office_key[1]]

    # A report without files: a challenge from the function, solved here, an age envelope.
    plaintext = report.padded({"schema": "report/1", "category": "waste", "description": "Lãng phí tài sản công"})
    sealed = age_encrypt(plaintext, office_key[1])
    challenge = json.loads(handler("GET", "/api/v1/challenge")["raw"])
    headers = {"Content-Type": "application/octet-stream", "X-Altcha": solve(challenge)}
    stored = handler("POST", "/api/v1/submissions", sealed, headers)
    assert stored["statusCode"] == 201, stored["raw"]
    store = open_store(f"s3://{bucket}")
    kept = store.get(objects.inbox_key(json.loads(stored["raw"])["id"]))
    assert kept == sealed and age_decrypt(kept, office_key[0]) == plaintext

    # A report with a file: an upload slot (a presigned POST signed inside the zip), the upload
    # straight to the store as the page does, then the report with the ticket.
    attachment = age_encrypt(os.urandom(50_000), office_key[1])
    challenge = json.loads(handler("GET", "/api/v1/challenge")["raw"])
    granted = handler(
        "POST",
        "/api/v1/uploads",
        json.dumps({"files": [{"size": len(attachment)}]}).encode(),
        {"Content-Type": "application/json", "X-Altcha": solve(challenge)},
    )
    assert granted["statusCode"] == 201, granted["raw"]
    grant = json.loads(granted["raw"])
    (slot,) = grant["slots"]
    assert slot["method"] == "POST" and slot["fields"]["x-amz-server-side-encryption"] == "AES256"
    posted = requests.post(slot["url"], data=slot["fields"], files={"file": ("blob", attachment)}, timeout=30)
    assert posted.status_code in (200, 201, 204)
    document = {
        "schema": "report/1",
        "category": "retaliation",
        "description": "Kèm biên bản",
        "attachments": [
            {
                "key": slot["key"],
                "name": "bien-ban.pdf",
                "type": "application/pdf",
                "size": 50_000,
                "sha256": hashlib.sha256(attachment).hexdigest(),
            }
        ],
    }
    with_file = age_encrypt(report.padded(document), office_key[1])
    answer = handler(
        "POST",
        "/api/v1/submissions",
        with_file,
        {"Content-Type": "application/octet-stream", "X-Upload-Ticket": grant["ticket"]},
    )
    assert answer["statusCode"] == 201, answer["raw"]
    assert store.get(slot["key"]) == attachment
    assert store.get(objects.inbox_key(json.loads(answer["raw"])["id"])) == with_file

    # The reporter's follow-up: no answer yet, an empty list (a listing of outbox/<id>/).
    replies = handler(
        "POST", "/api/v1/replies", json.dumps({"lookup_id": "ab" * 16}).encode(), {"Content-Type": "application/json"}
    )
    assert replies["statusCode"] == 200 and json.loads(replies["raw"])["replies"] == []


def test_hybrid_keys_travel_in_the_zip_and_the_form_is_sealed_to_them(
    native_zip, tmp_path, moto_endpoint, hybrid_identities
):
    """INTAKE_RECIPIENTS names the zip's office-recipients.txt; the no-JavaScript form is encrypted, inside
    the zip alone (cryptography's ML-KEM-768 included), to both hybrid keys; the backup opens it."""
    from urllib3 import encode_multipart_formdata

    root = tmp_path / "task"
    zipfile.ZipFile(native_zip[0]).extractall(root)
    bucket = new_bucket(moto_endpoint)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "LAMBDA_TASK_ROOT": str(root),
        "INTAKE_STORE": f"s3://{bucket}",
        "INTAKE_RECIPIENTS": "office-recipients.txt",
        "INTAKE_SECRET": TEST_SECRET,
        **{k: os.environ[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")},
        "AWS_ENDPOINT_URL_S3": moto_endpoint,
    }
    handler = ZipHandler(root, env)
    assert handler.started, handler.close()
    try:
        health = json.loads(handler("GET", "/api/v1/health")["raw"])
        assert [r["recipient"] for r in health["recipients"]] == [str(i.to_public()) for i in hybrid_identities]
        body, content_type = encode_multipart_formdata(
            {
                "category": "retaliation",
                "description": "Bị điều chuyển sau khi phản ánh",
                "consent": "yes",
                "attachments": ("ảnh.jpg", bytes(range(256)) * 40, "image/jpeg"),
            }
        )
        result = handler(
            "POST", "/api/v1/submissions/form", body, {"Content-Type": content_type, "Accept": "text/html"}
        )
        assert result["statusCode"] == 201, result["raw"]
    finally:
        handler.close()
    store = open_store(f"s3://{bucket}")
    (inbox,) = list(store.list(objects.INBOX))
    backup = hybrid_identities[1:]
    sealed = store.get(inbox.key)
    assert envelope.parse_header(sealed).hybrid_stanzas == 2 and envelope.parse_header(sealed).x25519_stanzas == 0
    document = json.loads(envelope.decrypt(sealed, backup))
    assert envelope.decrypt(store.get(document["attachments"][0]["key"]), backup) == bytes(range(256)) * 40
