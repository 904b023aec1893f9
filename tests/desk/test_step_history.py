"""The step history (schema step "12-step-history"): kept by the workflow, rebuilt from the audit trail.

Two registers made by earlier releases are opened with today's tool: ``tests/data/legacy-register``
(the release before issues 11-16) and ``tests/data/release-register`` (the release with them, every
step dated with ``--on`` over the second half of 2026; see its make.py). Their history must come
back from their audit trails as the workflow would have written it, the audit chain must still
verify, and the half-year report made from the release register must attribute each late step to
its owner: the old report counted 2026-0001 (classified late by the Office) and 2026-0002 (late in
another unit's hands) against the unit that closed them, which was late for neither.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from office.register import steps
from office.workflow.clock import local_date
from tests.conftest import ROOT
from tests.desk.conftest import add, data_dir, office

DATA = ROOT / "tests" / "data"
UNIT, BORDER, OFFICE = "Phòng Quản lý doanh nghiệp", "Ban Quản lý cửa khẩu", "Văn phòng Ban"


def _copy(tmp_path: Path, name: str) -> dict[str, str]:
    shutil.copytree(DATA / name / "desk", tmp_path / "desk")
    return {
        "OFFICE_DATA": str(tmp_path / "desk"),
        "OFFICE_IDENTITY": str(DATA / name / "identity.txt"),
        "OFFICE_USER": "can-bo-van-phong",
    }


def _history(env: dict[str, str]) -> dict[str, list[tuple]]:
    """Case number -> (step, unit, began, held from, ended, extensions), dates as the Office reads them."""
    db = sqlite3.connect(data_dir(env) / "register.sqlite")
    numbers = dict(db.execute("SELECT id, number FROM cases"))
    rows = db.execute("SELECT * FROM steps ORDER BY case_id, held_from, id").fetchall()
    db.close()
    out: dict[str, list[tuple]] = {}
    for row in rows:
        step = steps.Step(*row)

        def day(iso: str | None) -> str | None:
            return local_date(iso).strftime("%d/%m") if iso else None

        out.setdefault(numbers[step.case_id], []).append(
            (step.step, step.unit, day(step.started_at), day(step.held_from), day(step.ended_at), step.extensions)
        )
    return out


def _upgrade(env: dict[str, str]) -> dict:
    trail = json.loads(office("audit", "list", "--format", "json", env=env).stdout)
    (entry,) = [e for e in trail if e["action"] == "upgrade" and e["details"]["step"] == "12-step-history"]
    return entry


def test_the_legacy_registers_history_is_rebuilt_from_its_audit_trail(tmp_path):
    env = _copy(tmp_path, "legacy-register")
    office("list", env=env)
    history = _history(env)
    made = "30/11"  # the legacy register was made in one sitting, on 30/11/2026 (UTC+7)
    assert [(s, u) for s, u, *_ in history["2026-0001"]] == [
        ("received", None),
        ("classified", None),
        ("handling", "Phòng Quản lý Doanh nghiệp"),
        ("following", "Phòng Quản lý Doanh nghiệp"),  # the following of what the unit handled is its own
    ]
    assert all(ended == made for *_, ended, _ in history["2026-0001"])  # concluded: nothing open
    assert [(s, u, e) for s, u, _, _, e, _ in history["2026-0002"]] == [
        ("received", None, made),
        ("classified", None, made),
        ("forwarded", None, None),  # followed by the Office, still open
    ]
    assert [(s, e) for s, _, _, _, e, _ in history["2026-0003"]] == [("received", made)]  # rejected
    assert history["2026-0004"][-1][:2] == ("handling", "Văn phòng Ban") and history["2026-0004"][-1][4] is None
    assert [(s, e) for s, _, _, _, e, _ in history["2026-0005"]] == [("received", None)]
    upgrade = _upgrade(env)["details"]
    assert (upgrade["cases"], upgrade["from_audit"], upgrade["from_case_row"]) == (5, 4, 0)
    assert office("audit", "verify", env=env).returncode == 0


@pytest.fixture
def release_env(tmp_path) -> dict[str, str]:
    env = _copy(tmp_path, "release-register")
    office("list", env=env)  # opens it: the step is applied
    return env


def test_the_current_releases_history_is_rebuilt_with_its_dates_and_hands(release_env):
    history = _history(release_env)
    # The Office classified late, then the unit: the days are the ones recorded with --on, not the day
    # they were typed in.
    assert history["2026-0001"] == [
        ("received", None, "01/07", "01/07", "20/07", 0),
        ("classified", None, "20/07", "20/07", "21/07", 0),
        ("handling", UNIT, "21/07", "21/07", "30/07", 0),
    ]
    # Taken over by another unit: two stretches of one handling step, one deadline (from 05/08).
    assert history["2026-0002"][2:] == [
        ("handling", BORDER, "05/08", "05/08", "10/09", 0),
        ("handling", UNIT, "05/08", "10/09", "15/09", 0),
        ("following", UNIT, "15/09", "15/09", "18/09", 0),
    ]
    # Forwarded: the Office follows the result.
    assert history["2026-0003"][2:] == [
        ("forwarded", None, "07/08", "07/08", "15/09", 0),
        ("following", None, "15/09", "15/09", "16/09", 0),
    ]
    # Accepted on 03/09: Điều 30 runs beside the steps, extended once, until the conclusion.
    assert ("resolve", None, "03/09", "03/09", "20/10", 1) in history["2026-0004"]
    assert ("handling", UNIT, "04/09", "04/09", "20/10", 0) in history["2026-0004"]
    # Not taken up, reopened with new information: a second classification from the reopening.
    assert [row[:2] + row[4:5] for row in history["2026-0005"]] == [
        ("received", None, "11/09"),
        ("received", None, "21/09"),
        ("classified", None, "22/09"),
        ("handling", OFFICE, None),
    ]
    upgrade = _upgrade(release_env)["details"]
    assert (upgrade["cases"], upgrade["from_audit"], upgrade["from_case_row"]) == (7, 6, 0)
    assert office("audit", "verify", env=release_env).returncode == 0


def test_the_report_from_the_current_releases_register_blames_no_one_wrongly(release_env, tmp_path):
    office("report", "--period", "2026-H2", "--out", str(tmp_path / "r.csv"), env=release_env)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig")), delimiter=";"))
    late = {(r["key"], r["label"], r["detail"].split(";")[0], r["value"]) for r in rows if r["section"] == "late"}
    assert late == {
        ("2026-0001", "Phân loại, xác định thẩm quyền", OFFICE, "10"),
        ("2026-0002", "Xử lý phản ánh, kiến nghị", BORDER, "11"),  # in its hands on 04/09, handed on 10/09
        ("2026-0003", "Thông báo cho người phản ánh có danh tính về việc xử lý", OFFICE, "6"),
        ("2026-0003", "Theo dõi kết quả cơ quan được chuyển", OFFICE, "9"),
        ("2026-0004", "Thông báo thụ lý tố cáo cho người tố cáo", OFFICE, "4"),
        ("2026-0005", "Xử lý phản ánh, kiến nghị", OFFICE, "24"),  # the Office as the unit handling it
        ("2026-0006", "Thông báo không thụ lý tố cáo cho người tố cáo", OFFICE, "34"),
    }
    units = {r["key"]: r["detail"] for r in rows if r["section"] == "unit"}
    # The unit that closed 2026-0001 and 2026-0002 was late for neither (the old report counted both).
    assert units[UNIT] == "kết thúc 3; đang xử lý 0; trễ hạn trong số được giao trong kỳ 0; trễ hạn hồ sơ khác 0"
    # Late cases among those assigned in the period, and the others (desk trial 2, M5).
    # 2026-0002 went on to another unit: not among the cases assigned to the border board by the cut-off.
    assert units[BORDER].endswith("trễ hạn trong số được giao trong kỳ 0; trễ hạn hồ sơ khác 1")
    assert units[OFFICE].endswith("trễ hạn trong số được giao trong kỳ 1; trễ hạn hồ sơ khác 4")
    values = {(r["section"], r["key"]): r["value"] for r in rows}
    assert values[("summary", "track_denunciation")] == "1" and values[("denunciation", "accepted")] == "1"
    assert values[("denunciation", "not-accepted")] == "1" and values[("denunciation", "concluded")] == "1"


def test_the_workflow_keeps_the_history_as_it_goes(desk_env):
    number = add(
        desk_env, "--channel", "hotline", "--category", "waste", "--received", "01/07/2026", "--description", "x"
    )
    office("classify", number, "--competence", "within", "--on", "02/07/2026", env=desk_env)
    office("assign", number, "--unit", UNIT, "--head", "Trưởng phòng A", "--on", "03/07/2026", env=desk_env)
    office("extend", number, "--reason", "Phức tạp", "--on", "20/07/2026", env=desk_env)
    office("assign", number, "--unit", BORDER, "--head", "Trưởng ban C", "--on", "25/07/2026", env=desk_env)
    office("conclude", number, "--result", "Xong", "--on", "01/08/2026", env=desk_env)
    office("reopen", number, "--reason", "Thông tin mới", "--on", "05/08/2026", env=desk_env)
    assert _history(desk_env)[number] == [
        ("received", None, "01/07", "01/07", "02/07", 0),
        ("classified", None, "02/07", "02/07", "03/07", 0),
        ("handling", UNIT, "03/07", "03/07", "25/07", 1),
        ("handling", BORDER, "03/07", "25/07", "01/08", 1),  # the extension goes with the step
        ("received", None, "05/08", "05/08", None, 0),
    ]
