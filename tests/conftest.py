"""Shared fixtures: the real ``age`` CLI, a real S3 endpoint (moto's server on loopback), stores.

In CI (``CI=true``) a missing tool fails the test instead of skipping it.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from intake_function import config as config_module
from intake_function import proof
from intake_function.store import open_store
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """The path of a command the tests drive; a failure in CI, a skip elsewhere."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (apt-get install {name}); scripts/test.sh installs it as root"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def age_cli() -> str:
    require_tool("age-keygen")
    return require_tool("age")


@pytest.fixture(scope="session")
def office_key(tmp_path_factory, age_cli) -> tuple[Path, str]:
    """An Office identity made by ``age-keygen`` itself, and its recipient."""
    path = tmp_path_factory.mktemp("key") / "office.txt"
    subprocess.run(["age-keygen", "-o", str(path)], check=True, capture_output=True)
    recipient = subprocess.run(["age-keygen", "-y", str(path)], check=True, capture_output=True, text=True)
    return path, recipient.stdout.strip()


@pytest.fixture(scope="session")
def second_key(tmp_path_factory, age_cli) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("key2") / "backup.txt"
    subprocess.run(["age-keygen", "-o", str(path)], check=True, capture_output=True)
    recipient = subprocess.run(["age-keygen", "-y", str(path)], check=True, capture_output=True, text=True)
    return path, recipient.stdout.strip()


def age_encrypt(plaintext: bytes, *recipients: str) -> bytes:
    args = ["age", "-e"]
    for r in recipients:
        args += ["-r", r]
    return subprocess.run(args, input=plaintext, check=True, capture_output=True).stdout


def age_decrypt(ciphertext: bytes, identity: Path) -> bytes:
    return subprocess.run(["age", "-d", "-i", str(identity)], input=ciphertext, check=True, capture_output=True).stdout


@pytest.fixture(scope="session")
def aws_env():
    """Credentials and region for boto3 that can only ever reach the loopback server."""
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def moto_endpoint(aws_env):
    """A real S3 endpoint over HTTP on loopback: moto's ThreadedMotoServer."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    saved = os.environ.get("AWS_ENDPOINT_URL_S3")
    os.environ["AWS_ENDPOINT_URL_S3"] = endpoint
    yield endpoint
    if saved is None:
        os.environ.pop("AWS_ENDPOINT_URL_S3", None)
    else:
        os.environ["AWS_ENDPOINT_URL_S3"] = saved
    server.stop()


def new_bucket(endpoint: str) -> str:
    import boto3

    name = f"reports-{secrets.token_hex(6)}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture(params=["file", "s3"])
def store_url(request, tmp_path) -> str:
    """Each test using this runs twice: on a folder store and on S3 (moto server)."""
    if request.param == "file":
        return (tmp_path / "store").as_uri()
    endpoint = request.getfixturevalue("moto_endpoint")
    return f"s3://{new_bucket(endpoint)}/portal"


@pytest.fixture
def store(store_url):
    return open_store(store_url)


TEST_SECRET = "test-secret-0123456789abcdef-0123456789"


def make_config(store_url: str, recipients: list[str], **extra: str) -> config_module.Config:
    """Test configuration: easy proof-of-work (a few attempts), a fixed secret."""
    env = {
        "INTAKE_STORE": store_url,
        "INTAKE_RECIPIENTS": ",".join(recipients),
        "INTAKE_SECRET": TEST_SECRET,
        "INTAKE_POW_MAX": "5",
        "INTAKE_POW_COST": "10",
        **extra,
    }
    return config_module.from_env(env)


def solve(challenge_set: dict) -> str:
    """Solve a challenge set as the page's workers do, part by part; the X-Altcha header value."""
    import altcha

    parts = [altcha.v2.Challenge.from_dict(challenge) for challenge in challenge_set["parts"]]
    return proof.encode_solution(challenge_set, [altcha.solve_challenge(part).to_dict() for part in parts])


def pow_header(client) -> dict[str, str]:
    """Fetch a challenge from a Flask test client and solve it."""
    return {"X-Altcha": solve(client.get("/api/v1/challenge").json)}


@pytest.fixture
def make_app(store_url, office_key):
    from intake_function import create_app

    def build(**extra: str):
        return create_app(make_config(store_url, [office_key[1]], **extra))

    return build


@pytest.fixture
def intake_log():
    """Everything the intake logger writes during a test, as one string."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logger = logging.getLogger("intake")
    logger.addHandler(handler)
    yield buffer
    logger.removeHandler(handler)


def run_office(*args: str, env: dict[str, str] | None = None, input: bytes | None = None):
    """Run the real ``office`` command in a subprocess, as the Office would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "office", *args], capture_output=True, env=full_env, input=input, timeout=600
    )


def all_objects(store) -> list[tuple[str, bytes]]:
    return [(info.key, store.get(info.key)) for info in store.list("")]


@pytest.fixture(scope="session")
def browser():
    """One Debian Chromium for the whole session (Playwright's sync API allows one driver at a time)."""
    if not CHROMIUM.is_file():
        message = f"{CHROMIUM} is missing (apt-get install chromium); scripts/test.sh installs it as root"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# The release guide's tag (docs/huong-dan-ky-thuat/phat-hanh-trang.md), made by its own command.
RELEASE_TAG = "site-2026-12-01"
TAG_COMMAND = f'git tag -a {RELEASE_TAG} -m "Phát hành trang"'
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "IT",
    "GIT_AUTHOR_EMAIL": "it@example.gov.vn",
    "GIT_COMMITTER_NAME": "IT",
    "GIT_COMMITTER_EMAIL": "it@example.gov.vn",
}


@pytest.fixture(scope="session")
def checkout(tmp_path_factory, office_key, second_key) -> Path:
    """The IT officer's checkout as the release guide has it: a clone of the committed HEAD whose data
    file names the Office's two keys (committed), tagged by the guide's own command. It shares the
    project's installed tools (.venv, web/node_modules) through links."""
    import shlex

    clone = tmp_path_factory.mktemp("checkout") / "portal"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    data = clone / "docs" / "data" / "portal.yml"
    keys = "keys:\n" + "".join(f"  - {key}\n" for key in (office_key[1], second_key[1]))
    data.write_text(data.read_text(encoding="utf-8").replace("keys: null\n", keys), encoding="utf-8")
    env = {**os.environ, **GIT_IDENTITY}
    subprocess.run(["git", "-C", str(clone), "commit", "--quiet", "-am", "Khóa của Văn phòng Ban"], env=env, check=True)
    subprocess.run(shlex.split(TAG_COMMAND), cwd=clone, env=env, check=True)
    (clone / "web" / "node_modules").symlink_to(ROOT / "web" / "node_modules")
    (clone / ".venv").symlink_to(Path(sys.executable).parent.parent)
    return clone
