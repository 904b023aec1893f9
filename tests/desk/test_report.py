"""The half-year report: a Word document read back with python-docx, Markdown and CSV; periods; no identity."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from office.reports import half_year
from office.workflow import settings as settings_module
from office.workflow.clock import local_date
from tests.desk.conftest import ADDRESS, EMAIL, NAME, PHONE, add, data_dir, listed, office

SECRET = "Nội dung mật số"
PERIOD_START, PERIOD_END = date(2026, 7, 1), date(2027, 1, 1)


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


@pytest.fixture(scope="module")
def register_h2(tmp_path_factory, office_key) -> tuple[dict[str, str], dict[str, str]]:
    """Cases of the second half of 2026 from every manual channel, at every step; one case from before."""
    env = {
        "OFFICE_DATA": str(tmp_path_factory.mktemp("report") / "desk"),
        "OFFICE_RECIPIENTS": office_key[1],
        "OFFICE_USER": "van-thu",
    }
    office("init", env=env)
    c = {}
    c["A"] = _add(env, "hotline", "corruption", "01/07/2026", 1, "--name", NAME, "--phone", PHONE)
    office("classify", c["A"], "--competence", "within", "--on", "02/07/2026", env=env)
    office(
        "assign",
        c["A"],
        "--unit",
        "Phòng Quản lý doanh nghiệp",
        "--head",
        "Trưởng phòng A",
        "--on",
        "03/07/2026",
        env=env,
    )
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
    office("assign", c["E"], "--unit", "Văn phòng Ban", "--head", "Chánh Văn phòng", "--on", "17/09/2026", env=env)
    office("flag", c["E"], "--set", "many-people", env=env)
    c["G"] = _add(env, "hotline", "corruption", "20/10/2026", 6)
    office("classify", c["G"], "--competence", "within", "--on", "21/10/2026", env=env)
    c["H"] = _add(env, "hotline", "other", "15/06/2026", 7)  # the first half, still open: carried over
    office("incident", "add", "--date", "01/09/2026", "--note", "Lộ danh sách người phản ánh", env=env)
    return env, c


def _tables(document) -> dict[str, list[list[str]]]:
    """The body's tables (not the header and signature blocks), keyed by their caption, without header rows."""
    out = {}
    for table in document.tables[1:-1]:
        caption = table._element.getprevious().xpath("string(.)")
        out[caption] = [[cell.text for cell in row.cells] for row in table.rows][1:]
    return out


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
    header = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert header[0] == "[TÊN CƠ QUAN CHỦ QUẢN]\nBAN QUẢN LÝ KHU KINH TẾ"
    assert header[1] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    assert header[2].startswith("Số:") and "/BC-" in header[2]
    assert header[3] == "[Địa danh], ngày 01 tháng 12 năm 2026"
    quoc_hieu = document.tables[0].cell(0, 1).paragraphs[0].runs[0]
    assert quoc_hieu.bold and quoc_hieu.font.size.pt == 13
    date_run = document.tables[0].cell(1, 1).paragraphs[0].runs[0]
    assert date_run.italic
    texts = [p.text for p in document.paragraphs]
    title = texts.index("BÁO CÁO")
    assert document.paragraphs[title].runs[0].bold
    assert texts[title + 1].endswith("6 tháng cuối năm 2026")
    assert "Nơi nhận:" in document.tables[-1].cell(0, 0).text

    # The tables hold what the register holds.
    rows = [r for r in listed(env) if PERIOD_START <= local_date(r["received_at"]) < PERIOD_END]
    tables = _tables(document)
    channels = _counts(tables["Bảng 1. Số phản ánh, tố giác theo kênh tiếp nhận"])
    assert channels == {
        "Trực tuyến (cổng)": 0,
        "Đường dây nóng": 2,
        "Thư điện tử": 1,
        "Hòm thư góp ý": 1,
        "Tiếp công dân": 1,
        "Cơ quan khác chuyển đến": 1,
    }
    assert sum(channels.values()) == len(rows) == 6
    assert tables["Bảng 1. Số phản ánh, tố giác theo kênh tiếp nhận"][-1][1:3] == ["Tổng cộng", "6"]
    categories = _counts(tables["Bảng 2. Số phản ánh, tố giác theo loại nội dung"])
    assert categories["Tham nhũng"] == Counter(r["category"] for r in rows)["corruption"] == 2
    assert categories["Tiết lộ thông tin người phản ánh, tố giác"] == 1
    statuses = _counts(tables["Bảng 3. Hồ sơ tiếp nhận trong kỳ theo tình trạng xử lý"])
    assert statuses == {label: 0 for label in statuses} | Counter(r["status_label"] for r in rows)
    assert statuses["Đã chuyển cơ quan có thẩm quyền"] == 0 and statuses["Đang theo dõi kết quả"] == 1
    units = {row[1]: row[2:] for row in tables["Bảng 4. Hồ sơ theo đơn vị xử lý"]}
    assert units == {
        "Phòng Quản lý doanh nghiệp": ["Trưởng phòng A", "1", "1", "0", "0"],
        "Văn phòng Ban": ["Chánh Văn phòng", "1", "0", "1", "1"],
    }
    (sent,) = tables["Bảng 5. Hồ sơ chuyển cơ quan có thẩm quyền"]
    assert sent[1] == c["B"] and sent[4] == "Thanh tra tỉnh An Giang" and sent[5] == "13/07/2026"
    overdue = {row[1] for row in tables["Bảng 6. Hồ sơ quá hạn"]}
    assert overdue == {c["B"], c["C"], c["E"], c["G"], c["H"]}
    body = "\n".join(texts)
    assert "kỳ trước chuyển sang" in body and "1 hồ sơ của kỳ trước chuyển sang" in body
    assert "tiết lộ thông tin người phản ánh, tố giác trong kỳ: 2 (gồm 1 phản ánh" in body
    assert "đông người, vượt cấp: 1 hồ sơ; đã báo cáo Lãnh đạo Ban: 0" in body

    # The chart is there, as a PNG picture.
    assert len(document.inline_shapes) == 1
    with zipfile.ZipFile(out) as package:
        images = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(images) == 1 and package.read(images[0]).startswith(b"\x89PNG")
        # No identity and no content anywhere in the package, and no author in its properties.
        for name in package.namelist():
            content = package.read(name)
            for secret in (NAME, PHONE, EMAIL, ADDRESS, SECRET, "Lộ danh sách"):
                assert secret.encode() not in content, f"{secret!r} in {name}"
        assert b"python-docx" not in package.read("docProps/core.xml")
    assert document.core_properties.author == "" and document.core_properties.last_modified_by == ""


def test_markdown_and_csv_carry_the_same_figures(register_h2, tmp_path):
    env, c = register_h2
    office("report", "--period", "2026-H2", "--out", str(tmp_path / "r.md"), env=env)
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "| Đường dây nóng | 2 |" in markdown and "![Hình 1." in markdown
    assert (tmp_path / "r-bieu-do.png").read_bytes().startswith(b"\x89PNG")
    office("report", "--period", "2026-H2", "--out", str(tmp_path / "r.csv"), env=env)
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    values = {(r["section"], r["key"]): r["value"] for r in rows}
    assert values[("summary", "total")] == "6" and values[("channel", "hotline")] == "2"
    assert values[("summary", "confidentiality_incidents")] == "2"
    assert values[("month", "2026-07")] == "2" and values[("month", "2026-12")] == "0"
    assert {r["key"] for r in rows if r["section"] == "overdue"} == {c["B"], c["C"], c["E"], c["G"], c["H"]}
    for text in (markdown, raw.decode("utf-8-sig")):
        assert NAME not in text and SECRET not in text
    trail = json.loads(office("audit", "list", "--format", "json", env=env).stdout)
    assert {e["details"].get("format") for e in trail if e["action"] == "report"} >= {"md", "csv"}


def test_period_boundaries_come_from_the_settings(desk_env, tmp_path):
    (data_dir(desk_env) / "settings.toml").write_text(
        '[periods]\nh1_start = "12-05"\nh2_start = "06-05"\n', encoding="utf-8"
    )
    for received in ("04/12/2025", "05/12/2025", "04/06/2026", "05/06/2026"):
        add(desk_env, "--channel", "hotline", "--category", "waste", "--description", "x", "--received", received)
    office("report", "--period", "2026-H1", "--out", str(tmp_path / "h1.csv"), env=desk_env)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "h1.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    values = {(r["section"], r["key"]): r for r in rows}
    assert values[("period", "2026-H1")]["value"] == "2025-12-05"
    assert values[("period", "2026-H1")]["detail"] == "2026-06-04"
    assert values[("summary", "total")]["value"] == "2"
    assert [k for (s, k) in values if s == "month"][:2] == ["2025-12", "2026-01"]


def test_half_year_boundaries(tmp_path):
    defaults = settings_module.load(tmp_path)
    h1, h2 = half_year.half_year("2026-H1", defaults), half_year.half_year("2026-H2", defaults)
    assert (h1.start, h1.last_day, h2.start, h2.last_day) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
        date(2026, 7, 1),
        date(2026, 12, 31),
    )
    assert h1.label == "6 tháng đầu năm 2026"
    with pytest.raises(ValueError, match="2026-H1"):
        half_year.half_year("2026-H3", defaults)


def test_report_needs_no_key_and_says_what_is_wrong(register_h2, tmp_path):
    env, _ = register_h2
    assert "OFFICE_IDENTITY" not in env
    bad = office("report", "--period", "2026-S1", "--out", str(tmp_path / "x.docx"), env=env, ok=False)
    assert bad.returncode == 1 and "2026-H1" in bad.stderr.decode()
    assert not Path(tmp_path / "x.docx").exists()
    assert re.search(
        r"\d+ hồ sơ / cases",
        office(
            "report", "--from", "01/07/2026", "--to", "31/07/2026", "--out", str(tmp_path / "july.csv"), env=env
        ).stderr.decode(),
    )
