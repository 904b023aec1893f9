"""Fixtures for the Office's desk: a data folder, the real ``office`` command, cases from every channel."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_office

NAME = "Nguyễn Thị Bảo Mật"
PHONE = "0912 345 678"
EMAIL = "bao.mat@example.vn"
ADDRESS = "Số 9 đường Bí Mật, phường Mỹ Bình"


@pytest.fixture
def desk_env(tmp_path, office_key, second_key) -> dict[str, str]:
    """A register made by `office init`, with the Office's two keys: the primary and the backup."""
    env = {
        "OFFICE_DATA": str(tmp_path / "desk"),
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": f"{office_key[1]},{second_key[1]}",
        "OFFICE_USER": "can-bo-van-phong",
    }
    office("init", env=env)
    return env


def office(*args: str, env: dict[str, str], input: bytes | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    """Run `office`; by default insist that it succeeded and show its stderr if not."""
    result = run_office(*args, env=env, input=input)
    if ok:
        assert result.returncode == 0, f"office {' '.join(args)}: {result.stderr.decode()}"
    return result


def add(env: dict[str, str], *args: str) -> str:
    """Register a case with flags; return its number."""
    return office("add", *args, env=env).stdout.decode().strip()


def listed(env: dict[str, str]) -> list[dict]:
    return json.loads(office("list", "--format", "json", env=env).stdout)


def by_number(env: dict[str, str]) -> dict[str, dict]:
    return {row["number"]: row for row in listed(env)}


def data_dir(env: dict[str, str]) -> Path:
    return Path(env["OFFICE_DATA"])
