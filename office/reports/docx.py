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
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import combinations, pairwise
from pathlib import Path
from xml.sax.saxutils import escape

from ..safe_text import for_document as xml_safe
from .content import Block, Chart, Frame, Heading, Paragraph, Table
from .metrics import width_pt

BODY_PT = 14
NUMBER_PT = 13
TABLE_PT = 12
FONT = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
PROVISIONAL = "SỐ LIỆU TẠM TÍNH"

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_PT = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72
SLACK_PT = 4.0  # room kept on a line that must not wrap, against rounding in the word processor
SHORT_LINE = 0.4  # a short line is 40% of the text above it
RULE_PT = 0.75  # the lines' thickness (w:sz is in eighths of a point)
SHORT_TABLE_ROWS = 12  # a table of at most this many rows is kept on one page
RULE_GAP_PT = 3  # between the text and the line under it, clear of the descenders

MAX_WORDS_TO_ARRANGE = 24  # longer names are filled line by line (the arrangements grow too many)
# A long name breaks before one of these words, so that a place stays whole ("TỈNH AN GIANG").
BREAK_BEFORE = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "KHU")


def date_line(place: str, day: date) -> str:
    """ "An Giang, ngày 05 tháng 7 năm 2026": days below 10 and months 1 and 2 take a leading zero (§6.6)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def keep_together(text: str) -> str:
    """The period at the end of the trích yếu ("6 tháng cuối năm 2026") never breaks across two lines."""
    for label in ("6 tháng đầu năm ", "6 tháng cuối năm "):
        at = text.find(label)
        if at >= 0:
            end = at + len(label) + 4
            return text[:at] + text[at:end].replace(" ", "\u00a0") + text[end:]
    return text


# --- the header block's layout -----------------------------------------------------------------


@dataclass(frozen=True)
class HeaderLayout:
    size: int  # of the Quốc hiệu and the names; the Tiêu ngữ and the date are one point larger
    left_pt: float
    right_pt: float
    superior: list[str]
    issuing: list[str]

    @property
    def tieu_ngu_pt(self) -> float:
        return width_pt(TIEU_NGU, self.size + 1, "bold")

    @property
    def agency_line_pt(self) -> float:
        return SHORT_LINE * max(width_pt(line, self.size, "bold") for line in self.issuing)


def header_layout(superior: str, issuing: str, number: str, dated: str) -> HeaderLayout:
    """Sizes and column widths that keep the header inside the margins and every name line whole."""
    superior_lines = _given_lines(superior)
    issuing_lines = _given_lines(issuing)
    for size in (13, 12):
        right = max(
            width_pt(QUOC_HIEU, size, "bold"),
            width_pt(TIEU_NGU, size + 1, "bold"),
            width_pt(dated, size + 1, "italic"),
        )
        left = max(
            *(width_pt(line, size) for line in superior_lines),
            *(width_pt(line, size, "bold") for line in issuing_lines),
            width_pt(number, NUMBER_PT),
        )
        spare = TEXT_WIDTH_PT - (left + SLACK_PT) - (right + SLACK_PT)
        if spare >= 0:
            return HeaderLayout(
                size, left + SLACK_PT + spare / 2, right + SLACK_PT + spare / 2, superior_lines, issuing_lines
            )
    size = 12
    right = max(width_pt(QUOC_HIEU, size, "bold"), width_pt(TIEU_NGU, size + 1, "bold")) + SLACK_PT
    left = TEXT_WIDTH_PT - right
    room = left - SLACK_PT
    return HeaderLayout(
        size,
        left,
        right,
        [part for line in superior_lines for part in _fit(line, room, size, "regular")],
        [part for line in issuing_lines for part in _fit(line, room, size, "bold")],
    )


def _given_lines(name: str) -> list[str]:
    """A name as the Office wrote it, in capitals; a line break in settings.toml is kept."""
    return [" ".join(line.split()).upper() for line in name.splitlines() if line.strip()] or [""]


def _fit(line: str, room: float, size: int, style: str) -> list[str]:
    """Break a name that is too long for its column between words, never inside one.

    Breaks before a place word ("... / TỈNH AN GIANG") come first, even at the
    cost of a line more; then the fewest lines; then the most even ones.
    """
    if width_pt(line, size, style) <= room:
        return [line]
    words = line.split()
    if len(words) > MAX_WORDS_TO_ARRANGE:
        return _fill(words, room, size, style)
    best: tuple[tuple[int, int, float], list[str]] | None = None
    for count in range(2, min(len(words), 5) + 1):
        for cuts in combinations(range(1, len(words)), count - 1):
            lines = [" ".join(words[a:b]) for a, b in pairwise((0, *cuts, len(words)))]
            widest = max(width_pt(text, size, style) for text in lines)
            if widest > room:
                continue
            elsewhere = sum(not any(text == w or text.startswith(w + " ") for w in BREAK_BEFORE) for text in lines[1:])
            key = (elsewhere, count, widest)
            if best is None or key < best[0]:
                best = (key, lines)
    return best[1] if best is not None else _fill(words, room, size, style)


def _fill(words: list[str], room: float, size: int, style: str) -> list[str]:
    """Fill each line in turn: for a name too long to arrange, or with a word wider than the column."""
    lines, current = [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if current and width_pt(trial, size, style) > room:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current]


# --- the document ---------------------------------------------------------------------------------


def write(path: Path, the: Frame, blocks: list[Block], chart_png: bytes) -> None:
    """Write the report to ``path`` (the caller makes it atomic)."""
    from docx import Document

    document = Document()
    _page_setup(document, the.provisional)
    _header_block(document, the)
    _title(document, the)
    for block in blocks:
        _block(document, block, chart_png)
    _closing(document, the)
    finish_package(document, title=f"{the.title} {the.subject}", author=the.issuing_body)
    document.save(path)


def finish_package(document, *, title: str, author: str) -> None:
    """Properties that say what the document is, and nothing left over from python-docx's template.

    The template would say it was written by "python-docx" in 2013 with Microsoft
    Word for the Mac, and carry its thumbnail and sample parts. The title is the
    document's own; the author is the body that issues it (never a person).
    """
    properties = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    for name in ("comments", "keywords", "category", "subject", "identifier", "content_status", "version"):
        setattr(properties, name, "")
    properties.title = " ".join(title.split())
    properties.author = properties.last_modified_by = " ".join(author.split())
    properties.created = properties.modified = now
    properties.revision = 1
    properties.language = "vi-VN"
    _drop_relationships(document.part.package.rels, ("thumbnail", "extended-properties"))
    _drop_relationships(document.part.rels, ("customXml", "stylesWithEffects"))


def _drop_relationships(rels, kinds: tuple[str, ...]) -> None:
    """Unlink template parts; python-docx writes only the parts still reachable."""
    for key, relationship in list(rels.items()):
        if relationship.reltype.rsplit("/", 1)[-1] in kinds:
            rels.pop(key)


# Word refuses a document whose property elements are out of the schema's order; python-docx keeps
# the order only for the elements it knows, so the others are placed with these sequences.
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
    "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange"
).split()
TRPR_ORDER = (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden "
    "ins del trPrChange"
).split()


def child(parent, tag: str, order: list[str], **attributes: str):
    """The child ``w:tag`` of ``parent`` (made, in its place in ``order``, if missing), with attributes set."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = parent.find(qn(f"w:{tag}"))
    if element is None:
        element = OxmlElement(f"w:{tag}")
        later = {qn(f"w:{name}") for name in order[order.index(tag) + 1 :]}
        successor = next((sibling for sibling in parent if sibling.tag in later), None)
        if successor is None:
            parent.append(element)
        else:
            successor.addprevious(element)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


# --- page, fonts ------------------------------------------------------------------------------


def set_fonts(element) -> None:
    """Times New Roman for every script, including the one Word uses for Vietnamese (cs, eastAsia)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]  # a theme font would win over the explicit one
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{script}"), FONT)


def _page_setup(document, provisional: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None:
            for attribute in list(fonts.attrib):
                del fonts.attrib[attribute]
            for script in ("ascii", "hAnsi", "cs", "eastAsia"):
                fonts.set(qn(f"w:{script}"), FONT)
        if rpr is not None:
            language = rpr.find(qn("w:lang"))
            if language is None:
                language = OxmlElement("w:lang")
                rpr.append(language)
            language.set(qn("w:val"), "vi-VN")  # spelling and hyphenation in Vietnamese
    # Page numbers at the top centre, not on the first page (Phụ lục I, Mục I.7).
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(BODY_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
        else:
            field = OxmlElement("w:instrText")
            field.set(qn("xml:space"), "preserve")
            field.text = text
        run._r.append(field)
    if provisional:  # on every page, the first one too
        for header in (section.header, section.first_page_header):
            stamp = header.add_paragraph() if header is section.header else header.paragraphs[0]
            stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            stamp_run = stamp.add_run(PROVISIONAL)
            stamp_run.bold = True
            stamp_run.font.size = Pt(NUMBER_PT)


def _paragraph(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: str = "left",
    after: float = 6,
    indent: bool = False,
    keep_with_next: bool = False,
):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    paragraph.paragraph_format.space_after = Pt(after)
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if text:
        run = paragraph.add_run(xml_safe(text))
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
    return paragraph


def rule(container, length_pt: float, within_pt: float, *, after: float = 0) -> None:
    """A horizontal line of ``length_pt``, centred in a width of ``within_pt``: the top border of an
    empty paragraph whose indents leave exactly that length (Word and LibreOffice draw a border
    from one indent to the other)."""
    from docx.shared import Pt

    paragraph = container.add_paragraph()
    side = max((within_pt - length_pt) / 2, 0)
    paragraph_format = paragraph.paragraph_format
    paragraph_format.left_indent = paragraph_format.right_indent = Pt(side)
    paragraph_format.space_before = Pt(RULE_GAP_PT)
    paragraph_format.space_after = Pt(after)
    paragraph_format.line_spacing = Pt(4)
    properties = paragraph._p.get_or_add_pPr()
    borders = child(properties, "pBdr", PPR_ORDER)
    borders.append(_edge("top", RULE_PT, 1))
    # The empty paragraph's own mark is small, so that the line sits close under the text.
    child(child(properties, "rPr", PPR_ORDER), "sz", ["sz"], val="4")


def _edge(side: str, thickness_pt: float, space_pt: int):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    edge = OxmlElement(f"w:{side}")
    for name, value in (("val", "single"), ("sz", str(round(thickness_pt * 8))), ("space", str(space_pt))):
        edge.set(qn(f"w:{name}"), value)
    edge.set(qn("w:color"), "000000")
    return edge


def _fixed_table(document, rows: int, widths_pt: tuple[float, ...]):
    """A borderless layout table of fixed column widths, no cell padding, starting at the left margin."""
    from docx.shared import Pt

    table = document.add_table(rows=rows, cols=len(widths_pt))
    table.autofit = False
    properties = table._tbl.tblPr
    child(properties, "tblW", TBLPR_ORDER, w=str(round(sum(widths_pt) * 20)), type="dxa")
    child(properties, "tblInd", TBLPR_ORDER, w="0", type="dxa")
    child(properties, "tblLayout", TBLPR_ORDER, type="fixed")
    margins = child(properties, "tblCellMar", TBLPR_ORDER)
    for side in ("left", "right"):
        child(margins, side, ["top", "left", "start", "bottom", "right", "end"], w="0", type="dxa")
    for column, width in zip(table.columns, widths_pt, strict=True):
        column.width = Pt(width)  # the grid, which LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, widths_pt, strict=True):
            cell.width = Pt(width)  # and each cell, which Word reads
            cell.paragraphs[0].paragraph_format.space_after = 0
    return table


def _cell_lines(cell, lines: list[tuple[str, float, bool, bool]]) -> None:
    """Fill a cell with centred lines of (text, size, bold, italic)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    first = True
    for text, size, bold, italic in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(xml_safe(text))
        run.font.size = Pt(size)
        run.bold, run.italic = bold, italic


def _keep_row_whole(row) -> None:
    child(row._tr.get_or_add_trPr(), "cantSplit", TRPR_ORDER)


def _repeat_as_header(row) -> None:
    child(row._tr.get_or_add_trPr(), "tblHeader", TRPR_ORDER)


# --- the parts of the document ----------------------------------------------------------------


def _header_block(document, the: Frame) -> None:
    from docx.shared import Pt

    dated = date_line(the.place, the.issued)
    layout = header_layout(the.superior_body, the.issuing_body, the.number, dated)
    table = _fixed_table(document, 2, (layout.left_pt, layout.right_pt))
    left, right = table.cell(0, 0), table.cell(0, 1)
    _cell_lines(
        left,
        [(line, layout.size, False, False) for line in layout.superior]
        + [(line, layout.size, True, False) for line in layout.issuing],
    )
    rule(left, layout.agency_line_pt, layout.left_pt)
    _cell_lines(right, [(QUOC_HIEU, layout.size, True, False), (TIEU_NGU, layout.size + 1, True, False)])
    rule(right, layout.tieu_ngu_pt, layout.right_pt)
    _cell_lines(table.cell(1, 0), [(the.number, NUMBER_PT, False, False)])
    _cell_lines(table.cell(1, 1), [(dated, layout.size + 1, False, True)])
    for cell in (table.cell(1, 0), table.cell(1, 1)):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _title(document, the: Frame) -> None:
    from docx.shared import Pt

    _paragraph(document, "", after=6)
    _paragraph(document, the.title.upper(), bold=True, align="center", after=0, keep_with_next=True)
    subject = " ".join(the.subject.split())
    _paragraph(document, keep_together(subject), bold=True, align="center", after=0, keep_with_next=True)
    rule(document, SHORT_LINE * min(width_pt(subject, BODY_PT, "bold"), TEXT_WIDTH_PT), TEXT_WIDTH_PT, after=12)
    if the.provisional:
        stamp = _paragraph(document, PROVISIONAL, bold=True, align="center", after=12)
        borders = child(stamp._p.get_or_add_pPr(), "pBdr", PPR_ORDER)
        for side in ("top", "left", "bottom", "right"):
            borders.append(_edge(side, 1.0, 2))
        inset = (TEXT_WIDTH_PT - width_pt(PROVISIONAL, BODY_PT, "bold")) / 2 - 12
        stamp.paragraph_format.left_indent = stamp.paragraph_format.right_indent = Pt(max(inset, 0))


def _block(document, block: Block, chart_png: bytes) -> None:
    if isinstance(block, Heading):
        _paragraph(document, block.text, bold=True, align="justify", indent=True, keep_with_next=True)
    elif isinstance(block, Paragraph):
        # A sentence that ends with ":" introduces what follows (a table, the chart): keep them together.
        text = block.text
        _paragraph(document, text, align="justify", indent=True, keep_with_next=text.endswith(":"))
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Chart):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        document.add_picture(io.BytesIO(chart_png), width=Cm(15.5))
        picture = document.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True  # with its caption
        _paragraph(document, block.caption, size=TABLE_PT + 1, italic=True, align="center")


def _table(document, block: Table) -> None:
    """A table with a repeated header row, rows never split, the header kept with the first row.

    The rows are written as WordprocessingML directly: a list of late cases has a
    hundred rows, and building each cell through python-docx's objects took most
    of the report's time.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.shared import Cm

    _paragraph(document, block.caption, size=TABLE_PT + 1, italic=True, align="center", after=3, keep_with_next=True)
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
    holder = parse_xml(f'<w:tbl xmlns:w="{_W}">{"".join(rows)}</w:tbl>')
    for row in list(holder):
        table._tbl.append(row)
    _paragraph(document, "", after=3)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _cell_xml(text: str, width: int, *, keep_with_next: bool, centred: bool, bold: bool) -> str:
    """One cell: its width, one paragraph (no space after), one run of table-size text."""
    paragraph = ("<w:keepNext/>" if keep_with_next else "") + '<w:spacing w:after="0"/>'
    paragraph += '<w:jc w:val="center"/>' if centred else ""
    run = ""
    if text:
        bold_xml = "<w:b/>" if bold else ""
        run = (
            f'<w:r><w:rPr>{bold_xml}<w:sz w:val="{TABLE_PT * 2}"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t></w:r>'
        )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>{paragraph}</w:pPr>{run}</w:p></w:tc>'
    )


def _numeric(text: str) -> bool:
    """Counts, shares and dates are centred in their columns."""
    return bool(text) and all(c.isdigit() or c in ",%/-" for c in text)


def _closing(document, the: Frame) -> None:
    from docx.shared import Pt

    _paragraph(document, "", after=6)
    table = _fixed_table(document, 1, (7.0 / 2.54 * 72, TEXT_WIDTH_PT - 7.0 / 2.54 * 72))
    _keep_row_whole(table.rows[0])  # the recipients and the signature are never split across two pages
    left = table.cell(0, 0)
    paragraph = left.paragraphs[0]
    run = paragraph.add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    for line in the.recipients:
        item = left.add_paragraph()
        item.paragraph_format.space_after = Pt(0)
        text = line if line.startswith("-") else f"- {line}"
        item.add_run(xml_safe(text)).font.size = Pt(11)
    lines = [(line.upper(), BODY_PT, True, False) for line in the.signature_lines]
    lines += [("", BODY_PT, False, False)] * 4 + [(the.signer, BODY_PT, True, False)]
    _cell_lines(table.cell(0, 1), lines)
