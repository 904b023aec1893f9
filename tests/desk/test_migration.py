"""A register made by the previous release (tests/data/legacy-register/) opens with today's tool.

Nothing may be lost on the way: every case, follow-up, answer and audit entry is still there, the
audit chain still verifies, and the register records which schema steps it now holds. Step
"11-two-tracks": the old release stamped "accepted" when a unit was assigned (2026-0001, 2026-0004);
those become phản ánh cases with an assignment date and no Điều 29/30 deadline, and the audit trail
says so.
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
    applied = [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY rowid")]
    assert applied == [name for name, _ in register.MIGRATIONS]


def test_a_register_from_a_newer_tool_is_refused(legacy_env):
    db = sqlite3.connect(Path(legacy_env["OFFICE_DATA"]) / "register.sqlite")
    office("list", env=legacy_env)
    db.execute("INSERT INTO migrations (name, applied_at) VALUES ('99-from-the-future', '2030-01-01T00:00:00Z')")
    db.commit()
    refused = office("list", env=legacy_env, ok=False)
    assert refused.returncode != 0 and "newer version" in refused.stderr.decode()


def test_assigned_cases_become_reports_without_statutory_deadlines(legacy_env):
    path = Path(legacy_env["OFFICE_DATA"]) / "register.sqlite"
    before = sqlite3.connect(path)
    stamped = dict(before.execute("SELECT number, accepted_at FROM cases WHERE accepted_at IS NOT NULL"))
    entries = before.execute("SELECT count(*) FROM audit").fetchone()[0]
    settings_file = (path.parent / "settings.toml").read_bytes()
    before.close()
    assert sorted(stamped) == ["2026-0001", "2026-0004"]  # assigned by the old release: its "acceptance"

    cases = {row["number"]: row for row in json.loads(office("list", "--format", "json", env=legacy_env).stdout)}
    assert {row["track"] for row in cases.values()} == {"report"}
    assert all(row["accepted_at"] is None and row["notices_owed"] == [] for row in cases.values())
    assert {n: row["assigned_at"] for n, row in cases.items() if row["assigned_at"]} == stamped
    due = json.loads(office("due", "--within", "100000", "--format", "json", env=legacy_env).stdout)["deadlines"]
    assert not [d for d in due if d["statutory"] or d["notice"] or d["step"] == "resolve"]
    # 2026-0004 (named, handling): the Board's handling deadline and its own notice to the reporter.
    assert {d["step"] for d in due if d["number"] == "2026-0004"} == {"handling", "notify"}
    shown = office("show", "2026-0004", env=legacy_env).stdout.decode()
    assert "Phản ánh, kiến nghị" in shown and "Điều 29" not in shown and "Điều 30" not in shown

    trail = json.loads(office("audit", "list", "--format", "json", env=legacy_env).stdout)
    upgrades = [e for e in trail if e["action"] == "upgrade" and e["details"]["step"] == "11-two-tracks"]
    assert len(upgrades) == 1 and upgrades[0]["seq"] == entries + 1
    assert upgrades[0]["details"]["accepted_at_moved_to_assigned_at"] == ["2026-0001", "2026-0004"]
    assert upgrades[0]["details"]["cases"] == 5 and upgrades[0]["details"]["track"] == "report"
    assert "thụ lý" in upgrades[0]["reason"]
    assert office("audit", "verify", env=legacy_env).returncode == 0

    # The settings file the old release wrote is not rewritten; its old default texts give way to today's.
    shown = office("settings", env=legacy_env).stdout.decode()
    assert (path.parent / "settings.toml").read_bytes() == settings_file
    assert "deadlines.handling.basis" in shown and "Xử lý phản ánh, kiến nghị" in shown
    assert "Áp dụng khi giao xử lý" not in shown  # the old notice basis: Điều 29 from assignment


def test_a_thu_ly_decision_on_a_migrated_case_starts_the_statutory_clock(legacy_env):
    # The old release took 2026-0004 without the denouncer's address: the clerk, who checked it on paper,
    # records the decision without the key file (the tool then cannot read the report to check it).
    refused = office("accept", "2026-0004", "--decision", "07/QĐ-BQL", "--conditions-met", env=legacy_env, ok=False)
    assert refused.returncode == 1 and "address" in refused.stderr.decode()
    unread = {k: v for k, v in legacy_env.items() if k != "OFFICE_IDENTITY"}
    office("accept", "2026-0004", "--decision", "07/QĐ-BQL", "--conditions-met", env=unread)
    due = json.loads(office("due", "--within", "100000", "--format", "json", env=legacy_env).stdout)["deadlines"]
    steps = {d["step"] for d in due if d["number"] == "2026-0004"}
    assert steps == {"resolve", "notice"}  # Điều 30 replaces the Board's handling deadline
    assert office("audit", "verify", env=legacy_env).returncode == 0
