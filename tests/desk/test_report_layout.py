"""The half-year report laid out to Nghị định 30/2020, read with python-docx and rendered by LibreOffice.

The DOCX is checked element by element (the lines' lengths against Times New Roman's metrics as the
installed Liberation Serif 2 gives them, table header rows and unsplittable rows, the properties),
then rendered to PDF by LibreOffice Writer and read page by page with pdftotext (poppler): page
numbers, the names on one line, header rows repeated on the next page and never left alone at the
bottom of one. In CI (CI=true) a missing LibreOffice, poppler or font is a failure.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from office import register
from office.layout import GAP_PT, QUOC_HIEU
from office.register import activities
from office.register.desk import open_desk
from office.reports import chart, content, half_year, metrics
from office.reports import docx as report_docx
from office.workflow import settings as settings_module
from tests.desk import nd30
from tests.desk.conftest import add, data_dir, office

SUPERIOR = "ỦY BAN NHÂN DÂN TỈNH AN GIANG"
SUPERIOR_LINES = ["ỦY BAN NHÂN DÂN", "TỈNH AN GIANG"]
SETTINGS = f"""[report]
superior_body = "{SUPERIOR}"
place = "An Giang"
signature_authority = "KT. TRƯỞNG BAN"
signature_title = "PHÓ TRƯỞNG BAN"
signer = "Nguyễn Văn Ký"

[units]
"Văn phòng Ban" = "Chánh Văn phòng"
"""
OVERDUE = 70  # cases left unclassified: a table of late cases that runs over pages


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory, office_key) -> tuple[dict[str, str], Path]:
    """A register with a real header in its settings, a few activities and many late cases; its report."""
    work = tmp_path_factory.mktemp("layout")
    env = {"OFFICE_DATA": str(work / "desk"), "OFFICE_RECIPIENTS": office_key[1], "OFFICE_USER": "van-thu"}
    office("init", env=env)
    (data_dir(env) / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    first = add(env, "--channel", "hotline", "--category", "waste", "--received", "01/06/2026", "--description", "x")
    for day in ("02/06/2026", "03/06/2026"):
        add(env, "--channel", "email", "--category", "retaliation", "--received", day, "--description", "y")
    office(
        "activity",
        "add",
        "--task",
        "1",
        "--date",
        "15/07/2026",
        "--kind",
        "meeting",
        "--what",
        "Hội nghị quán triệt Chỉ thị 27-CT/TW và Quy định 231-QĐ/TW",
        "--people",
        "45",
        env=env,
    )
    desk = open_desk(data_dir(env))
    body_key = register.find_case(desk.db, first).body_key
    with register.transaction(desk.db):  # the many late cases: straight into the register, as bench/desk.py does
        for n in range(OVERDUE):
            register.add_case(
                desk.db,
                channel="online",
                source_key=None,
                received_at=f"2026-07-{1 + n % 28:02d}T02:00:00Z",
                category="corruption",
                anonymous=True,
                language="vi",
                body_key=body_key,
                reply_lookup=None,
                attachments=[],
            )
    desk.db.close()
    out = work / "bao-cao.docx"
    office("report", "--period", "2026-H2", "--date", "01/12/2026", "--out", str(out), env=env)
    return env, out


def test_the_header_lines_are_drawn_to_the_rule_and_the_names_fit(laid_out):
    _, out = laid_out
    # The superior body breaks before the place rather than run into the Quốc hiệu (desk trial 2: the two
    # columns almost touched): at least layout.GAP_PT between them.
    nd30.assert_header(Document(str(out)), [*SUPERIOR_LINES, "BAN QUẢN LÝ KHU KINH TẾ"], "BÁO CÁO")


def test_tables_repeat_their_header_row_and_keep_rows_and_captions_together(laid_out):
    _, out = laid_out
    document = Document(str(out))
    *body_tables, _closing, annex = document.tables[1:]  # the header block, the tables, the signature, the annex
    assert len(body_tables) >= 8
    assert annex.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None and len(annex.rows) == 1 + OVERDUE + 3
    for table in body_tables:
        rows = table.rows
        header_properties = rows[0]._tr.trPr
        assert header_properties.find(qn("w:tblHeader")) is not None, "the header row repeats on each page"
        for row in rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None, "a row is never split across pages"
        for paragraph in rows[0].cells[0].paragraphs:
            assert paragraph.paragraph_format.keep_with_next, "the header row stays with the first row"
        caption = table._element.getprevious()
        assert caption.xpath("string(.)").startswith("Bảng ")
        assert caption.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None, "the caption stays with its table"
        # cantSplit comes before tblHeader, as the schema orders them (Word refuses the document otherwise).
        tags = [child.tag for child in header_properties]
        assert tags.index(qn("w:cantSplit")) < tags.index(qn("w:tblHeader"))
    late = next(t for t in body_tables if t._element.getprevious().xpath("string(.)").endswith("Hồ sơ trễ hạn"))
    assert len(late.rows) == 1 + OVERDUE + 3  # the header, then every late case: all are unclassified
    headings = [p for p in document.paragraphs if re.match(r"^(I|II|III)\. |^[1-5]\. |^[a-đ]\) ", p.text)]
    assert headings and all(p.paragraph_format.keep_with_next for p in headings)


def test_the_documents_properties_say_what_it_is_and_nothing_of_the_template(laid_out):
    _, out = laid_out
    properties = Document(str(out)).core_properties
    assert properties.author == properties.last_modified_by == "BAN QUẢN LÝ KHU KINH TẾ"
    assert properties.title.startswith("BÁO CÁO Kết quả thực hiện công tác bảo vệ người phát hiện")
    assert properties.title.endswith("6 tháng cuối năm 2026")
    now = datetime.now(UTC)
    for moment in (properties.created, properties.modified):
        assert abs((now - moment).total_seconds()) < 3600
    assert properties.revision == 1 and properties.language == "vi-VN"
    assert properties.comments == "" and properties.subject == ""
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        assert "docProps/app.xml" not in names and "docProps/thumbnail.jpeg" not in names
        assert not any(name.startswith("customXml/") for name in names)
        everything = b"".join(package.read(name) for name in names)
        for leftover in (b"python-docx", b"Macintosh", b"2013-12-23", b"Normal.dotm"):
            assert leftover not in everything, leftover


def test_the_width_table_is_times_new_romans_as_liberation_serif_gives_it():
    for style, name in (("regular", "Regular"), ("bold", "Bold"), ("italic", "Italic")):
        for character in metrics.CHARACTERS:
            assert metrics.width_pt(character, 2048, style) == nd30.measure(character, 2048, name), (style, character)
        for text in (SUPERIOR, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Ưu tiên ỚỜỞỠỢ"):
            assert metrics.width_pt(text, 13, style) == pytest.approx(nd30.measure(text, 13, name), abs=0.01)


def test_the_chart_is_set_in_times_new_roman_or_liberation_serif():
    nd30.font("Regular")
    assert chart.font_name() in ("Times New Roman", "Liberation Serif")


def test_a_long_name_breaks_between_words_before_a_place_and_a_given_break_is_kept():
    dated = "An Giang, ngày 01 tháng 12 năm 2026"
    layout = report_docx.header_layout(SUPERIOR, "Ban Quản lý các khu công nghiệp tỉnh An Giang", "Số:", dated)
    assert layout.size == 12 and layout.superior == SUPERIOR_LINES
    assert layout.issuing == ["BAN QUẢN LÝ CÁC", "KHU CÔNG NGHIỆP", "TỈNH AN GIANG"]  # not "KHU CÔNG / NGHIỆP"
    room = layout.left_pt - report_docx.SLACK_PT
    assert all(metrics.width_pt(line, 12, "bold") <= room for line in layout.issuing)
    assert layout.left_pt + layout.right_pt <= report_docx.TEXT_WIDTH_PT + 0.01
    wordy = "ỦY BAN NHÂN DÂN TỈNH AN GIANG VÀ CÁC CƠ QUAN CHUYÊN MÔN THUỘC ỦY BAN NHÂN DÂN TỈNH"
    lines = report_docx.header_layout(wordy, "BAN", "Số:", dated).superior
    assert " ".join(lines) == wordy and all(metrics.width_pt(line, 12) <= room for line in lines)
    given = report_docx.header_layout("Ủy ban nhân dân\ntỉnh An Giang", "BAN QUẢN LÝ KHU KINH TẾ", "Số:", dated)
    assert given.superior == ["ỦY BAN NHÂN DÂN", "TỈNH AN GIANG"] and given.size == 13
    # A unit's name never breaks inside a word of two syllables (desk trial 2: "PHÒNG QUẢN LÝ QUY / HOẠCH").
    unit = report_docx.header_layout("Ban Quản lý Khu kinh tế", "Phòng Quản lý Quy hoạch và Xây dựng", "Số:", dated)
    assert unit.issuing == ["PHÒNG QUẢN LÝ QUY HOẠCH", "VÀ XÂY DỰNG"]
    # And a name never almost touches the Quốc hiệu beside it (desk trial 2: "AN GIANG CỘNG HÒA"): the texts are
    # centred in their columns, so the space between them is half of what their row leaves free.
    for layout in (unit, report_docx.header_layout(SUPERIOR, "BAN QUẢN LÝ KHU KINH TẾ", "Số:", dated)):
        free = (
            report_docx.TEXT_WIDTH_PT
            - metrics.width_pt(layout.superior[0], layout.size)
            - metrics.width_pt(QUOC_HIEU, layout.size, "bold")
        )
        assert free / 2 >= GAP_PT


# --- rendered by LibreOffice -------------------------------------------------------------------------


def _stranded(pages: list[list[str]]) -> list[tuple[int, str]]:
    """Pages that end with a table's header row (every one starts with "STT"), or with a caption or heading
    whose table starts on the next page."""
    out = []
    for number, lines in enumerate(pages, start=1):
        last = lines[-1]
        if (
            last.startswith("STT")
            or re.match(r"Bảng \d+\.", last)
            or (len(lines) > 1 and re.match(r"Bảng \d+\.", lines[-2]))
        ):
            out.append((number, last))
    return out


def test_rendered_by_libreoffice_page_by_page(laid_out, tmp_path):
    _, out = laid_out
    (pdf,) = nd30.to_pdf([out], tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    pages = nd30.pages(pdf)
    assert 6 <= len(pages) <= 20, f"{len(pages)} pages"  # the report, then the annex of its 73 cases
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == len(pages)

    # Page numbers at the top from page 2; none on page 1.
    assert not pages[0][0].isdigit()
    assert [lines[0] for lines in pages[1:]] == [str(n) for n in range(2, len(pages) + 1)]

    # The first page: the names and the Quốc hiệu each on one line, the period of the trích yếu whole.
    first = "\n".join(pages[0])
    assert re.search(r"^ỦY BAN NHÂN DÂN\s{3,}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$", first, re.MULTILINE)
    assert re.search(r"^TỈNH AN GIANG\s+Độc lập - Tự do - Hạnh phúc$", first, re.MULTILINE)
    assert re.search(r"^BAN QUẢN LÝ KHU KINH TẾ$", first, re.MULTILINE)
    assert "6 tháng cuối năm 2026" in first

    # The table of late cases runs over pages: its header row opens the next page again.
    repeated = [n for n, lines in enumerate(pages[1:], start=2) if lines[1].startswith("STT")]
    assert repeated, "no page starts with a repeated header row"
    assert _stranded(pages) == []

    # The recipients and the signature close the report's last page, together; the annex of cases follows.
    (closing,) = [n for n, lines in enumerate(pages) if "Nơi nhận:" in "\n".join(lines)]
    last = "\n".join(pages[closing])
    assert "Nguyễn Văn Ký" in last and "PHÓ TRƯỞNG BAN" in last
    assert [line for line in pages[closing] if line.startswith("Nơi nhận:")] != pages[closing][1:2]  # never alone
    annex = "\n".join("\n".join(lines) for lines in pages[closing + 1 :])
    assert pages[closing + 1][1] == "PHỤ LỤC" and annex.count("Kỳ trước chuyển sang") + annex.count("Tiếp nhận") >= 73

    # Only Times New Roman's metric twin is used: no fallback font for a missing Vietnamese letter.
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all("LiberationSerif" in line or "TimesNewRoman" in line for line in fonts), fonts


def test_no_table_header_is_left_alone_at_the_bottom_of_a_page_whatever_comes_before(laid_out, tmp_path):
    """The same report with 0, 1, 2... more lines of activities before the tables, so that each table
    starts at every height of a page in turn: none leaves its caption or header row alone."""
    env, _ = laid_out
    work = tmp_path / "desk"
    import shutil

    shutil.copytree(data_dir(env), work, ignore=shutil.ignore_patterns(".lock"))
    desk = open_desk(work)
    settings = settings_module.load(work)
    period = half_year.half_year("2026-H2", settings)
    documents = []
    for extra in range(20):
        if extra:
            activities.add(
                desk.db, task=1, kind="training", held_on=date(2026, 8, 1), what=f"Tập huấn lần {extra}",
                people=10, unit="Văn phòng Ban", who="test",
            )  # fmt: skip
        figures = half_year.compute(desk.db, settings, period, date(2026, 12, 1))
        the = content.frame(figures, settings.report, settings.units, date(2026, 12, 1))
        blocks = content.body(figures, settings.report, the, content.Texts())
        documents.append(tmp_path / f"r{extra:02d}.docx")
        report_docx.write(documents[-1], the, blocks, chart.png(figures))
    desk.db.close()
    stranded = {pdf.stem: _stranded(nd30.pages(pdf)) for pdf in nd30.to_pdf(documents, tmp_path)}
    assert {name: found for name, found in stranded.items() if found} == {}
