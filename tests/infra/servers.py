"""Start a real server process on a loopback port, wait until it answers, stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(command: list[str], env: dict[str, str], port: int, ready_path: str = "/api/v1/health"):
    """Run ``command`` (which listens on 127.0.0.1:port) until the block ends; yield its base URL."""
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise AssertionError(f"{command[0]} stopped: {process.stdout.read().decode(errors='replace')}")
            try:
                if requests.get(base + ready_path, timeout=2).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or still starting its workers on a busy machine
            if time.monotonic() > deadline:
                raise AssertionError(f"{command[0]} did not answer on {base} within 30 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def venv_tool(name: str) -> Path:
    """A console script installed beside this Python (the project's virtual environment)."""
    import sys

    from tests.conftest import IN_CI

    path = Path(sys.executable).with_name(name)
    if not path.exists():
        import pytest

        message = f"{name} is not installed in {path.parent} (it is a dev dependency: scripts/setup.sh)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path
