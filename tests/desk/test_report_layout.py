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
from office.register import activities
from office.register.desk import open_desk
from office.reports import chart, content, half_year, metrics
from office.reports import docx as report_docx
from office.workflow import settings as settings_module
from tests.conftest import IN_CI, require_tool
from tests.desk.conftest import add, data_dir, office

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
SUPERIOR = "ỦY BAN NHÂN DÂN TỈNH AN GIANG"
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
TWIPS_PER_PT = 20


def _font(style: str) -> Path:
    path = FONT_DIR / f"LiberationSerif-{style}.ttf"
    if not path.is_file():
        message = f"{path} is missing (apt-get install fonts-liberation2); scripts/setup.sh installs it"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def _measure(text: str, size: float, style: str = "Regular") -> float:
    """The width of a line as the font file says, independently of office/reports/metrics.py."""
    from fontTools.ttLib import TTFont

    font = TTFont(_font(style))
    cmap, advances = font.getBestCmap(), font["hmtx"]
    return sum(advances[cmap[ord(c)]][0] for c in text) * size / font["head"].unitsPerEm


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


def _rules(container) -> list:
    """The paragraphs drawn as a line: an empty paragraph with a top border."""
    return [p for p in container.paragraphs if not p.text and p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None]


def _rule_length_pt(paragraph, within_pt: float) -> float:
    indent = paragraph.paragraph_format
    return within_pt - indent.left_indent.pt - indent.right_indent.pt


def _cell_width_pt(cell) -> float:
    return cell.width.pt


def test_the_header_lines_are_drawn_to_the_rule_and_the_names_fit(laid_out):
    _, out = laid_out
    document = Document(str(out))
    header = document.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    text_width = report_docx.TEXT_WIDTH_PT

    # Inside the margins: the two columns together are no wider than the text, and start at the margin.
    properties = header._tbl.tblPr
    assert int(properties.find(qn("w:tblW")).get(qn("w:w"))) <= round(text_width * TWIPS_PER_PT)
    assert properties.find(qn("w:tblInd")).get(qn("w:w")) == "0"
    assert _cell_width_pt(left) + _cell_width_pt(right) <= text_width + 0.1
    assert [c.get(qn("w:w")) for c in properties.find(qn("w:tblCellMar"))] == ["0", "0"]

    # ỦY BAN NHÂN DÂN TỈNH AN GIANG on one line: one paragraph, narrower than its column in the real font.
    names = [p for p in left.paragraphs if p.text]
    assert [p.text for p in names] == [SUPERIOR, "BAN QUẢN LÝ KHU KINH TẾ"]
    size = names[0].runs[0].font.size.pt
    assert size in (12, 13) and not names[0].runs[0].bold and names[1].runs[0].bold
    assert _measure(SUPERIOR, size) < _cell_width_pt(left)
    quoc_hieu, tieu_ngu = (p for p in right.paragraphs if p.text)
    assert quoc_hieu.runs[0].font.size.pt == size and tieu_ngu.runs[0].font.size.pt == size + 1
    assert _measure(quoc_hieu.text, size, "Bold") < _cell_width_pt(right)

    # The line under the Tiêu ngữ is as long as its text; under the agency's name, a third to a half of it.
    (agency_line,) = _rules(left)
    (tieu_ngu_line,) = _rules(right)
    assert _rule_length_pt(tieu_ngu_line, _cell_width_pt(right)) == pytest.approx(
        _measure(tieu_ngu.text, size + 1, "Bold"), abs=0.5
    )
    agency = _measure(names[1].text, size, "Bold")
    assert agency / 3 <= _rule_length_pt(agency_line, _cell_width_pt(left)) <= agency / 2
    for line in (agency_line, tieu_ngu_line):
        top = line._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}")
        assert top.get(qn("w:val")) == "single"
        assert line._p.getprevious() is not None and line._p.getprevious().xpath("string(.)")  # right under text

    # The line under the trích yếu: a third to a half of the subject's width, centred under it.
    paragraphs = document.paragraphs
    title = next(n for n, p in enumerate(paragraphs) if p.text == "BÁO CÁO")
    subject, line = paragraphs[title + 1], paragraphs[title + 2]
    assert line._p in [rule._p for rule in _rules(document)]
    width = min(_measure(subject.text, subject.runs[0].font.size.pt, "Bold"), text_width)
    assert width / 3 <= _rule_length_pt(line, text_width) <= width / 2
    assert line.paragraph_format.left_indent.pt == pytest.approx(line.paragraph_format.right_indent.pt, abs=0.1)


def test_tables_repeat_their_header_row_and_keep_rows_and_captions_together(laid_out):
    _, out = laid_out
    document = Document(str(out))
    body_tables = document.tables[1:-1]
    assert len(body_tables) >= 8
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
            assert metrics.width_pt(character, 2048, style) == _measure(character, 2048, name), (style, character)
        for text in (SUPERIOR, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Ưu tiên ỚỜỞỠỢ"):
            assert metrics.width_pt(text, 13, style) == pytest.approx(_measure(text, 13, name), abs=0.01)


def test_the_chart_is_set_in_times_new_roman_or_liberation_serif():
    _font("Regular")
    assert chart.font_name() in ("Times New Roman", "Liberation Serif")


def test_a_long_name_breaks_between_words_before_a_place_and_a_given_break_is_kept():
    dated = "An Giang, ngày 01 tháng 12 năm 2026"
    layout = report_docx.header_layout(SUPERIOR, "Ban Quản lý các khu công nghiệp tỉnh An Giang", "Số:", dated)
    assert layout.size == 12 and layout.superior == [SUPERIOR]
    assert layout.issuing == ["BAN QUẢN LÝ CÁC", "KHU CÔNG NGHIỆP", "TỈNH AN GIANG"]  # not "KHU CÔNG / NGHIỆP"
    room = layout.left_pt - report_docx.SLACK_PT
    assert all(metrics.width_pt(line, 12, "bold") <= room for line in layout.issuing)
    assert layout.left_pt + layout.right_pt <= report_docx.TEXT_WIDTH_PT + 0.01
    wordy = "ỦY BAN NHÂN DÂN TỈNH AN GIANG VÀ CÁC CƠ QUAN CHUYÊN MÔN THUỘC ỦY BAN NHÂN DÂN TỈNH"
    lines = report_docx.header_layout(wordy, "BAN", "Số:", dated).superior
    assert " ".join(lines) == wordy and all(metrics.width_pt(line, 12) <= room for line in lines)
    given = report_docx.header_layout("Ủy ban nhân dân\ntỉnh An Giang", "BAN QUẢN LÝ KHU KINH TẾ", "Số:", dated)
    assert given.superior == ["ỦY BAN NHÂN DÂN", "TỈNH AN GIANG"] and given.size == 13


# --- rendered by LibreOffice -------------------------------------------------------------------------


def _to_pdf(documents: list[Path], out: Path) -> list[Path]:
    """Convert with LibreOffice Writer in one run, with a profile of its own (tests may run side by side)."""
    soffice = require_tool("soffice")
    require_tool("pdftotext")
    profile = out / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, documents)],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    pdfs = [out / f"{document.stem}.pdf" for document in documents]
    assert all(pdf.is_file() for pdf in pdfs), "LibreOffice did not convert every document"
    return pdfs


def _pages(pdf: Path) -> list[list[str]]:
    """The non-empty lines of each page, as laid out on the page."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")[:-1]]


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
    (pdf,) = _to_pdf([out], tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    pages = _pages(pdf)
    assert 4 <= len(pages) <= 9, f"{len(pages)} pages"
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == len(pages)

    # Page numbers at the top from page 2; none on page 1.
    assert not pages[0][0].isdigit()
    assert [lines[0] for lines in pages[1:]] == [str(n) for n in range(2, len(pages) + 1)]

    # The first page: the names and the Quốc hiệu each on one line, the period of the trích yếu whole.
    first = "\n".join(pages[0])
    assert re.search(rf"^{SUPERIOR}\s+CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$", first, re.MULTILINE)
    assert re.search(r"^BAN QUẢN LÝ KHU KINH TẾ\s+Độc lập - Tự do - Hạnh phúc$", first, re.MULTILINE)
    assert "6 tháng cuối năm 2026" in first

    # The table of late cases runs over pages: its header row opens the next page again.
    repeated = [n for n, lines in enumerate(pages[1:], start=2) if lines[1].startswith("STT")]
    assert repeated, "no page starts with a repeated header row"
    assert _stranded(pages) == []

    # The recipients and the signature close the last page, together.
    last = "\n".join(pages[-1])
    assert "Nơi nhận:" in last and "Nguyễn Văn Ký" in last and "PHÓ TRƯỞNG BAN" in last
    assert not any("Nơi nhận:" in "\n".join(lines) for lines in pages[:-1])

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
    stranded = {pdf.stem: _stranded(_pages(pdf)) for pdf in _to_pdf(documents, tmp_path)}
    assert {name: found for name, found in stranded.items() if found} == {}
