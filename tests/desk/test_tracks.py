"""Two tracks on the desk: a phản ánh (the Board's plan) unless the Office records a thụ lý decision.

A report never gets Luật Tố cáo's Điều 29 notices or Điều 30 time limit, whatever the desk does to
it; a denunciation gets them from the acceptance date the Office records, and the desk reminds that
the person denounced is told too. A non-acceptance or a transfer owes the denouncer a notice.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import sys

import pexpect
import pytest

from office.workflow import settings as settings_module
from tests.desk.conftest import ADDRESS, NAME, add, by_number, data_dir, office


def _case(env, *args: str) -> str:
    return add(env, "--channel", "reception", "--category", "corruption", "--description", "Nội dung.", *args)


def _due(env, *args: str) -> list[dict]:
    return json.loads(office("due", "--within", "1000", "--format", "json", *args, env=env).stdout)["deadlines"]


def _steps(env, number: str) -> set[str]:
    return {
        d["step"] if not d["notice"] else f"notice:{d['notice']['about']}:{d['notice']['to']}"
        for d in _due(env)
        if d["number"] == number
    }


def test_a_report_never_gets_the_statutory_deadlines(desk_env):
    number = _case(desk_env, "--name", NAME, "--address", ADDRESS)
    seen = set()

    def check() -> None:
        listed = _due(desk_env)
        assert not [d for d in listed if d["statutory"] or d["notice"] or d["step"] == "resolve"]
        assert {d["track"] for d in listed} <= {"report"}
        seen.update(d["step"] for d in listed if d["number"] == number)
        shown = office("show", number, env=desk_env).stdout.decode()
        assert "Điều 29" not in shown and "Điều 30" not in shown and "thụ lý /" not in shown
        assert "Diện / track: Phản ánh, kiến nghị / report" in shown

    check()
    office("classify", number, "--competence", "within", env=desk_env)
    check()
    office("assign", number, "--unit", "Văn phòng Ban", "--head", "Chánh Văn phòng", env=desk_env)
    check()
    office("extend", number, "--reason", "Vụ việc phức tạp", env=desk_env)
    check()
    office("follow", number, "--note", "Đơn vị đang xác minh", env=desk_env)
    check()
    assert seen == {"received", "classified", "handling", "following", "notify"}
    row = by_number(desk_env)[number]
    assert row["track"] == "report" and row["accepted_at"] is None and row["assigned_at"]

    # Every deadline of the phản ánh track is marked as the Board's own choice.
    shown = office("settings", env=desk_env).stdout.decode()
    for step in ("received", "classified", "handling", "forwarded", "following", "report_notice"):
        block = shown.split(f"[{step}]")[1].split("\n[")[0]
        assert "Lựa chọn của Ban" in block, step
    # ... and every one citing the 2018 law says to check it as amended.
    for name, table in settings_module.defaults()["deadlines"].items():
        if isinstance(table, dict) and "2018" in table["basis"]:
            assert settings_module.AMENDMENT_NOTE in table["basis"], name


def test_a_denunciation_gets_them_from_its_acceptance_date(desk_env):
    number = _case(desk_env, "--name", NAME, "--address", ADDRESS, "--received", "05/01/2026 08:00")
    early = office("accept", number, "--decision", "01/QĐ-BQL", "--conditions-met", env=desk_env, ok=False)
    assert early.returncode == 1 and "not possible now" in early.stderr.decode()
    office("classify", number, "--competence", "within", "--on", "06/01/2026", env=desk_env)
    unconfirmed = office("accept", number, "--decision", "01/QĐ-BQL", env=desk_env, ok=False)
    assert unconfirmed.returncode == 1 and "--conditions-met" in unconfirmed.stderr.decode()
    assert "năng lực hành vi dân sự" in unconfirmed.stderr.decode()  # the conditions are listed, not checked
    said = office(
        "accept", number, "--decision", "01/QĐ-BQL", "--conditions-met", "--on", "12/01/2026", env=desk_env
    ).stderr.decode()
    assert "người bị tố cáo" in said and f"office notice {number} --kind accepted" in said

    row = by_number(desk_env)[number]
    assert row["track"] == "denunciation" and row["acceptance_ref"] == "01/QĐ-BQL"
    assert row["accepted_at"].startswith("2026-01-11T17:00")  # 12/01/2026 00:00 in Viet Nam
    assert row["notices_owed"] == [{"about": "accepted", "to": "denouncer"}, {"about": "accepted", "to": "denounced"}]
    due = {(d["step"], (d["notice"] or {}).get("to")): d for d in _due(desk_env) if d["number"] == number}
    # Điều 30: 30 days from the thụ lý date; Điều 29: 05 working days (Monday 12/01 -> Monday 19/01).
    assert due[("resolve", None)]["due_on"] == "2026-02-11" and due[("resolve", None)]["statutory"]
    assert due[("notice", "denouncer")]["due_on"] == due[("notice", "denounced")]["due_on"] == "2026-01-19"
    table = office("due", "--within", "1000", env=desk_env).stdout.decode()
    assert "Luật 136/2025/QH15" in table and "người bị tố cáo" in table and "(*)" in table
    shown = office("show", number, env=desk_env).stdout.decode()
    assert "Tố cáo đã thụ lý" in shown and "01/QĐ-BQL" in shown and "Luật 136/2025/QH15" in shown

    # Assigning a unit is not acceptance and does not move the Điều 30 date; the Board's handling
    # deadline gives way to it.
    office("assign", number, "--unit", "Văn phòng Ban", "--head", "Chánh Văn phòng", env=desk_env)
    assert _steps(desk_env, number) == {"resolve", "notice:accepted:denouncer", "notice:accepted:denounced"}
    assert by_number(desk_env)[number]["accepted_at"] == row["accepted_at"]

    # Both notices, each recorded for its own recipient.
    ambiguous = office("notify", number, "--how", "Thư bảo đảm", env=desk_env, ok=False)
    assert "--to denouncer" in ambiguous.stderr.decode() and "--to denounced" in ambiguous.stderr.decode()
    office("notify", number, "--to", "denouncer", "--how", "Thư bảo đảm", "--on", "14/01/2026", env=desk_env)
    assert _steps(desk_env, number) == {"resolve", "notice:accepted:denounced"}
    before = office("notify", number, "--to", "denounced", "--how", "x", "--on", "10/01/2026", env=desk_env, ok=False)
    assert "before its decision" in before.stderr.decode()
    office("notify", number, "--to", "denounced", "--how", "Giao trực tiếp", "--on", "15/01/2026", env=desk_env)
    assert _steps(desk_env, number) == {"resolve"}
    none_left = office("notify", number, "--to", "denounced", "--how", "x", env=desk_env, ok=False)
    assert "owes no notice" in none_left.stderr.decode()

    # An extension of the Điều 30 limit: 30 more days, and both are told of it.
    office("extend", number, "--reason", "Vụ việc phức tạp", "--decision", "02/QĐ-BQL", env=desk_env)
    due = {d["step"]: d for d in _due(desk_env) if d["number"] == number and d["step"] == "resolve"}
    assert due["resolve"]["due_on"] == "2026-03-13"
    assert _steps(desk_env, number) == {"resolve", "notice:extended:denouncer", "notice:extended:denounced"}

    # An accepted denunciation is concluded, not "not taken up"; it is not accepted twice.
    refused = office("reject", number, "--reason", "x", env=desk_env, ok=False)
    assert refused.returncode == 1 and "office conclude" in refused.stderr.decode()
    again = office("accept", number, "--decision", "x", "--conditions-met", env=desk_env, ok=False)
    assert "already accepted" in again.stderr.decode()
    trail = json.loads(office("audit", "list", "--case", number, "--format", "json", env=desk_env).stdout)
    accepted = [e for e in trail if e["details"].get("action") == "accept"]
    assert accepted[0]["details"]["conditions_confirmed"] == [1, 2, 3, 4, 5]
    assert accepted[0]["details"]["notices_owed"] == ["accepted:denouncer", "accepted:denounced"]


def test_only_a_named_denunciation_within_competence_is_accepted(desk_env):
    anonymous = _case(desk_env)
    office("classify", anonymous, "--competence", "within", env=desk_env)
    for args in (["accept", "--decision", "x", "--conditions-met"], ["decline", "--reason", "x"]):
        refused = office(args[0], anonymous, *args[1:], env=desk_env, ok=False)
        assert refused.returncode == 1 and "Điều 25" in refused.stderr.decode()
    outside = _case(desk_env, "--name", NAME)
    office("classify", outside, "--competence", "outside", env=desk_env)
    refused = office("accept", outside, "--decision", "x", "--conditions-met", env=desk_env, ok=False)
    assert "--denunciation" in refused.stderr.decode()
    online_note = "không tự nó là đơn tố cáo"
    assert online_note not in refused.stderr.decode()  # that note is for the online form's reports only


def test_non_acceptance_and_transfer_owe_the_denouncer_a_notice(desk_env):
    declined = _case(desk_env, "--name", NAME, "--address", ADDRESS)
    said = office("decline", declined, "--reason", "Vụ việc đã được giải quyết", env=desk_env).stderr.decode()
    assert f"office notice {declined} --kind not-accepted" in said
    row = by_number(desk_env)[declined]
    assert row["track"] == "report" and row["status"] == "received"  # its content may still be handled
    assert row["notices_owed"] == [{"about": "not-accepted", "to": "denouncer"}]
    (owed,) = [d for d in _due(desk_env) if d["number"] == declined and d["notice"]]
    assert not owed["statutory"]  # the deadline of that notice is the Board's choice

    transferred = _case(desk_env, "--name", NAME)
    office("classify", transferred, "--competence", "outside", env=desk_env)
    office("forward", transferred, "--to", "Thanh tra tỉnh", "--denunciation", "--decision", "5/CV", env=desk_env)
    assert by_number(desk_env)[transferred]["notices_owed"] == [{"about": "transferred", "to": "denouncer"}]
    assert _steps(desk_env, transferred) == {"forwarded", "notice:transferred:denouncer"}  # one notice, not two
    office("notify", transferred, "--to", "denouncer", "--how", "Thư bảo đảm", env=desk_env)
    assert by_number(desk_env)[transferred]["notices_owed"] == []
    assert _steps(desk_env, transferred) == {"forwarded"}  # the denouncer, who reported it, was told

    anonymous = _case(desk_env)
    office("classify", anonymous, "--competence", "outside", env=desk_env)
    refused = office("forward", anonymous, "--to", "Thanh tra tỉnh", "--denunciation", env=desk_env, ok=False)
    assert refused.returncode == 1 and "anonymous" in refused.stderr.decode()


def test_a_case_is_classified_once_unless_corrected_with_a_reason(desk_env):
    number = _case(desk_env)
    office("classify", number, "--competence", "within", env=desk_env)
    twice = office("classify", number, "--competence", "outside", env=desk_env, ok=False)
    assert twice.returncode == 1 and "not possible now" in twice.stderr.decode() and "--again" in twice.stderr.decode()
    silent = office("classify", number, "--again", "--competence", "outside", env=desk_env, ok=False)
    assert silent.returncode == 1 and "--note" in silent.stderr.decode()
    office("classify", number, "--again", "--competence", "outside", "--note", "Nhầm thẩm quyền", env=desk_env)
    assert by_number(desk_env)[number]["competence"] == "outside"
    wrong = office("assign", number, "--unit", "X", "--head", "Y", env=desk_env, ok=False)
    assert f"office classify {number} --again" in wrong.stderr.decode()
    office("forward", number, "--to", "Công an tỉnh", env=desk_env)
    late = office("classify", number, "--again", "--competence", "within", "--note", "x", env=desk_env, ok=False)
    assert late.returncode == 1 and "not possible now" in late.stderr.decode()
    trail = json.loads(office("audit", "list", "--case", number, "--format", "json", env=desk_env).stdout)
    assert [e["details"].get("again") for e in trail if e["details"].get("action") == "classify"] == [None, True]


def test_reopening_a_denunciation_puts_it_back_on_the_report_track(desk_env):
    number = _case(desk_env, "--name", NAME, "--address", ADDRESS)
    office("classify", number, "--competence", "within", env=desk_env)
    office("accept", number, "--decision", "03/QĐ", "--conditions-met", env=desk_env)
    office("assign", number, "--unit", "Văn phòng Ban", "--head", "Chánh Văn phòng", env=desk_env)
    office("conclude", number, "--result", "Kết luận nội dung tố cáo", env=desk_env)
    office("reopen", number, "--reason", "Người tố cáo tố cáo tiếp", env=desk_env)
    row = by_number(desk_env)[number]
    assert row["track"] == "report" and row["accepted_at"] is None and row["acceptance_ref"] is None
    assert "03/QĐ" in office("show", number, env=desk_env).stdout.decode()  # the history keeps it


def test_the_register_refuses_an_unknown_track(desk_env):
    number = _case(desk_env)
    db = sqlite3.connect(data_dir(desk_env) / "register.sqlite")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE cases SET track = 'complaint' WHERE number = ?", (number,))


def test_at_the_keyboard_the_clerk_confirms_each_condition(desk_env):
    number = add(
        desk_env, "--channel", "hotline", "--category", "waste", "--description", "Gọi điện.", "--name", NAME,
        "--address", ADDRESS,
    )  # fmt: skip
    office("classify", number, "--competence", "within", env=desk_env)

    def accept(answers: list[str]) -> tuple[int, str]:
        child = pexpect.spawn(
            sys.executable,
            ["-m", "office", "accept", number, "--decision", "09/QĐ"],
            env={**os.environ, **desk_env},
            encoding="utf-8",
            timeout=60,
        )
        child.logfile_read = io.StringIO()
        for answer in answers:
            child.expect(r"\[y/N\]")
            child.sendline(answer)
        child.expect(pexpect.EOF)
        child.close()
        return child.exitstatus, child.logfile_read.getvalue()

    status, said = accept(["y", "n"])
    assert status == 1 and "condition 2 is not met" in said and "office decline" in said
    assert "không tự nó là tố cáo" in said  # a phone call is not a denunciation in the law's form
    assert by_number(desk_env)[number]["track"] == "report"
    status, _ = accept(["y"] * 5)
    assert status == 0 and by_number(desk_env)[number]["track"] == "denunciation"
