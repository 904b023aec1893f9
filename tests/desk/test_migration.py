"""A register made by the previous release (tests/data/legacy-register/) opens with today's tool.

Nothing may be lost on the way: every case, follow-up, answer and audit entry is still there, the
audit chain still verifies, and the register records which schema steps it now holds.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from office import register
from tests.conftest import ROOT
from tests.desk.conftest import office

LEGACY = ROOT / "tests" / "data" / "legacy-register"


@pytest.fixture
def legacy_env(tmp_path) -> dict[str, str]:
    """A copy of the old register, and the key it was made with."""
    shutil.copytree(LEGACY / "desk", tmp_path / "desk")
    return {
        "OFFICE_DATA": str(tmp_path / "desk"),
        "OFFICE_IDENTITY": str(LEGACY / "identity.txt"),
        "OFFICE_USER": "can-bo-van-phong",
    }


def test_every_case_and_audit_entry_survives_and_the_chain_verifies(legacy_env):
    cases = {row["number"]: row for row in json.loads(office("list", "--format", "json", env=legacy_env).stdout)}
    assert sorted(cases) == [f"2026-000{n}" for n in range(1, 6)]
    assert cases["2026-0002"]["unread_followups"] == 1
    assert "Biển số xe 67A-000.00." in office("show", "2026-0002", env=legacy_env).stdout.decode()
    assert office("audit", "verify", env=legacy_env).returncode == 0
    db = sqlite3.connect(Path(legacy_env["OFFICE_DATA"]) / "register.sqlite")
    # Compared as sets: the names sort as text ("14-..." before "2-..."), not in the order applied.
    assert {row[0] for row in db.execute("SELECT name FROM migrations")} == {name for name, _ in register.MIGRATIONS}


def test_a_register_from_a_newer_tool_is_refused(legacy_env):
    db = sqlite3.connect(Path(legacy_env["OFFICE_DATA"]) / "register.sqlite")
    office("list", env=legacy_env)
    db.execute("INSERT INTO migrations (name, applied_at) VALUES ('99-from-the-future', '2030-01-01T00:00:00Z')")
    db.commit()
    refused = office("list", env=legacy_env, ok=False)
    assert refused.returncode != 0 and "newer version" in refused.stderr.decode()
