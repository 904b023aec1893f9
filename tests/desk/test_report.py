"""The half-year report on the whole plan, read back with python-docx; Markdown, CSV; periods; units; no identity.

The register of the module's fixture has cases of the second half of 2026 (the default period runs
from 16/05 to its cut-off 15/11) at every step, a case from before and one after the cut-off, and
activities of the plan's tasks by the Office and by a unit. The real ``office`` command makes every
report; the tests compare what the documents say with what was recorded.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document

from office.reports import half_year
from office.workflow import settings as settings_module
from office.workflow.clock import local_date, today, vn_date
from tests.desk.conftest import ADDRESS, EMAIL, NAME, PHONE, add, data_dir, listed, office
from tests.desk.test_windows import cp1258

SECRET = "Nội dung mật số"
PERIOD_START, PERIOD_END = date(2026, 5, 16), date(2026, 11, 16)
UNIT = "Phòng Quản lý doanh nghiệp"


def _add(env, channel: str, category: str, received: str, n: int, *identity: str) -> str:
    return add(
        env,
        "--channel",
        channel,
        "--category",
        category,
        "--received",
        received,
        "--description",
        f"{SECRET} {n}: chi tiết vụ việc.",
        *identity,
    )


# Activities recorded in the fixture: (task, date, kind, what, people, unit or None for the Office).
ACTIVITIES = [
    ("1", "15/07/2026", "meeting", "Hội nghị quán triệt Chỉ thị 27-CT/TW, Quy định 231-QĐ/TW", "45", None),
    ("1", "20/08/2026", "training", "Tập huấn công chức tiếp nhận phản ánh", "20", UNIT),
    ("3", "12/08/2026", "reception", "Trưởng ban tiếp công dân định kỳ tháng 8", "3", None),
    ("3", "14/10/2026", "dialogue", "Đối thoại với doanh nghiệp khu công nghiệp", "30", None),
    ("5", "30/10/2026", "commendation", "Biểu dương cá nhân phát hiện lãng phí", "1", None),
    ("1", "01/05/2026", "meeting", "Hội nghị của kỳ trước", "10", None),
    ("1", "20/11/2026", "meeting", "Hội nghị sau ngày chốt số liệu", "10", None),
]


@pytest.fixture(scope="module")
def register_h2(tmp_path_factory, office_key) -> tuple[dict[str, str], dict[str, str]]:
    env = {
        "OFFICE_DATA": str(tmp_path_factory.mktemp("report") / "desk"),
        "OFFICE_RECIPIENTS": office_key[1],
        "OFFICE_USER": "van-thu",
    }
    office("init", env=env)
    (data_dir(env) / "settings.toml").write_text(
        f'[units]\n"{UNIT}" = "Trưởng phòng A"\n"Văn phòng Ban" = "Chánh Văn phòng"\n', encoding="utf-8"
    )
    c = {}
    c["A"] = _add(env, "hotline", "corruption", "01/07/2026", 1, "--name", NAME, "--phone", PHONE)
    office("classify", c["A"], "--competence", "within", "--on", "02/07/2026", env=env)
    office("assign", c["A"], "--unit", UNIT, "--on", "03/07/2026", env=env)
    office("conclude", c["A"], "--result", "Đã xử lý", "--on", "20/07/2026", env=env)
    c["B"] = _add(env, "email", "waste", "10/07/2026", 2, "--email", EMAIL)
    office("classify", c["B"], "--competence", "outside", "--on", "11/07/2026", env=env)
    office("forward", c["B"], "--to", "Thanh tra tỉnh An Giang", "--on", "13/07/2026", env=env)
    office("follow", c["B"], "--note", "Đã nhận", "--on", "01/08/2026", env=env)
    c["C"] = _add(env, "mailbox", "negativity", "03/08/2026", 3)
    c["D"] = _add(env, "reception", "obstruction", "04/08/2026", 4, "--name", NAME, "--address", ADDRESS)
    office("reject", c["D"], "--reason", "Không có căn cứ", "--on", "05/08/2026", env=env)
    c["E"] = _add(env, "forwarded", "disclosure", "15/09/2026", 5, "--source-ref", "Công văn 7/UBND")
    office("classify", c["E"], "--competence", "within", "--on", "16/09/2026", env=env)
    office("assign", c["E"], "--unit", "Văn phòng Ban", "--on", "17/09/2026", env=env)
    office("flag", c["E"], "--set", "many-people", env=env)
    c["G"] = _add(env, "hotline", "corruption", "20/10/2026", 6)
    office("classify", c["G"], "--competence", "within", "--on", "21/10/2026", env=env)
    c["R"] = _add(env, "hotline", "retaliation", "02/11/2026", 8)
    office("classify", c["R"], "--competence", "within", "--on", "03/11/2026", env=env)
    office("assign", c["R"], "--unit", UNIT, "--on", "04/11/2026", env=env)
    c["H"] = _add(env, "hotline", "other", "10/05/2026", 7)  # the first half, still open: carried over
    c["L"] = _add(env, "hotline", "waste", "20/11/2026", 9)  # after the cut-off: the next period's
    office("incident", "add", "--date", "01/09/2026", "--note", "Lộ danh sách người phản ánh", env=env)
    for task, day, kind, what, people, unit in ACTIVITIES:
        where = ["--unit", unit] if unit else []
        office(
            "activity",
            "add",
            "--task",
            task,
            "--date",
            day,
            "--kind",
            kind,
            "--what",
            what,
            "--people",
            people,
            *where,
            env=env,
        )
    mistaken = office("activity", "add", "--task", "4", "--date", "01/10/2026", "--what", "Ghi nhầm", env=env)
    office("activity", "remove", mistaken.stdout.decode().strip(), "--reason", "Ghi nhầm", env=env)
    return env, c


def _report(env, out: Path, *args: str) -> Document:
    office("report", "--period", "2026-H2", "--out", str(out), "--date", "01/12/2026", *args, env=env)
    return Document(str(out))


def _tables(document) -> dict[str, list[list[str]]]:
    """The body's tables (not the header and signature blocks, nor the annex) by their caption without its number,
    without their header rows."""
    out = {}
    for table in document.tables[1:-2]:
        caption = table._element.getprevious().xpath("string(.)")
        out[re.sub(r"^Bảng \d+\. ", "", caption)] = [[cell.text for cell in row.cells] for row in table.rows][1:]
    return out


def _texts(document) -> list[str]:
    return [p.text.replace("\u00a0", " ") for p in document.paragraphs]


def _section(texts: list[str], heading: str, next_heading: str) -> str:
    """The paragraphs from a heading that starts with ``heading`` to the one that starts with ``next_heading``."""
    start = next(n for n, t in enumerate(texts) if t.startswith(heading))
    end = next(n for n, t in enumerate(texts) if n > start and t.startswith(next_heading))
    return "\n".join(texts[start:end])


def _counts(rows: list[list[str]]) -> dict[str, int]:
    return {row[1]: int(row[2]) for row in rows if row[1] != "Tổng cộng"}


def test_word_report_matches_the_register_and_keeps_identities_out(register_h2, tmp_path):
    env, c = register_h2
    out = tmp_path / "bao-cao.docx"
    result = office("report", "--period", "2026-H2", "--out", str(out), "--date", "01/12/2026", env=env)
    assert result.stdout.decode().strip() == str(out)
    document = Document(str(out))

    # Page and fonts (Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, margins, Times New Roman).
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.left_margin, section.right_margin, section.top_margin)
    assert [round(length.mm) for length in sizes] == [210, 297, 30, 15, 20]
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert section.different_first_page_header_footer and "PAGE" in section.header._element.xml

    # The header block, number, place and date, title.
    header = [[p.text for p in cell.paragraphs if p.text] for row in document.tables[0].rows for cell in row.cells]
    assert header[0] == ["[TÊN CƠ QUAN CHỦ QUẢN]", "BAN QUẢN LÝ KHU KINH TẾ"]
    assert header[1] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header[2][0].startswith("Số:") and "/BC-" in header[2][0]
    assert header[3] == ["[Địa danh], ngày 01 tháng 12 năm 2026"]
    quoc_hieu = document.tables[0].cell(0, 1).paragraphs[0].runs[0]
    assert quoc_hieu.bold and quoc_hieu.font.size.pt == 13
    assert document.tables[0].cell(0, 1).paragraphs[1].runs[0].font.size.pt == 14  # the Tiêu ngữ, one larger
    assert document.tables[0].cell(1, 1).paragraphs[0].runs[0].italic
    texts = _texts(document)
    title = texts.index("BÁO CÁO")
    assert document.paragraphs[title].runs[0].bold
    assert texts[title + 1] == (
        "Kết quả thực hiện công tác bảo vệ người phát hiện, tố giác, đấu tranh chống tham nhũng, lãng phí, "
        "tiêu cực 6 tháng cuối năm 2026"
    )
    # The period never breaks across lines of the trích yếu ("tiêu cực 6 / tháng").
    assert document.paragraphs[title + 1].text.endswith("6\u00a0tháng\u00a0cuối\u00a0năm\u00a02026")
    assert "Nơi nhận:" in document.tables[-2].cell(0, 0).text  # then the annex of cases

    # The opening sentence has its subject, and the period states its real cut-off.
    body = "\n".join(texts)
    assert "tiêu cực, Văn phòng Ban báo cáo kết quả thực hiện 6 tháng cuối năm 2026 như sau:" in body, (
        "the opening sentence needs its subject"
    )
    assert "tính từ ngày 16/05/2026 đến hết ngày 15/11/2026 (ngày chốt số liệu của kỳ báo cáo)" in body
    assert "TẠM TÍNH" not in body + section.header._element.xml

    # The tables hold what the register holds: the cases received from 16/05 to 15/11.
    rows = [r for r in listed(env) if PERIOD_START <= local_date(r["received_at"]) < PERIOD_END]
    tables = _tables(document)
    channels = _counts(tables["Số phản ánh, tố giác theo kênh tiếp nhận"])
    assert channels == {
        "Trực tuyến (cổng)": 0,
        "Đường dây nóng": 3,
        "Thư điện tử": 1,
        "Thư gửi qua bưu điện": 0,
        "Hòm thư góp ý": 1,
        "Tiếp công dân": 1,
        "Cơ quan khác chuyển đến": 1,
    }
    assert sum(channels.values()) == len(rows) == 7 and c["L"] not in {r["number"] for r in rows}
    assert tables["Số phản ánh, tố giác theo kênh tiếp nhận"][-1][1:3] == ["Tổng cộng", "7"]
    categories = _counts(tables["Số phản ánh, tố giác theo loại nội dung"])
    assert categories["Tham nhũng"] == Counter(r["category"] for r in rows)["corruption"] == 2
    assert categories["Tiết lộ thông tin người phản ánh, tố giác"] == 1
    assert categories["Trù dập người phản ánh, tố giác"] == 1
    by_track = tables["Hồ sơ tiếp nhận trong kỳ theo diện và tình trạng xử lý"]
    statuses = {row[1]: int(row[4]) for row in by_track if row[1] != "Tổng cộng"}
    assert statuses == {label: 0 for label in statuses} | Counter(r["status_label"] for r in rows)
    assert [row[3] for row in by_track] == ["0"] * 8  # no thụ lý decision: every case is a phản ánh
    assert statuses["Đã chuyển cơ quan có thẩm quyền"] == 0 and statuses["Đang theo dõi kết quả"] == 1
    units = {row[1]: row[2:] for row in tables["Hồ sơ theo đơn vị xử lý"]}
    # Late for the Office ("Văn phòng Ban"): its own steps (classifying C and H, assigning G, following B, the
    # notices to the named reporters of A and B) and the handling of E, assigned to it as a unit: E among the
    # cases assigned to it in the period, the five others apart (desk trial 2, M5).
    assert units == {
        UNIT: ["Trưởng phòng A", "2", "1", "1", "0", "0"],
        "Văn phòng Ban": ["Chánh Văn phòng", "1", "0", "1", "1", "5"],
    }
    (sent,) = tables["Hồ sơ chuyển cơ quan có thẩm quyền"]
    assert sent[1] == c["B"] and sent[4] == "Thanh tra tỉnh An Giang" and sent[5] == "13/07/2026"
    late = {row[1] for row in tables["Hồ sơ trễ hạn"]}
    assert late == {c["A"], c["B"], c["C"], c["E"], c["G"], c["H"]}
    # B, forwarded and followed up on 01/08, waits on the inspectorate's result: its time, not a late step of the
    # Office's (desk trial 2, M1); B is still late for the notice to its named reporter.
    assert "Tính đến ngày 15/11/2026, 6 bước xử lý của 6 hồ sơ trễ hạn" in body
    # A was concluded without its named reporter being told: the notice lapsed, it was never done.
    assert [row[5] for row in tables["Hồ sơ trễ hạn"] if row[1] == c["A"]] == ["Không"]
    assert "1 hồ sơ của kỳ trước chuyển sang" in body
    assert "tiết lộ thông tin người phản ánh, tố giác trong kỳ: 2 (gồm 1 phản ánh" in body
    # E is flagged "many people", R, a report of retaliation, flagged from its arrival (desk trial 2, M2).
    assert "đông người, vượt cấp, hoặc về trù dập người phản ánh, tố giác: 2 hồ sơ; đã báo cáo Lãnh đạo Ban: 0" in body

    # The chart is there, as a PNG picture.
    assert len(document.inline_shapes) == 1
    with zipfile.ZipFile(out) as package:
        images = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(images) == 1 and package.read(images[0]).startswith(b"\x89PNG")
        # No identity and no content anywhere in the package.
        for name in package.namelist():
            content = package.read(name)
            for secret in (NAME, PHONE, EMAIL, ADDRESS, SECRET, "Lộ danh sách"):
                assert secret.encode() not in content, f"{secret!r} in {name}"


def test_every_task_of_the_plan_has_its_section_with_what_was_recorded(register_h2, tmp_path):
    env, c = register_h2
    document = _report(env, tmp_path / "r.docx")
    texts = _texts(document)
    headings = [t for t in texts if re.match(r"^(I|II|III|IV)\. |^[1-5]\. ", t)]
    assert headings == [
        "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CỦA KẾ HOẠCH",
        "1. Quán triệt, tuyên truyền, tổ chức hội nghị triển khai Chỉ thị 27-CT/TW và Kế hoạch 80-KH/TU",
        "2. Công khai thông tin tiếp nhận, cập nhật đường dây nóng, hòm thư góp ý và quy trình bảo mật thông tin "
        "người tố cáo",
        "3. Tiếp dân và đối thoại, người đứng đầu thực hiện tiếp dân định kỳ để lắng nghe phản ánh về tham nhũng, "
        "tiêu cực",
        "4. Trách nhiệm người đứng đầu",
        "5. Công tác bảo mật thông tin và xử lý vi phạm",
        "II. ĐÁNH GIÁ CHUNG",
        "III. KHÓ KHĂN, VƯỚNG MẮC, KIẾN NGHỊ, ĐỀ XUẤT",
        "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
    ]
    tables = _tables(document)

    # Task 1: the two activities of the period, with the people; not the one before nor the one after.
    one = _section(texts, "1. Quán triệt", "2. Công khai")
    assert "đã thực hiện 2 hoạt động tại 2 phòng, đơn vị, với 65 lượt người tham gia" in one
    studied = tables["Hoạt động quán triệt, tuyên truyền"]
    assert [(r[1], r[2], r[4], r[5]) for r in studied] == [
        ("15/07/2026", "Hội nghị, cuộc họp quán triệt", "Văn phòng Ban", "45"),
        ("20/08/2026", "Tập huấn, bồi dưỡng", UNIT, "20"),
    ]
    assert "Hội nghị của kỳ trước" not in "\n".join([*texts, str(tables)])
    assert "Hội nghị sau ngày chốt số liệu" not in str(tables)

    # Task 2: nothing published was recorded, and the report says so plainly, beside the cases.
    two = _section(texts, "2. Công khai", "3. Tiếp dân")
    assert "Trong kỳ, chưa ghi nhận việc công khai, cập nhật đường dây nóng, hòm thư góp ý" in two
    assert "Trong kỳ, tiếp nhận 7 phản ánh, tố giác" in two

    # Task 3: a reception session and a dialogue; the cases received at citizen reception.
    three = _section(texts, "3. Tiếp dân", "4. Trách nhiệm")
    assert "đã thực hiện 2 hoạt động, với 33 lượt người tham gia (1 tiếp công dân định kỳ; 1 đối thoại)" in three
    assert "Số phản ánh, tố giác nhận qua tiếp công dân trong kỳ: 1." in three

    # Task 4: the only entry was withdrawn, so nothing is recorded; the heads' table of cases is there.
    four = _section(texts, "4. Trách nhiệm", "5. Công tác")
    assert "Trong kỳ, chưa ghi nhận hoạt động kiểm tra, chấn chỉnh nào" in four and "Ghi nhầm" not in four
    assert UNIT in {row[1] for row in tables["Hồ sơ theo đơn vị xử lý"]}

    # Task 5: disclosure beside the incidents, retaliation counted and listed, no violation, one commendation.
    five = _section(texts, "5. Công tác", "II. ĐÁNH GIÁ")
    assert "trong kỳ: 2 (gồm 1 phản ánh" in five and "1 sự cố do Văn phòng Ban ghi nhận" in five
    assert 'Số phản ánh, tố giác thuộc loại "Trù dập người phản ánh, tố giác" tiếp nhận trong kỳ: 1.' in five
    protection = {row[1]: row[3] for row in tables["Hồ sơ về trù dập, tiết lộ thông tin người phản ánh, tố giác"]}
    assert protection == {
        c["E"]: "Tiết lộ thông tin người phản ánh, tố giác",
        c["R"]: "Trù dập người phản ánh, tố giác",
    }
    assert "c) Xử lý vi phạm\nTrong kỳ, chưa ghi nhận trường hợp vi phạm nào bị xử lý." in five
    # Those commended are not "participants" (content review L14).
    assert "đã thực hiện 1 hoạt động, với 1 người được biểu dương, khen thưởng (1 biểu dương, khen thưởng)" in five

    # Difficulties and next tasks: placeholders for the Office, the last one closing the text with "./.".
    assert "[Văn phòng Ban bổ sung khó khăn, vướng mắc, kiến nghị, đề xuất.]" in texts
    assert "[Văn phòng Ban bổ sung nhiệm vụ trọng tâm kỳ tới.]./." in texts


def test_the_offices_summary_adds_up_what_each_unit_did(register_h2, tmp_path):
    env, _ = register_h2
    tables = _tables(_report(env, tmp_path / "r.docx"))
    summary = {row[1]: row[2:] for row in tables["Hoạt động theo phòng, đơn vị và nhiệm vụ"]}
    assert summary == {
        UNIT: ["1", "0", "0", "0", "0", "1"],
        "Văn phòng Ban": ["1", "0", "2", "0", "1", "4"],
        "Tổng cộng": ["2", "0", "2", "0", "1", "5"],
    }


def test_a_unit_makes_its_own_report_in_the_same_layout(register_h2, tmp_path):
    env, _ = register_h2
    document = _report(env, tmp_path / "phong.docx", "--unit", UNIT)
    texts = _texts(document)
    header = [[p.text for p in cell.paragraphs if p.text] for row in document.tables[0].rows for cell in row.cells]
    assert header[0] == ["BAN QUẢN LÝ KHU KINH TẾ", UNIT.upper()]
    assert header[1] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    body = "\n".join(texts)
    assert f"tiêu cực, {UNIT} báo cáo kết quả thực hiện 6 tháng cuối năm 2026 như sau:" in body
    closing = document.tables[-2]  # then the annex of cases
    assert "Văn phòng Ban (để tổng hợp);" in closing.cell(0, 0).text
    assert closing.cell(0, 1).paragraphs[-1].text == "Trưởng phòng A"  # its head, from settings.toml [units]

    # Its own cases (A and R were assigned to it) and its own activity only.
    tables = _tables(document)
    # Two cases: split by channel or month, or by named and anonymous, they could point at their reporters
    # (content review M7): withheld, and said so.
    assert "Số phản ánh, tố giác theo kênh tiếp nhận" not in tables and "Hình 1" not in body
    assert "không nêu trong báo cáo của đơn vị vì có nhóm chỉ gồm 1 hoặc 2 hồ sơ" in body
    assert "Trong kỳ, được giao xử lý 2 phản ánh, tố giác;" in body
    assert [r[3] for r in tables["Hoạt động quán triệt, tuyên truyền"]] == ["Tập huấn công chức tiếp nhận phản ánh"]
    assert "Trong kỳ, chưa ghi nhận buổi tiếp công dân, đối thoại nào." in body
    assert "Hồ sơ về trù dập, tiết lộ thông tin người phản ánh, tố giác" not in tables  # the Office's report only
    assert "Hoạt động theo phòng, đơn vị và nhiệm vụ" not in tables  # the Office's summary only
    assert "[Đơn vị bổ sung khó khăn, vướng mắc, kiến nghị, đề xuất.]" in texts
    assert document.core_properties.author == UNIT

    # A unit the register does not know is refused, with the name it most likely meant.
    typo = office(
        "report",
        "--period",
        "2026-H2",
        "--unit",
        "Phòng Quản lý doanh nghiep",
        "--out",
        str(tmp_path / "x"),
        env=env,
        ok=False,
    )
    assert typo.returncode == 1 and f"did you mean: {UNIT}" in typo.stderr.decode()
    assert not (tmp_path / "x.docx").exists()


def test_difficulties_and_next_tasks_come_from_the_office(register_h2, tmp_path):
    env, _ = register_h2
    tasks = tmp_path / "nhiem-vu.txt"
    tasks.write_bytes(
        "\ufeffTiếp tục tuyên truyền Quy định 231-QĐ/TW.\r\n\r\nRà soát quy trình tiếp nhận.\r\n".encode()
    )
    document = _report(
        env,
        tmp_path / "r.docx",
        "--difficulties",
        "Chưa có phần mềm quản lý văn bản liên thông.",
        "--next-tasks-file",
        str(tasks),
    )
    texts = _texts(document)
    difficulties = _section(texts, "III. KHÓ KHĂN", "IV. NHIỆM VỤ")
    assert difficulties.splitlines()[1:] == ["Chưa có phần mềm quản lý văn bản liên thông."]
    last = texts.index("IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI")
    assert texts[last + 1 : last + 3] == ["Tiếp tục tuyên truyền Quy định 231-QĐ/TW.", "Rà soát quy trình tiếp nhận./."]
    # Saved as ANSI, as settings, answers and case files may be (desk trial 2, M7): read alike, with a note.
    ansi = tmp_path / "ansi.txt"
    ansi.write_bytes(cp1258("Khó khăn về nhân sự"))  # as Notepad saves it on a Vietnamese Windows
    read = office(
        "report", "--period", "2026-H2", "--difficulties-file", str(ansi), "--out", str(tmp_path / "y.docx"), env=env
    )
    assert "ANSI" in read.stderr.decode() and "Khó khăn về nhân sự" in _texts(Document(str(tmp_path / "y.docx")))


def test_markdown_and_csv_carry_the_same_figures(register_h2, tmp_path):
    env, c = register_h2
    office("report", "--period", "2026-H2", "--out", str(tmp_path / "r.md"), env=env)
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "| 2 | Đường dây nóng | 3 | 42,9% |" in markdown and "![Hình 1." in markdown
    assert "Văn phòng Ban báo cáo kết quả thực hiện 6 tháng cuối năm 2026 như sau:" in markdown
    assert "### 1. Quán triệt" in markdown and "| 1 | 15/07/2026 | Hội nghị, cuộc họp quán triệt |" in markdown
    assert (tmp_path / "r-bieu-do.png").read_bytes().startswith(b"\x89PNG")
    office("report", "--period", "2026-H2", "--out", str(tmp_path / "r.csv"), env=env)
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    values = {(r["section"], r["key"]): r["value"] for r in rows}
    assert values[("summary", "total")] == "7" and values[("channel", "hotline")] == "3"
    assert values[("summary", "confidentiality_incidents")] == "2" and values[("summary", "retaliation")] == "1"
    assert values[("period", "cutoff")] == "2026-11-15"
    assert values[("month", "2026-07")] == "2" and values[("month", "2026-11")] == "1"
    assert "2026-12" not in {k for (s, k) in values if s == "month"}
    assert {r["key"] for r in rows if r["section"] == "late"} == {c["A"], c["B"], c["C"], c["E"], c["G"], c["H"]}
    assert [values[("task", str(n))] for n in range(1, 6)] == ["2", "0", "2", "0", "1"]
    assert len([r for r in rows if r["section"] == "activity"]) == 5
    for text in (markdown, raw.decode("utf-8-sig")):
        assert NAME not in text and SECRET not in text
    trail = json.loads(office("audit", "list", "--format", "json", env=env).stdout)
    assert {e["details"].get("format") for e in trail if e["action"] == "report"} >= {"md", "csv"}


def test_a_period_that_has_not_ended_is_refused_or_stamped_provisional(register_h2, tmp_path):
    env, _ = register_h2
    current = half_year.period_of(today(), settings_module.load(data_dir(env)))
    refused = office("report", "--period", current.code, "--out", str(tmp_path / "now.docx"), env=env, ok=False)
    message = refused.stderr.decode()
    assert refused.returncode == 1 and "chưa kết thúc" in message and vn_date(current.last_day) in message
    assert "--provisional" in message and not (tmp_path / "now.docx").exists()

    office("report", "--period", current.code.lower(), "--provisional", "--out", str(tmp_path / "now"), env=env)
    document = Document(str(tmp_path / "now.docx"))  # the extension was added
    texts = _texts(document)
    assert "SỐ LIỆU TẠM TÍNH" in texts  # under the trích yếu
    section = document.sections[0]
    for header in (section.header, section.first_page_header):  # and at the top of every page
        assert "SỐ LIỆU TẠM TÍNH" in [p.text for p in header.paragraphs]
    assert f"số liệu dưới đây tính đến ngày {vn_date(today())}, là SỐ LIỆU TẠM TÍNH" in "\n".join(texts)
    office("report", "--period", current.code, "--provisional", "--out", str(tmp_path / "now.csv"), env=env)
    provisional = [r for r in csv.DictReader(io.StringIO((tmp_path / "now.csv").read_text("utf-8-sig")), delimiter=";")]
    assert ("period", "provisional") in {(r["section"], r["key"]) for r in provisional}

    # A custom span that has not ended either; a report dated within its own period.
    tomorrow = today() + timedelta(days=1)
    span = office(
        "report",
        "--from",
        "01/07/2026",
        "--to",
        vn_date(tomorrow),
        "--out",
        str(tmp_path / "s.csv"),
        env=env,
        ok=False,
    )
    assert span.returncode == 1 and "chưa kết thúc" in span.stderr.decode()
    early = office(
        "report", "--period", "2026-H2", "--date", "15/11/2026", "--out", str(tmp_path / "e.docx"), env=env, ok=False
    )
    assert early.returncode == 1 and "sau ngày chốt số liệu 15/11/2026" in early.stderr.decode()


def test_half_year_boundaries(tmp_path):
    defaults = settings_module.load(tmp_path)
    h1, h2 = half_year.half_year("2026-H1", defaults), half_year.half_year("2026-h2", defaults)
    assert (h1.start, h1.last_day, h1.deadline, h2.start, h2.last_day, h2.deadline) == (
        date(2025, 11, 16),
        date(2026, 5, 15),
        date(2026, 6, 5),
        date(2026, 5, 16),
        date(2026, 11, 15),
        date(2026, 12, 5),
    )
    assert h1.label == "6 tháng đầu năm 2026" and h2.code == "2026-H2"
    assert half_year.period_of(date(2026, 11, 16), defaults).code == "2027-H1"
    assert half_year.period_of(date(2026, 11, 15), defaults).code == "2026-H2"
    assert not h2.ended(date(2026, 11, 15)) and h2.ended(date(2026, 11, 16))
    with pytest.raises(ValueError, match="2026-H1"):
        half_year.half_year("2026-H3", defaults)
    # The settings file marks the cut-offs as the Board's choice, not a legal rule.
    text = settings_module.DEFAULT_TEXT
    assert 'h1_cutoff = "05-15"' in text and "LỰA CHỌN CỦA BAN" in text and "KHÔNG phải quy định" in text


def test_cut_offs_come_from_the_settings_and_must_precede_the_deadlines(desk_env, tmp_path):
    data_dir(desk_env).mkdir(parents=True, exist_ok=True)
    settings_file = data_dir(desk_env) / "settings.toml"
    settings_file.write_text('[periods]\nh1_cutoff = "05-31"\nh2_cutoff = "11-30"\n', encoding="utf-8")
    for received in ("30/11/2025", "01/12/2025", "31/05/2026", "01/06/2026"):
        add(desk_env, "--channel", "hotline", "--category", "waste", "--description", "x", "--received", received)
    office("report", "--period", "2026-H1", "--out", str(tmp_path / "h1.csv"), env=desk_env)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "h1.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    values = {(r["section"], r["key"]): r for r in rows}
    assert (values[("period", "2026-H1")]["value"], values[("period", "2026-H1")]["detail"]) == (
        "2025-12-01",
        "2026-05-31",
    )
    assert values[("summary", "total")]["value"] == "2"
    assert "chốt số liệu hết ngày 31/05" in office("settings", env=desk_env).stdout.decode()

    settings_file.write_text('[periods]\nh2_cutoff = "12-10"\n', encoding="utf-8")
    late = office("list", env=desk_env, ok=False)
    assert late.returncode == 1 and "phải trước hạn gửi báo cáo 05/12" in late.stderr.decode()


def test_settings_of_the_first_release_still_load(desk_env, tmp_path):
    """A settings.toml that gives the periods by their first days (h1_start, h2_start) keeps working."""
    data_dir(desk_env).mkdir(parents=True, exist_ok=True)
    (data_dir(desk_env) / "settings.toml").write_text(
        '[periods]\nh1_start = "12-05"\nh2_start = "06-05"\n', encoding="utf-8"
    )
    for received in ("04/12/2025", "05/12/2025", "04/06/2026", "05/06/2026"):
        add(desk_env, "--channel", "hotline", "--category", "waste", "--description", "x", "--received", received)
    made = office("report", "--period", "2026-H1", "--out", str(tmp_path / "h1.csv"), env=desk_env)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "h1.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    values = {(r["section"], r["key"]): r for r in rows}
    assert values[("period", "2026-H1")]["value"] == "2025-12-05"
    assert values[("period", "2026-H1")]["detail"] == "2026-06-04"
    assert values[("summary", "total")]["value"] == "2"
    assert [k for (s, k) in values if s == "month"][:2] == ["2025-12", "2026-01"]
    assert "sau hạn gửi báo cáo" not in made.stderr.decode()  # these periods end before the deadlines
    assert "h1_cutoff" in office("settings", env=desk_env).stdout.decode()  # it suggests the new keys

    # The first release's defaults end each period after its deadline: the report says so.
    (data_dir(desk_env) / "settings.toml").write_text(
        '[periods]\nh1_start = "01-01"\nh2_start = "07-01"\n', encoding="utf-8"
    )
    warned = office("report", "--period", "2026-H1", "--out", str(tmp_path / "old.csv"), env=desk_env)
    assert "30/06/2026, sau hạn gửi báo cáo 05/06/2026" in warned.stderr.decode()


def test_report_needs_no_key_and_says_what_is_wrong(register_h2, tmp_path):
    env, _ = register_h2
    assert "OFFICE_IDENTITY" not in env
    bad = office("report", "--period", "2026-S1", "--out", str(tmp_path / "x.docx"), env=env, ok=False)
    assert bad.returncode == 1 and "2026-H1" in bad.stderr.decode()
    assert not Path(tmp_path / "x.docx").exists()
    july = office("report", "--from", "01/07/2026", "--to", "31/07/2026", "--out", str(tmp_path / "july.csv"), env=env)
    assert re.search(r"\d+ hồ sơ / cases", july.stderr.decode())

    # Without an extension, the format's own is added; a name that contradicts --format is refused.
    made = office("report", "--period", "2026-H2", "--out", str(tmp_path / "baocao"), env=env)
    assert made.stdout.decode().strip() == str(tmp_path / "baocao.docx") and (tmp_path / "baocao.docx").is_file()
    office("report", "--period", "2026-H2", "--format", "csv", "--out", str(tmp_path / "so-lieu"), env=env)
    assert (tmp_path / "so-lieu.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    clash = office(
        "report", "--period", "2026-H2", "--format", "csv", "--out", str(tmp_path / "a.docx"), env=env, ok=False
    )
    assert clash.returncode == 1 and not (tmp_path / "a.docx").exists()

    # A report the Office may have filled in is not overwritten unless asked; nothing half-written is left.
    before = (tmp_path / "baocao.docx").read_bytes()
    again = office("report", "--period", "2026-H2", "--out", str(tmp_path / "baocao.docx"), env=env, ok=False)
    assert again.returncode == 1 and "--overwrite" in again.stderr.decode()
    assert (tmp_path / "baocao.docx").read_bytes() == before
    office("report", "--period", "2026-H2", "--out", str(tmp_path / "baocao.docx"), "--overwrite", env=env)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
