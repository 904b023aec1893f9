"""Fair figures: lateness belongs to the step that was late and to who owned it; the two tracks apart.

The desk trial (``../shared/reviews/2026-11-office-desk-trial.md``, High 4) found the half-year
report counting the Office's late classification against the unit that handled the case, a case
counted late that the table of late cases did not list, and a case counted late before its
deadline. The register of this module's fixture is made with the real ``office`` command, every
step dated with ``--on`` in the second half of 2026 (the period runs to its cut-off, 15/11/2026),
under the default deadlines: classification 7 working days, assignment or forwarding 5 working
days, handling and following a forwarded case 30 days, closing after the result 10 working days,
the notices 5 working days, Điều 30 30 days from the thụ lý decision.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from office.register.desk import open_desk
from office.reports import half_year
from office.workflow import law
from office.workflow import settings as settings_module
from tests.desk.conftest import ADDRESS, NAME, add, by_number, data_dir, office

UNIT = "Phòng Quản lý doanh nghiệp"
OTHER = "Ban Quản lý cửa khẩu"
OFFICE = "Văn phòng Ban"


def _case(env, received: str, *identity: str, channel: str = "hotline") -> str:
    return add(
        env, "--channel", channel, "--category", "corruption", "--received", received, "--description", "x", *identity
    )


@pytest.fixture(scope="module")
def steps_register(tmp_path_factory, office_key) -> tuple[dict[str, str], dict[str, str]]:
    env = {
        "OFFICE_DATA": str(tmp_path_factory.mktemp("fair") / "desk"),
        "OFFICE_RECIPIENTS": office_key[1],
        "OFFICE_USER": "van-thu",
    }
    office("init", env=env)
    (data_dir(env) / "settings.toml").write_text(
        f'[units]\n"{UNIT}" = "Trưởng phòng A"\n"{OTHER}" = "Trưởng ban C"\n"{OFFICE}" = "Chánh Văn phòng"\n',
        encoding="utf-8",
    )
    c = {}

    def run(*args: str) -> None:
        office(*args, env=env)

    # X: the Office classified it late (due 10/07, done 20/07); the unit handled it in time.
    c["X"] = _case(env, "01/07/2026")
    run("classify", c["X"], "--competence", "within", "--on", "20/07/2026")
    run("assign", c["X"], "--unit", UNIT, "--on", "21/07/2026")
    run("conclude", c["X"], "--result", "Đã xử lý", "--on", "30/07/2026")
    # Y: the unit has not finished: its handling was due 04/11 and is overdue at the cut-off.
    c["Y"] = _case(env, "01/10/2026")
    run("classify", c["Y"], "--competence", "within", "--on", "02/10/2026")
    run("assign", c["Y"], "--unit", UNIT, "--on", "05/10/2026")
    # Z: the first unit held it past its deadline (03/09), then it went to another unit that closed it.
    c["Z"] = _case(env, "01/08/2026")
    run("classify", c["Z"], "--competence", "within", "--on", "03/08/2026")
    run("assign", c["Z"], "--unit", OTHER, "--on", "04/08/2026")
    run("assign", c["Z"], "--unit", UNIT, "--on", "10/09/2026")
    run("conclude", c["Z"], "--result", "Đã xử lý", "--on", "20/09/2026")
    # W: forwarded; the Office followed the result late (due 03/09, done 10/09).
    c["W"] = _case(env, "01/08/2026")
    run("classify", c["W"], "--competence", "outside", "--on", "03/08/2026")
    run("forward", c["W"], "--to", "Thanh tra tỉnh", "--on", "04/08/2026")
    run("follow", c["W"], "--note", "Đã có kết quả", "--on", "10/09/2026")
    run("conclude", c["W"], "--result", "Đã có kết quả", "--on", "11/09/2026")
    # V: a named denunciation accepted on 03/09: the denouncer told late (due 10/09, told 15/09), the
    # person denounced in time; it was resolved after the time limit (03/10): the resolver's lateness, by role.
    c["V"] = _case(env, "01/09/2026", "--name", NAME, "--address", ADDRESS, channel="reception")
    run("classify", c["V"], "--competence", "within", "--on", "02/09/2026")
    run("accept", c["V"], "--decision", "01/QĐ-BQL", "--conditions-met", "--on", "03/09/2026")
    run("notify", c["V"], "--to", "denounced", "--how", "Gửi thông báo", "--on", "05/09/2026")
    run("notify", c["V"], "--to", "denouncer", "--how", "Gửi thông báo", "--on", "15/09/2026")
    run("assign", c["V"], "--unit", UNIT, "--on", "04/09/2026")
    run("conclude", c["V"], "--result", "Kết luận nội dung tố cáo", "--on", "10/10/2026")
    # The conclusion is notified to the denouncer and sent to the person denounced, in time (issue 21).
    for recipient in ("denouncer", "denounced"):
        run("notify", c["V"], "--to", recipient, "--about", "concluded", "--how", "Gửi kết luận", "--on", "12/10/2026")
    # T: a named denunciation not accepted on 05/10; its notice still owed at the cut-off (due 12/10).
    c["T"] = _case(env, "01/10/2026", "--name", NAME, "--address", ADDRESS, channel="reception")
    run("classify", c["T"], "--competence", "within", "--on", "02/10/2026")
    run("decline", c["T"], "--reason", "Không đủ điều kiện thụ lý", "--on", "05/10/2026")
    run("reject", c["T"], "--reason", "Không đủ điều kiện thụ lý", "--on", "05/10/2026")
    # S: a named denunciation transferred to the competent body, the denouncer told in time; the Office has
    # not followed the result within 30 days (due 04/11).
    c["S"] = _case(env, "01/10/2026", "--name", NAME, "--address", ADDRESS, channel="reception")
    run("classify", c["S"], "--competence", "outside", "--on", "02/10/2026")
    run("forward", c["S"], "--to", "Thanh tra tỉnh", "--denunciation", "--on", "05/10/2026")
    run("notify", c["S"], "--to", "denouncer", "--how", "Gửi thông báo", "--on", "06/10/2026")
    # R: a report not taken up (Không xem xét, xử lý), in time.
    c["R"] = _case(env, "01/10/2026")
    run("reject", c["R"], "--reason", "Không có căn cứ", "--on", "02/10/2026")
    # U: received just before the cut-off; its classification is due 23/11, after it.
    c["U"] = _case(env, "12/11/2026")
    return env, c


def _report(env, out: Path, *args: str) -> Document:
    office("report", "--period", "2026-H2", "--out", str(out), "--date", "01/12/2026", *args, env=env)
    return Document(str(out))


def _tables(document) -> dict[str, list[list[str]]]:
    out = {}
    for table in document.tables[1:-2]:  # not the header block, the signature, nor the annex of cases
        caption = table._element.getprevious().xpath("string(.)")
        out[re.sub(r"^Bảng \d+\. ", "", caption)] = [[cell.text for cell in row.cells] for row in table.rows][1:]
    return out


def _late(document) -> set[tuple[str, str, str, str, str, str]]:
    """(case, step, owner, due, done, days late) of the table of late cases."""
    return {tuple(row[1:]) for row in _tables(document)["Hồ sơ trễ hạn"]}


def test_a_late_classification_by_the_office_and_an_on_time_unit(steps_register, tmp_path):
    env, c = steps_register
    document = _report(env, tmp_path / "r.docx")
    tables = _tables(document)
    late = _late(document)
    # The case is listed under the Office's step; the unit that handled it in time is not counted late.
    assert (c["X"], "Phân loại, xác định thẩm quyền", OFFICE, "10/07/2026", "20/07/2026", "10") in late
    assert not [row for row in late if row[0] == c["X"] and row[2] != OFFICE]
    units = {row[1]: row[2:] for row in tables["Hồ sơ theo đơn vị xử lý"]}
    # The unit: X, Y, Z (taken over), V were assigned to it; late: Y (handling), not X nor Z; V's time limit is
    # the resolver's (content review L14). Late cases among those assigned in the period, then the others.
    assert units[UNIT] == ["Trưởng phòng A", "4", "3", "1", "1", "0"]
    # The other unit: Z passed its deadline in its hands, though it was concluded by the unit after it: a late
    # case that is not among its assignments at the cut-off, so never "late 1 of 0 assigned" (desk trial 2, M5).
    assert units[OTHER] == ["Trưởng ban C", "0", "0", "0", "0", "1"]
    # The Office: its own late steps (X, W, V, T, S), X's classification among them, though nothing was
    # assigned to it.
    assert units[OFFICE] == ["Chánh Văn phòng", "0", "0", "0", "0", "5"]

    # Every case counted late is listed, under the step that was late and its owner.
    assert late == {
        (c["X"], "Phân loại, xác định thẩm quyền", OFFICE, "10/07/2026", "20/07/2026", "10"),
        (c["Y"], "Xử lý phản ánh, kiến nghị", UNIT, "04/11/2026", "Chưa", "11"),
        (c["Z"], "Xử lý phản ánh, kiến nghị", OTHER, "03/09/2026", "20/09/2026", "17"),
        (c["W"], "Theo dõi kết quả cơ quan được chuyển", OFFICE, "03/09/2026", "10/09/2026", "7"),
        (c["V"], "Thông báo thụ lý tố cáo cho người tố cáo", OFFICE, "10/09/2026", "15/09/2026", "5"),
        (c["V"], "Giải quyết tố cáo, từ ngày thụ lý", "Người giải quyết tố cáo", "03/10/2026", "10/10/2026", "7"),
        (c["T"], "Thông báo không thụ lý tố cáo cho người tố cáo", OFFICE, "12/10/2026", "Chưa", "34"),
        (c["S"], "Theo dõi kết quả cơ quan được chuyển", OFFICE, "04/11/2026", "Chưa", "11"),
    }
    counted = {row[1]: int(row[6]) + int(row[7]) for row in tables["Hồ sơ theo đơn vị xử lý"]}
    for owner, cases in counted.items():
        assert len({row[0] for row in late if row[2] == owner}) == cases, owner
    by_owner = {(row[1], row[2]): row[3:] for row in tables["Bước xử lý trễ hạn theo người chịu trách nhiệm"]}
    assert by_owner[(OFFICE, "Phân loại, xác định thẩm quyền")] == ["1", "0", "1"]
    assert by_owner[(UNIT, "Xử lý phản ánh, kiến nghị")] == ["0", "1", "1"]
    assert by_owner[(OFFICE, "Theo dõi kết quả cơ quan được chuyển")] == ["1", "1", "2"]
    assert by_owner[("Tổng cộng", "")] == ["5", "3", "8"]
    assert list(by_owner)[:3] == [  # the Office's own steps first, in the order of the workflow
        (OFFICE, "Phân loại, xác định thẩm quyền"),
        (OFFICE, "Theo dõi kết quả cơ quan được chuyển"),
        (OFFICE, "Thông báo không thụ lý tố cáo cho người tố cáo"),
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "8 bước xử lý của 7 hồ sơ trễ hạn: 5 bước đã hoàn thành sau hạn trong kỳ, 3 bước còn quá hạn" in text
    assert "Văn phòng Ban chịu trách nhiệm các bước phân loại" in text

    # The CSV says the same, with every late step.
    office("report", "--period", "2026-H2", "--out", str(tmp_path / "r.csv"), env=env)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig")), delimiter=";"))
    steps = {(r["key"], r["label"], r["value"], r["detail"]) for r in rows if r["section"] == "late"}
    assert (c["X"], "Phân loại, xác định thẩm quyền", "10", f"{OFFICE}; hạn 2026-07-10; hoàn thành 2026-07-20") in steps
    assert len(steps) == 8
    units_csv = {r["key"]: r["detail"] for r in rows if r["section"] == "unit"}
    assert units_csv[UNIT].endswith("trễ hạn trong số được giao trong kỳ 1; trễ hạn hồ sơ khác 0")
    assert units_csv[OFFICE].endswith("trễ hạn trong số được giao trong kỳ 0; trễ hạn hồ sơ khác 5")
    owners = {(r["key"], r["label"]): r["value"] for r in rows if r["section"] == "late_owner"}
    assert owners[(OFFICE, "Phân loại, xác định thẩm quyền")] == "1"


def test_a_units_own_report_counts_only_its_own_late_steps(steps_register, tmp_path):
    env, c = steps_register
    late = _late(_report(env, tmp_path / "u.docx", "--unit", UNIT))
    assert {(row[0], row[2]) for row in late} == {(c["Y"], UNIT)}  # V's time limit is the resolver's
    other = _late(_report(env, tmp_path / "o.docx", "--unit", OTHER))
    assert {(row[0], row[2]) for row in other} == {(c["Z"], OTHER)}


def test_nothing_is_late_before_its_deadline(steps_register):
    env, c = steps_register
    desk = open_desk(data_dir(env))
    settings = settings_module.load(data_dir(env))
    period = half_year.half_year("2026-H2", settings)

    def late_on(day: date) -> set[tuple[str, str]]:
        return {(i.number, i.what) for i in half_year.compute(desk.db, settings, period, day).late}

    # Y's handling is due 04/11: not late on that day, late the day after.
    assert (c["Y"], "handling") not in late_on(date(2026, 11, 4))
    assert (c["Y"], "handling") in late_on(date(2026, 11, 5))
    # X's classification was due 10/07 and done 20/07: late only once its deadline had passed.
    assert (c["X"], "received") not in late_on(date(2026, 7, 10))
    assert (c["X"], "received") in late_on(date(2026, 7, 11))
    # What happened after the day of reckoning is not known on it: on 12/09 Z was late in the first
    # unit's hands and still open, though it was concluded on 20/09.
    early = half_year.compute(desk.db, settings, period, date(2026, 9, 12))
    (z,) = [i for i in early.late if i.number == c["Z"]]
    assert (z.owner, z.done_on, z.open, z.days_late) == (OTHER, None, True, 9)
    # U was received on 12/11 and is due 23/11, after the cut-off: not late in the period's report, even
    # when it is made after its deadline.
    assert all(i.number != c["U"] for i in half_year.compute(desk.db, settings, period, date(2026, 11, 30)).late)
    desk.db.close()


def test_the_two_tracks_are_counted_apart(steps_register, tmp_path):
    env, _ = steps_register
    document = _report(env, tmp_path / "t.docx")
    tables = _tables(document)
    text = "\n".join(p.text for p in document.paragraphs)
    statuses = {row[1]: row[2:] for row in tables["Hồ sơ tiếp nhận trong kỳ theo diện và tình trạng xử lý"]}
    # Only V has a thụ lý decision; Y, assigned to a unit, is a report: assignment is not acceptance.
    assert statuses["Đã kết thúc"] == ["3", "1", "4"]  # X, Z, W reports; V the accepted denunciation
    assert statuses["Đang xử lý"] == ["1", "0", "1"]  # Y
    assert statuses["Không xem xét, xử lý"] == ["2", "0", "2"]  # R and T, on the phản ánh track
    assert statuses["Tổng cộng"] == ["8", "1", "9"]
    assert "9 hồ sơ" not in text and "8 hồ sơ là phản ánh, kiến nghị" in text and "1 hồ sơ là tố cáo đã có" in text
    decisions = {row[1]: row[2] for row in tables["Quyết định đối với tố cáo"]}
    assert decisions == {
        "Thụ lý tố cáo": "1",
        "Không thụ lý tố cáo": "1",
        "Chuyển tố cáo đến cơ quan có thẩm quyền giải quyết": "1",
        "Tổng cộng": "3",
    }
    assert "Tố cáo đã thụ lý: 1 tố cáo đã kết thúc trong kỳ; 0 tố cáo đang giải quyết" in text
    # "không thụ lý" belongs to the denunciation track only: a rejected report is "Không xem xét, xử lý".
    section = text[text.index("d) Tố cáo") : text.index("đ) Bước xử lý trễ hạn")]
    assert "không thụ lý" not in text.replace(section, "").lower()
    assert "Việc giao phòng, đơn vị xử lý phản ánh, kiến nghị không phải là thụ lý tố cáo." in section
    # The law is cited as in force, without a 2018 article or a drafting note in the text to be signed.
    cited = [p.text for p in document.paragraphs if "Luật Tố cáo" in p.text or "2018" in p.text]
    assert cited and all(law.DENUNCIATION_LAW in p for p in cited)
    assert not [p for p in cited if "Điều" in p or settings_module.AMENDMENT_NOTE in p or "kiểm tra" in p]
    office("report", "--period", "2026-H2", "--out", str(tmp_path / "t.csv"), env=env)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text("utf-8-sig")), delimiter=";"))
    values = {(r["section"], r["key"]): r for r in rows}
    assert values[("summary", "track_report")]["value"] == "8"
    assert values[("summary", "track_denunciation")]["value"] == "1"
    assert [values[("denunciation", k)]["value"] for k in ("accepted", "not-accepted", "transferred")] == ["1"] * 3
    assert values[("status", "rejected")]["detail"] == "phản ánh, kiến nghị 2; tố cáo đã thụ lý 0"


def test_office_list_marks_a_case_whose_notice_to_the_denouncer_is_overdue(steps_register):
    """The same class of omission on the desk: a closed case still owes its notice under Luật Tố cáo."""
    env, c = steps_register
    rows = by_number(env)
    assert rows[c["T"]]["status"] == "rejected" and rows[c["T"]]["overdue"] is True
    assert rows[c["X"]]["overdue"] is False and rows[c["V"]]["overdue"] is False


def test_office_show_lists_the_steps_and_whose_late_steps_they_were(steps_register, office_key):
    """What the report counts against whom is seen on the case itself: the same reckoning, as of today."""
    env, c = steps_register
    env = {**env, "OFFICE_IDENTITY": str(office_key[0])}

    def steps_of(number: str) -> list[str]:
        shown = office("show", number, env=env).stdout.decode()
        return [line.strip() for line in shown[shown.index("Các bước / steps:") :].splitlines()[1:]]

    x = steps_of(c["X"])
    assert (
        x[0].startswith("01/07/2026 – 20/07/2026  Phân loại, xác định thẩm quyền")
        and f"({OFFICE} / the Office)" in x[0]
    )
    assert x[2].startswith("21/07/2026 – 30/07/2026  Xử lý phản ánh, kiến nghị") and x[2].endswith(f"({UNIT})")
    assert [line for line in x if "LATE" in line] == [
        f"TRỄ HẠN / LATE: Phân loại, xác định thẩm quyền ({OFFICE}): hạn / due 10/07/2026, "
        "xong ngày / done 20/07/2026, trễ 10 ngày / 10 days late"
    ]
    # Z: the first unit let its deadline pass; the unit that took it over is not blamed.
    z = [line for line in steps_of(c["Z"]) if "LATE" in line]
    assert len(z) == 1 and f"({OTHER})" in z[0] and UNIT not in z[0]
    # R: not taken up in time: no late step.
    assert not [line for line in steps_of(c["R"]) if "LATE" in line]


def test_statuses_and_tracks_are_counted_as_they_stood_at_the_cut_off(tmp_path, office_key):
    """What happened after the cut-off (15/11) belongs to the next report, whatever the day the report is made."""
    env = {"OFFICE_DATA": str(tmp_path / "desk"), "OFFICE_RECIPIENTS": office_key[1], "OFFICE_USER": "van-thu"}
    office("init", env=env)
    handled = _case(env, "01/10/2026")
    office("classify", handled, "--competence", "within", "--on", "02/10/2026", env=env)
    office("assign", handled, "--unit", UNIT, "--head", "Trưởng phòng A", "--on", "05/10/2026", env=env)
    office("conclude", handled, "--result", "Đã xử lý", "--on", "20/11/2026", env=env)  # after the cut-off
    accepted = _case(env, "01/10/2026", "--name", NAME, "--address", ADDRESS, channel="reception")
    office("classify", accepted, "--competence", "within", "--on", "02/10/2026", env=env)
    office("accept", accepted, "--decision", "02/QĐ-BQL", "--conditions-met", "--on", "20/11/2026", env=env)
    reopened = _case(env, "01/10/2026")
    office("reject", reopened, "--reason", "Không có căn cứ", "--on", "02/10/2026", env=env)
    office("reopen", reopened, "--reason", "Người phản ánh gửi thêm chứng cứ", "--on", "20/11/2026", env=env)

    document = _report(env, tmp_path / "cut-off.docx")
    statuses = {
        row[1]: row[2:]
        for row in _tables(document)["Hồ sơ tiếp nhận trong kỳ theo diện và tình trạng xử lý"]
        if row[2:] != ["0", "0", "0"]
    }
    assert statuses == {
        "Đang xử lý": ["1", "0", "1"],  # concluded on 20/11: still being handled on 15/11
        "Đã phân loại": ["1", "0", "1"],  # accepted on 20/11: a phản ánh on 15/11
        "Không xem xét, xử lý": ["1", "0", "1"],  # reopened on 20/11: not taken up on 15/11
        "Tổng cộng": ["3", "0", "3"],
    }
    text = "\n".join(p.text for p in document.paragraphs)
    assert "theo từng diện, tính đến hết ngày 15/11/2026" in text
    assert "0 hồ sơ là tố cáo đã có quyết định thụ lý" in text
