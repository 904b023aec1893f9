"""``office activity``: what the Office records of the plan besides cases, corrected and withdrawn in the open."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

from office.workflow.clock import today, vn_date
from tests.conftest import ROOT
from tests.desk.conftest import data_dir, office

LEGACY = ROOT / "tests" / "data" / "legacy-register"


def _listed(env, *args: str) -> list[dict]:
    return json.loads(office("activity", "list", "--format", "json", *args, env=env).stdout)


def _start(env) -> None:
    office("settings", "--init", env=env)


def test_an_activity_is_recorded_listed_corrected_and_withdrawn_with_its_audit_trail(desk_env):
    _start(desk_env)
    first = (
        office(
            "activity",
            "add",
            "--task",
            "II.1",
            "--date",
            "15/07/2026",
            "--kind",
            "meeting",
            "--what",
            "Hội nghị  quán triệt\nChỉ thị 27-CT/TW",
            "--people",
            "45",
            env=desk_env,
        )
        .stdout.decode()
        .strip()
    )
    second = (
        office(
            "activity",
            "add",
            "--task",
            "3",
            "--date",
            "12/08/2026",
            "--kind",
            "reception",
            "--what",
            "Tiếp công dân định kỳ",
            "--unit",
            "Phòng Quản lý doanh nghiệp",
            env=desk_env,
        )
        .stdout.decode()
        .strip()
    )
    rows = _listed(desk_env)
    assert [(r["id"], r["task"], r["kind"], r["date"], r["people"], r["unit"]) for r in rows] == [
        (int(first), 1, "meeting", "2026-07-15", 45, "Văn phòng Ban"),  # the Office by default
        (int(second), 3, "reception", "2026-08-12", None, "Phòng Quản lý doanh nghiệp"),
    ]
    assert rows[0]["what"] == "Hội nghị quán triệt Chỉ thị 27-CT/TW"  # one line, as the report prints it
    table = office("activity", "list", env=desk_env).stdout.decode()
    assert "15/07/2026  NV 1  Hội nghị, cuộc họp quán triệt  Văn phòng Ban  45" in table

    office(
        "activity",
        "edit",
        first,
        "--people",
        "40",
        "--date",
        "16/07/2026",
        "--reason",
        "Sửa theo biên bản",
        env=desk_env,
    )
    office("activity", "remove", second, "--reason", "Ghi trùng", env=desk_env)
    (kept,) = _listed(desk_env)
    assert (kept["people"], kept["date"]) == (40, "2026-07-16")
    withdrawn = [r for r in _listed(desk_env, "--all") if r["withdrawn"]]
    assert [(r["id"], r["withdrawn_reason"]) for r in withdrawn] == [(int(second), "Ghi trùng")]
    again = office("activity", "remove", second, "--reason", "x", env=desk_env, ok=False)
    assert again.returncode == 1 and "đã bị hủy" in again.stderr.decode()

    trail = [e for e in json.loads(office("audit", "list", "--format", "json", env=desk_env).stdout)]
    entries = [e for e in trail if e["action"] == "activity"]
    assert [e["details"]["action"] for e in entries] == ["add", "add", "correct", "withdraw"]
    correction = entries[2]
    assert correction["reason"] == "Sửa theo biên bản" and correction["who"] == "can-bo-van-phong"
    assert correction["details"]["before"]["people"] == 45 and correction["details"]["after"]["people"] == 40
    assert entries[3]["details"]["before"]["what"] == "Tiếp công dân định kỳ"
    assert office("audit", "verify", env=desk_env).returncode == 0


def test_bad_input_is_refused_in_plain_words_and_records_nothing(desk_env):
    _start(desk_env)
    office(
        "activity",
        "add",
        "--task",
        "1",
        "--date",
        "01/07/2026",
        "--what",
        "Hội nghị",
        "--unit",
        "Phòng Quản lý doanh nghiệp",
        "--new-unit",
        env=desk_env,
    )
    tomorrow = vn_date(today() + timedelta(days=1))
    for args, expected in (
        (["--task", "6", "--date", "01/07/2026", "--what", "x"], "không phải nhiệm vụ của Kế hoạch"),
        (["--task", "1", "--date", "31/02/2026", "--what", "x"], "ngày/tháng/năm"),
        (["--task", "1", "--date", tomorrow, "--what", "x"], "tương lai"),
        (["--task", "1", "--date", "01/07/2026", "--what", "   "], "--what"),
        (["--task", "1", "--date", "01/07/2026", "--what", "x", "--people", "-3"], "--people"),
        (["--task", "1", "--date", "01/07/2026", "--what", "x", "--kind", "party"], "--kind"),
        (["--task", "1", "--date", "01/07/2026", "--what", "Hội\x01nghị"], "ký tự điều khiển"),
        (
            ["--task", "1", "--date", "01/07/2026", "--what", "x", "--unit", "Phòng Quản lý doanh nghiep"],
            "did you mean",
        ),
    ):
        refused = office("activity", "add", *args, env=desk_env, ok=False)
        assert refused.returncode != 0 and expected in refused.stderr.decode(), (args, refused.stderr.decode())
        assert "Traceback" not in refused.stderr.decode()
    assert len(_listed(desk_env)) == 1
    missing = office("activity", "edit", "99", "--people", "3", "--reason", "x", env=desk_env, ok=False)
    assert missing.returncode == 1 and "không có hoạt động số 99" in missing.stderr.decode()
    nothing = office("activity", "edit", "1", "--reason", "x", env=desk_env, ok=False)
    assert nothing.returncode == 1 and "không có gì để sửa" in nothing.stderr.decode()
    reasonless = office("activity", "remove", "1", env=desk_env, ok=False)
    assert reasonless.returncode != 0 and "--reason" in reasonless.stderr.decode()


def test_activities_are_listed_by_period_task_and_unit(desk_env):
    _start(desk_env)
    for task, day, unit in (("1", "15/05/2026", None), ("1", "16/05/2026", None), ("3", "15/11/2026", "Phòng A")):
        where = ["--unit", unit, "--new-unit"] if unit else []
        office("activity", "add", "--task", task, "--date", day, "--what", "x", *where, env=desk_env)
    assert [r["date"] for r in _listed(desk_env, "--period", "2026-h2")] == ["2026-05-16", "2026-11-15"]
    assert [r["date"] for r in _listed(desk_env, "--period", "2026-H1")] == ["2026-05-15"]
    assert [r["date"] for r in _listed(desk_env, "--task", "3")] == ["2026-11-15"]
    assert [r["date"] for r in _listed(desk_env, "--unit", "Phòng A")] == ["2026-11-15"]


def test_a_register_of_the_previous_release_records_activities(tmp_path):
    shutil.copytree(LEGACY / "desk", tmp_path / "desk")
    env = {"OFFICE_DATA": str(tmp_path / "desk"), "OFFICE_USER": "can-bo-van-phong"}
    office("activity", "add", "--task", "1", "--date", "01/07/2026", "--what", "Hội nghị", env=env)
    db = sqlite3.connect(Path(env["OFFICE_DATA"]) / "register.sqlite")
    assert db.execute("SELECT count(*) FROM activities").fetchone()[0] == 1
    assert "12-activities" in {row[0] for row in db.execute("SELECT name FROM migrations")}
    assert office("audit", "verify", env=env).returncode == 0
    assert data_dir(env).is_dir()
