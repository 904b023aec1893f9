"""Fixtures of the release tests: a site built with two Office keys, served by the real
on-premises runtime (``python -m intake_function --site``), and the ``office`` command.

Each test that tampers with a site works on its own copy, served by its own server process: the
runtime reads the folder once when it starts, as it does in production.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from intake_function import envelope
from tests.conftest import ROOT, TEST_SECRET
from tests.infra.servers import free_port, running
from tests.site.conftest import run_build


@pytest.fixture(scope="session")
def keys(office_key, second_key) -> list[str]:
    """The Office's two public keys, primary first."""
    return [office_key[1], second_key[1]]


@pytest.fixture(scope="session")
def other_key() -> str:
    """A key that is not the Office's: what someone who took over the site would encrypt to."""
    return str(envelope.generate_identity("x25519").to_public())


@pytest.fixture(scope="session")
def release(tmp_path_factory, keys) -> Path:
    """The site as released: built for the Office's two keys."""
    build = run_build(tmp_path_factory.mktemp("release") / "site", "--recipients", ",".join(keys))
    assert build.returncode == 0, build.log
    return build.site


def copy_site(site: Path, where: Path) -> Path:
    target = where / "served"
    shutil.copytree(site, target)
    return target


@contextmanager
def serving(site: Path, recipients: list[str], store: Path, port: int | None = None):
    """The on-premises runtime serving ``site`` and the API; yields its origin, with a trailing slash."""
    port = port or free_port()
    env = {
        "PORT": str(port),
        "INTAKE_STORE": store.as_uri(),
        "INTAKE_RECIPIENTS": ",".join(recipients),
        "INTAKE_SECRET": TEST_SECRET,
        "INTAKE_LOG_LEVEL": "WARNING",
    }
    with running([sys.executable, "-m", "intake_function", "--site", str(site)], env, port) as base:
        yield base + "/"


def office(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("office")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "office"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
