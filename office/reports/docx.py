"""The half-year report as a Word document, laid out as a Vietnamese administrative report.

The layout follows Nghị định 30/2020/NĐ-CP, Phụ lục I, as far as the project's
legal research verified it (LEGAL_FACTS.md §6): A4 portrait; margins within
the ranges (top and bottom 20 mm, left 30 mm, right 15 mm); Times New Roman;
the header block with the superior body (upright) over the issuing body
(bold) on the left, the Quốc hiệu (capitals, bold) and Tiêu ngữ (bold, one
size larger) on the right; "Số: …/BC-…" to fill in; place and date in
italics; the type of document "BÁO CÁO" and the subject in bold; the body in
14; page numbers at the top centre from page 2; "Nơi nhận" at the lower left;
the signature block at the lower right.

The lines of the header are drawn as paragraph borders of a measured length
(``metrics``): under the Tiêu ngữ as long as its text; under the issuing
body and under the trích yếu a short line of 40% of the text above it (the
commonly cited rule is one third to one half; its exact wording in Phụ lục I
is not in LEGAL_FACTS.md). The header block fits inside the margins: it is
set in 13 pt when the names and the Quốc hiệu fit side by side on one line
each, else in 12 pt (the lower end of the 12–13 range, with the Tiêu ngữ in
13); a name that still does not fit breaks between words, before a place
word such as "TỈNH" where it can, or where the Office put a line break in
settings.toml.

Tables repeat their header row on each page, never split a row, and keep
their caption and header row with the first row; headings keep with what
follows. What the research did not verify (the Nơi nhận and signature sizes,
the "BC" abbreviation, the superior body's name, the place name) comes from
the settings, where it is a placeholder until the Office fills it in. Table
text is 12 pt: a choice of this tool, not a legal rule.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from ..layout import (  # noqa: F401  (the layout's names, as the report's tests and callers know them)
    BODY_PT,
    NUMBER_PT,
    PPR_ORDER,
    SHORT_LINE,
    SLACK_PT,
    TABLE_PT,
    TEXT_WIDTH_PT,
    W_NAMESPACE,
    Letterhead,
    Signature,
    child,
    date_line,
    edge,
    finish_package,
    header_block,
    header_layout,
    page_setup,
    paragraph,
    rule,
    set_fonts,
    signature_block,
    xml_safe,
)
from .content import Annex, Block, Chart, Frame, Heading, Paragraph, Table
from .metrics import width_pt

PROVISIONAL = "SỐ LIỆU TẠM TÍNH"
SHORT_TABLE_ROWS = 12  # a table of at most this many rows is kept on one page
LANDSCAPE_TEXT_WIDTH_CM = 25.2  # the annex: 297 mm less the 30 and 15 mm margins


def keep_together(text: str) -> str:
    """The period at the end of the trích yếu ("6 tháng cuối năm 2026") never breaks across two lines."""
    for label in ("6 tháng đầu năm ", "6 tháng cuối năm "):
        at = text.find(label)
        if at >= 0:
            end = at + len(label) + 4
            return text[:at] + text[at:end].replace(" ", "\u00a0") + text[end:]
    return text


# --- the document ---------------------------------------------------------------------------------


def write(path: Path | BinaryIO, the: Frame, blocks: list[Block], chart_png: bytes, annex: Annex | None = None) -> None:
    """Write the report to ``path`` (the caller makes it atomic), or to a binary stream."""
    from docx import Document

    document = Document()
    page_setup(document)
    if the.provisional:
        _stamp(document)
    header_block(
        document, Letterhead(the.superior_body, the.issuing_body, the.number, date_line(the.place, the.issued))
    )
    _title(document, the)
    for block in blocks:
        _block(document, block, chart_png)
    signature_block(document, Signature(the.recipients, the.signature_lines, the.signer))
    if annex is not None:
        _annex(document, annex)
    finish_package(document, title=f"{the.title} {the.subject}", author=the.issuing_body)
    document.save(path)


def _stamp(document) -> None:
    """SỐ LIỆU TẠM TÍNH at the top right of every page, the first one too."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    section = document.sections[0]
    for header in (section.header, section.first_page_header):
        stamp = header.add_paragraph() if header is section.header else header.paragraphs[0]
        stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        stamp_run = stamp.add_run(PROVISIONAL)
        stamp_run.bold = True
        stamp_run.font.size = Pt(NUMBER_PT)


def _title(document, the: Frame) -> None:
    from docx.shared import Pt

    paragraph(document, "", after=6)
    paragraph(document, the.title.upper(), bold=True, align="center", after=0, keep_with_next=True)
    subject = " ".join(the.subject.split())
    paragraph(document, keep_together(subject), bold=True, align="center", after=0, keep_with_next=True)
    rule(document, SHORT_LINE * min(width_pt(subject, BODY_PT, "bold"), TEXT_WIDTH_PT), TEXT_WIDTH_PT, after=12)
    if the.provisional:
        stamp = paragraph(document, PROVISIONAL, bold=True, align="center", after=12)
        borders = child(stamp._p.get_or_add_pPr(), "pBdr", PPR_ORDER)
        for side in ("top", "left", "bottom", "right"):
            borders.append(edge(side, 1.0, 2))
        inset = (TEXT_WIDTH_PT - width_pt(PROVISIONAL, BODY_PT, "bold")) / 2 - 12
        stamp.paragraph_format.left_indent = stamp.paragraph_format.right_indent = Pt(max(inset, 0))


def _annex(document, annex: Annex) -> None:
    """The list of cases after the signature, in a landscape section of its own (Phụ lục I, Mục I.2: a
    document's tables may be set along the page's width)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.different_first_page_header_footer = False
    paragraph(document, annex.title, bold=True, align="center", after=0, keep_with_next=True)
    for line in annex.subtitle.split("\n"):
        paragraph(document, line, bold=line.isupper(), italic=not line.isupper(), align="center", after=0)
    paragraph(document, "", after=6)
    _table(document, Table("", annex.header, annex.rows, annex.widths_cm), size=TABLE_PT - 2)
    paragraph(document, annex.note, size=TABLE_PT, italic=True, align="justify")


def _block(document, block: Block, chart_png: bytes) -> None:
    if isinstance(block, Heading):
        paragraph(document, block.text, bold=True, align="justify", indent=True, keep_with_next=True)
    elif isinstance(block, Paragraph):
        # A sentence that ends with ":" introduces what follows (a table, the chart): keep them together.
        text = block.text
        paragraph(document, text, align="justify", indent=True, keep_with_next=text.endswith(":"))
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Chart):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        document.add_picture(io.BytesIO(chart_png), width=Cm(15.5))
        picture = document.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True  # with its caption
        paragraph(document, block.caption, size=TABLE_PT + 1, italic=True, align="center")


def _table(document, block: Table, size: int = TABLE_PT) -> None:
    """A table with a repeated header row, rows never split, the header kept with the first row.

    The rows are written as WordprocessingML directly: a list of late cases has a
    hundred rows, and building each cell through python-docx's objects took most
    of the report's time.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.shared import Cm

    if block.caption:
        paragraph(document, block.caption, size=TABLE_PT + 1, italic=True, align="center", after=3, keep_with_next=True)
    table = document.add_table(rows=0, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, block.widths_cm, strict=True):
        column.width = Cm(width)
    widths = [round(Cm(width).twips) for width in block.widths_cm]
    short = len(block.rows) <= SHORT_TABLE_ROWS
    rows = []
    for index, row in enumerate([block.header, *block.rows]):
        header, last = index == 0, index == len(block.rows)
        cells = "".join(
            _cell_xml(
                text,
                width,
                size=size,
                # The header row goes with the first row; a short table stays whole on one page.
                keep_with_next=header or (short and not last),
                centred=header or column == 0 or _numeric(text),
                bold=header or (block.total_row and last),
            )
            for column, (text, width) in enumerate(zip(row, widths, strict=True))
        )
        properties = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
        rows.append(f"<w:tr><w:trPr>{properties}</w:trPr>{cells}</w:tr>")
    # parse_xml needs the namespace declared; the rows are then moved into the real table.
    holder = parse_xml(f'<w:tbl xmlns:w="{W_NAMESPACE}">{"".join(rows)}</w:tbl>')
    for row in list(holder):
        table._tbl.append(row)
    paragraph(document, "", after=3)


def _cell_xml(text: str, width: int, *, size: int, keep_with_next: bool, centred: bool, bold: bool) -> str:
    """One cell: its width, one paragraph (no space after), one run of table-size text."""
    properties = ("<w:keepNext/>" if keep_with_next else "") + '<w:spacing w:after="0"/>'
    properties += '<w:jc w:val="center"/>' if centred else ""
    run = ""
    if text:
        bold_xml = "<w:b/>" if bold else ""
        run = (
            f'<w:r><w:rPr>{bold_xml}<w:sz w:val="{size * 2}"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t></w:r>'
        )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>{properties}</w:pPr>{run}</w:p></w:tc>'
    )


def _numeric(text: str) -> bool:
    """Counts, shares and dates are centred in their columns."""
    return bool(text) and all(c.isdigit() or c in ",%/-" for c in text)
