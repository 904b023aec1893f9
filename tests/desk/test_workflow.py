"""The plan's workflow: classify, assign or forward, follow, conclude or reject; flags; deadlines; `office due`."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from office.workflow import settings as settings_module
from office.workflow.clock import add_days
from tests.desk.conftest import NAME, add, by_number, data_dir, office


def _case(env, *args: str) -> str:
    return add(env, "--channel", "hotline", "--category", "corruption", "--description", "Nội dung.", *args)


def test_a_case_through_every_step_with_bilingual_next_steps(desk_env):
    handled = _case(desk_env, "--name", NAME)
    said = office("classify", handled, "--competence", "within", "--note", "đủ căn cứ", env=desk_env).stderr.decode()
    assert "Đã phân loại / Classified" in said and f"office assign {handled}" in said
    office("assign", handled, "--unit", "Phòng Quản lý đầu tư", "--head", "Trưởng phòng A", env=desk_env)
    office("follow", handled, "--note", "Đơn vị đang xác minh", env=desk_env)
    office("conclude", handled, "--result", "Đã xử lý kỷ luật", env=desk_env)

    forwarded = _case(desk_env)
    office("classify", forwarded, "--competence", "outside", env=desk_env)
    said = office("forward", forwarded, "--to", "Thanh tra tỉnh An Giang", env=desk_env).stderr.decode()
    assert f"office export {forwarded}" in said
    office("follow", forwarded, "--note", "Thanh tra tỉnh đã nhận", env=desk_env)

    rejected = _case(desk_env)
    office("reject", rejected, "--reason", "Nội dung không rõ ràng, không có căn cứ", env=desk_env)

    rows = by_number(desk_env)
    assert rows[handled]["status"] == "concluded" and rows[handled]["unit"] == "Phòng Quản lý đầu tư"
    assert rows[handled]["unit_head"] == "Trưởng phòng A" and rows[handled]["competence"] == "within"
    assert rows[forwarded]["status"] == "following" and rows[forwarded]["forwarded_to"] == "Thanh tra tỉnh An Giang"
    assert rows[rejected]["status"] == "rejected" and rows[rejected]["status_label"] == "Không xem xét, xử lý"

    shown = office("show", handled, env=desk_env).stdout.decode()
    assert "Đã kết thúc / Concluded" in shown and "Đã xử lý kỷ luật" in shown
    assert "Diễn biến / history:" in shown and "Đơn vị đang xác minh" in shown

    # Steps out of order are refused, with what to do instead.
    again = office("assign", rejected, "--unit", "X", "--head", "Y", env=desk_env, ok=False)
    assert again.returncode == 1 and "not possible now" in again.stderr.decode()
    early = _case(desk_env)
    wrong = office("forward", early, "--to", "Công an tỉnh", env=desk_env, ok=False)
    assert f"office classify {early}" in wrong.stderr.decode()
    office("classify", early, "--competence", "within", env=desk_env)
    outside = office("forward", early, "--to", "Công an tỉnh", env=desk_env, ok=False)
    assert "within the Board's competence" in outside.stderr.decode()
    no_head = office("assign", early, "--unit", "Phòng chưa khai báo", env=desk_env, ok=False)
    assert "--head" in no_head.stderr.decode()


def test_a_closed_case_reopens_on_new_information_and_keeps_its_history(desk_env):
    number = _case(desk_env)
    told = office("reject", number, "--reason", "Chưa có căn cứ", env=desk_env).stderr.decode()
    assert f"office reopen {number}" in told
    office("reopen", number, "--reason", "Người phản ánh gửi thêm chứng cứ", env=desk_env)
    row = by_number(desk_env)[number]
    assert row["status"] == "received" and row["competence"] is None and row["due_on"]
    office("classify", number, "--competence", "within", env=desk_env)
    office("assign", number, "--unit", "Văn phòng Ban", "--head", "Chánh Văn phòng", env=desk_env)
    office("conclude", number, "--result", "Đã xác minh, xử lý", env=desk_env)
    assert by_number(desk_env)[number]["status"] == "concluded"
    shown = office("show", number, env=desk_env).stdout.decode()
    assert "Chưa có căn cứ" in shown and "Người phản ánh gửi thêm chứng cứ" in shown  # the earlier result stays
    twice = office("reopen", "--reason", "x", number, env=desk_env)
    assert twice.returncode == 0
    early = office("reopen", number, "--reason", "again", env=desk_env, ok=False)
    assert early.returncode == 1 and "not possible now" in early.stderr.decode()


def test_a_new_flag_after_the_leaders_were_told_asks_to_tell_them_again(desk_env):
    number = _case(desk_env, "--name", NAME)
    office("classify", number, "--competence", "within", env=desk_env)
    office("assign", number, "--unit", "Văn phòng Ban", "--head", "Chánh Văn phòng", env=desk_env)

    def to_tell() -> list[str]:
        return [
            c["number"] for c in json.loads(office("due", "--format", "json", env=desk_env).stdout)["report_to_leaders"]
        ]

    office("flag", number, "--set", "many-people", env=desk_env)
    assert to_tell() == [number]
    office("flag", number, "--leaders-informed", "--on", "02/01/2026", env=desk_env)
    assert to_tell() == []
    assert by_number(desk_env)[number]["flags"] == ["many-people"]
    office("extend", number, "--reason", "Vụ việc phức tạp", env=desk_env)  # flags it complex: new
    assert to_tell() == [number]
    office("flag", number, "--leaders-informed", env=desk_env)
    office("flag", number, "--set", "many-people", env=desk_env)  # not new: nothing to tell
    assert to_tell() == []
    future = office("flag", number, "--leaders-informed", "--on", "01/01/2099", env=desk_env, ok=False)
    assert future.returncode == 1 and "future" in future.stderr.decode()


def test_a_notice_recorded_after_the_fact_keeps_its_date(desk_env):
    number = _case(desk_env, "--name", NAME)
    office("classify", number, "--competence", "within", env=desk_env)
    office("assign", number, "--unit", "Văn phòng Ban", "--head", "Chánh Văn phòng", env=desk_env)
    office("notify", number, "--how", "Gọi điện thoại", "--on", "03/02/2026 09:15", env=desk_env)
    trail = json.loads(office("audit", "list", "--case", number, "--format", "json", env=desk_env).stdout)
    # A notice is a record of its own: what it was about, and when it took effect (issue 21).
    assert trail[-1]["details"] == {
        "action": "notify",
        "to": "reporter",
        "about": "handling",
        "effective": "2026-02-03T02:15:00Z",
    }
    conn = sqlite3.connect(data_dir(desk_env) / "register.sqlite")
    (notified,) = conn.execute("SELECT notified_at FROM cases WHERE number = ?", (number,)).fetchone()
    assert notified.startswith("2026-02-03T02:15")  # 09:15 in Viet Nam (UTC+7)


def test_units_flags_extension_and_notice(desk_env):
    data_dir(desk_env).mkdir(parents=True, exist_ok=True)
    office("settings", "--init", env=desk_env)
    path = data_dir(desk_env) / "settings.toml"
    path.write_text(path.read_text(encoding="utf-8") + '"Văn phòng Ban" = "Chánh Văn phòng B"\n', encoding="utf-8")
    number = _case(desk_env, "--name", NAME)
    office("classify", number, "--competence", "within", env=desk_env)
    office("assign", number, "--unit", "Văn phòng Ban", env=desk_env)
    row = by_number(desk_env)[number]
    assert row["unit_head"] == "Chánh Văn phòng B"
    first_due = date.fromisoformat(row["due_on"])

    told = office("flag", number, "--set", "many-people", "--set", "over-levels", env=desk_env).stderr.decode()
    assert "Lãnh đạo Ban" in told and "--leaders-informed" in told
    due = json.loads(office("due", "--format", "json", env=desk_env).stdout)
    assert due["report_to_leaders"] == [{"number": number, "flags": ["many-people", "over-levels"]}]
    office("flag", number, "--leaders-informed", env=desk_env)
    assert json.loads(office("due", "--format", "json", env=desk_env).stdout)["report_to_leaders"] == []

    office("extend", number, "--reason", "Vụ việc phức tạp", env=desk_env)
    row = by_number(desk_env)[number]
    assert (date.fromisoformat(row["due_on"]) - first_due).days == 30 and "complex" in row["flags"]
    office("extend", number, "--reason", "Đặc biệt phức tạp", env=desk_env)
    third = office("extend", number, "--reason", "lần ba", env=desk_env, ok=False)
    assert third.returncode == 1 and "max_extensions" in third.stderr.decode()

    # A named reporter is to be told how the report is handled (the Board's deadline), until `office notify`.
    steps = {
        d["step"]
        for d in json.loads(office("due", "--within", "100", "--format", "json", env=desk_env).stdout)["deadlines"]
    }
    assert steps == {"handling", "notify"}
    office("notify", number, "--how", "Gọi điện thoại", env=desk_env)
    steps = {
        d["step"]
        for d in json.loads(office("due", "--within", "100", "--format", "json", env=desk_env).stdout)["deadlines"]
    }
    assert steps == {"handling"}
    trail = json.loads(office("audit", "list", "--case", number, "--format", "json", env=desk_env).stdout)
    assert [e["action"] for e in trail].count("reply") == 1


def test_due_flags_a_late_case_and_one_due_soon(desk_env):
    late = _case(desk_env, "--received", "05/01/2026")  # Monday; classification due 7 working days later
    moved_on = _case(desk_env, "--received", "12/01/2026")
    office("classify", moved_on, "--competence", "outside", env=desk_env)  # a new step, starting today
    fresh = _case(desk_env, "--received", "14/01/2026")
    table = office("due", "--today", "15/01/2026", env=desk_env).stdout.decode()
    assert f"{late}  14/01/2026  QUÁ HẠN 1 ngày / LATE 1 day " in table
    assert fresh not in table  # due 23/01: not within 3 days of 15/01
    listing = json.loads(office("due", "--today", "15/01/2026", "--format", "json", env=desk_env).stdout)
    assert [(d["number"], d["late"]) for d in listing["deadlines"]] == [(late, True)]
    later = json.loads(office("due", "--today", "21/01/2026", "--format", "json", env=desk_env).stdout)
    assert {d["number"]: d["days_left"] for d in later["deadlines"]} == {late: -7, fresh: 2}
    assert "quá hạn" in office("show", late, env=desk_env).stdout.decode()  # as of the real today


def test_working_days_skip_weekends_and_listed_holidays(tmp_path):
    (tmp_path / "settings.toml").write_text(
        '[calendar]\nholidays = ["2026-09-02"]\nworking_weekend_days = ["2026-09-05"]\n', encoding="utf-8"
    )
    settings = settings_module.load(tmp_path)
    assert add_days(date(2026, 1, 2), 1, "working", settings) == date(2026, 1, 5)  # Friday -> Monday
    assert add_days(date(2026, 9, 1), 1, "working", settings) == date(2026, 9, 3)  # over the holiday
    assert add_days(date(2026, 9, 4), 1, "working", settings) == date(2026, 9, 5)  # a Saturday worked
    assert add_days(date(2026, 1, 31), 30, "calendar", settings) == date(2026, 3, 2)


def test_settings_errors_name_the_key(desk_env):
    data_dir(desk_env).mkdir(parents=True, exist_ok=True)
    (data_dir(desk_env) / "settings.toml").write_text("[deadlines.handling]\ndayz = 40\n", encoding="utf-8")
    result = office("due", env=desk_env, ok=False)
    assert result.returncode == 1 and "deadlines.handling.dayz" in result.stderr.decode()
    other = {**desk_env, "OFFICE_DATA": str(data_dir(desk_env) / "other")}
    office("init", env=other)
    shown = office("settings", env=other).stdout.decode()
    assert "Luật Tố cáo 2018 (25/2018/QH14) Điều 30" in shown and "Lựa chọn của Ban" in shown
    assert "CHƯA được kiểm chứng" in shown  # the 07-working-day rule is not asserted
