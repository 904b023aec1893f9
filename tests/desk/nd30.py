"""Checks of the Board's document layout (Nghị định 30/2020), shared by the report's and the notices' tests.

A document is read with python-docx (the header block's table, its lines against Times New Roman's
widths as the installed Liberation Serif 2 gives them) and rendered to PDF by LibreOffice Writer,
read page by page with pdftotext (poppler). In CI (CI=true) a missing tool or font is a failure.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from office import layout
from tests.conftest import IN_CI, require_tool

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
TWIPS_PER_PT = 20


def font(style: str) -> Path:
    path = FONT_DIR / f"LiberationSerif-{style}.ttf"
    if not path.is_file():
        message = f"{path} is missing (apt-get install fonts-liberation2); scripts/setup.sh installs it"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def measure(text: str, size: float, style: str = "Regular") -> float:
    """The width of a line as the font file says, independently of office/reports/metrics.py."""
    from fontTools.ttLib import TTFont

    loaded = TTFont(font(style))
    cmap, advances = loaded.getBestCmap(), loaded["hmtx"]
    return sum(advances[cmap[ord(c)]][0] for c in text) * size / loaded["head"].unitsPerEm


def rules(container) -> list:
    """The paragraphs drawn as a line: an empty paragraph with a top border."""
    return [p for p in container.paragraphs if not p.text and p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None]


def rule_length_pt(paragraph, within_pt: float) -> float:
    indent = paragraph.paragraph_format
    return within_pt - indent.left_indent.pt - indent.right_indent.pt


def assert_header(document, names: list[str], kind: str) -> None:
    """The header block as ND30 lays it out, the lines drawn to the rule, every name on its own line, whole; the
    type of document and its trích yếu with the short line under it."""
    header = document.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    text_width = layout.TEXT_WIDTH_PT

    # Inside the margins: the two columns together are no wider than the text, and start at the margin.
    properties = header._tbl.tblPr
    assert int(properties.find(qn("w:tblW")).get(qn("w:w"))) <= round(text_width * TWIPS_PER_PT)
    assert properties.find(qn("w:tblInd")).get(qn("w:w")) == "0"
    assert left.width.pt + right.width.pt <= text_width + 0.1
    assert [c.get(qn("w:w")) for c in properties.find(qn("w:tblCellMar"))] == ["0", "0"]

    # The superior body (upright) over the issuing body (bold), each line narrower than its column.
    lines = [p for p in left.paragraphs if p.text]
    assert [p.text for p in lines] == names
    size = lines[0].runs[0].font.size.pt
    assert size in (12, 13) and not lines[0].runs[0].bold and lines[-1].runs[0].bold
    assert all(measure(p.text, size, "Bold" if p.runs[0].bold else "Regular") < left.width.pt for p in lines)
    quoc_hieu, tieu_ngu = (p for p in right.paragraphs if p.text)
    assert quoc_hieu.text == layout.QUOC_HIEU and tieu_ngu.text == layout.TIEU_NGU
    assert quoc_hieu.runs[0].font.size.pt == size and tieu_ngu.runs[0].font.size.pt == size + 1
    assert measure(quoc_hieu.text, size, "Bold") < right.width.pt

    # The line under the Tiêu ngữ is as long as its text; under the agency's name, a third to a half of it.
    (agency_line,) = rules(left)
    (tieu_ngu_line,) = rules(right)
    assert rule_length_pt(tieu_ngu_line, right.width.pt) == pytest.approx(
        measure(tieu_ngu.text, size + 1, "Bold"), abs=0.5
    )
    agency = measure(lines[-1].text, size, "Bold")
    assert agency / 3 <= rule_length_pt(agency_line, left.width.pt) <= agency / 2
    for line in (agency_line, tieu_ngu_line):
        top = line._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}")
        assert top.get(qn("w:val")) == "single"
        assert line._p.getprevious() is not None and line._p.getprevious().xpath("string(.)")  # right under text

    # The number and the place and date, the year filled in.
    number, dated = header.cell(1, 0).text, header.cell(1, 1).text
    assert number.startswith("Số:") and "[" not in number.split("/")[0]
    assert re.search(r"ngày .* tháng .* năm \d{4}$", dated), dated

    # The type of document, its trích yếu, and the line under it: a third to a half of the subject's width.
    paragraphs = document.paragraphs
    title = next(n for n, p in enumerate(paragraphs) if p.text == kind)
    subject, line = paragraphs[title + 1], paragraphs[title + 2]
    assert line._p in [rule._p for rule in rules(document)]
    width = min(measure(subject.text, subject.runs[0].font.size.pt, "Bold"), text_width)
    assert width / 3 <= rule_length_pt(line, text_width) <= width / 2
    assert line.paragraph_format.left_indent.pt == pytest.approx(line.paragraph_format.right_indent.pt, abs=0.1)


def to_pdf(documents: list[Path], out: Path) -> list[Path]:
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


def pages(pdf: Path) -> list[list[str]]:
    """The non-empty lines of each page, as laid out on the page."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")[:-1]]
