"""The layout of a document the Board issues, after Nghị định 30/2020/NĐ-CP: one module for all of them.

The half-year report, the notices on a denunciation and the packages a case is exported in
leave the Board as its documents, so they share one header block, one number, one place and
date line and one signature block, laid out here (desk trial 2, H4: the notices had drifted).
It follows Phụ lục I as far as the project's legal research verified it (LEGAL_FACTS.md §6):
A4 portrait; margins within the ranges (top and bottom 20 mm, left 30 mm, right 15 mm); Times
New Roman; the superior body (upright) over the issuing body (bold) on the left, the Quốc hiệu
(capitals, bold) and the Tiêu ngữ (bold, one size larger) on the right; "Số: …" from the
settings; the place and date in italics, the year always filled in; "Nơi nhận" at the lower
left; the signature block at the lower right.

The lines of the header are paragraph borders of a measured length (``reports.metrics``):
under the Tiêu ngữ as long as its text; under the issuing body a short line of 40% of the
text above it (the commonly cited rule is one third to one half; its exact wording in Phụ lục I
is not in LEGAL_FACTS.md). The header fits inside the margins: 13 pt when the names and the
Quốc hiệu fit side by side on one line each, else 12 pt; a name that still does not fit breaks
between words, never inside one, and never inside a word of two syllables such as "QUY HOẠCH":
before a place ("TỈNH AN GIANG") or "VÀ" where it can, or where the Office put a line break in
settings.toml.

What the research did not verify (the abbreviations of the document types, the Nơi nhận and
signature sizes, the superior body's name, the place name) comes from the settings, where it is
a placeholder until the Office fills it in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import combinations, pairwise

from .reports.metrics import width_pt
from .safe_text import for_document as xml_safe  # what XML and UTF-8 cannot hold never stops a document

BODY_PT = 14
NUMBER_PT = 13
TABLE_PT = 12
FONT = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_PT = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72
SLACK_PT = 4.0  # room kept on a line that must not wrap, against rounding in the word processor
GAP_PT = 10.0  # at least this much between a name and the Quốc hiệu or Tiêu ngữ beside it
SHORT_LINE = 0.4  # a short line is 40% of the text above it
RULE_PT = 0.75  # the lines' thickness (w:sz is in eighths of a point)
RULE_GAP_PT = 3  # between the text and the line under it, clear of the descenders

MAX_WORDS_TO_ARRANGE = 24  # longer names are filled line by line (the arrangements grow too many)
# A long name breaks before one of these words, so that a place stays whole ("TỈNH AN GIANG").
BREAK_BEFORE = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "KHU", "VÀ")
# Words of two syllables that a name must not be broken inside (desk trial 2: "QUY / HOẠCH").
COMPOUNDS = frozenset(
    word.strip()
    for word in """ỦY BAN|NHÂN DÂN|AN GIANG|QUẢN LÝ|KINH TẾ|QUY HOẠCH|XÂY DỰNG|DOANH NGHIỆP|ĐẦU TƯ|VĂN PHÒNG|
    TÀI NGUYÊN|MÔI TRƯỜNG|THANH TRA|TỔ CHỨC|CÁN BỘ|HÀNH CHÍNH|KẾ HOẠCH|TÀI CHÍNH|CÔNG NGHIỆP|THƯƠNG MẠI|
    CÔNG THƯƠNG|LAO ĐỘNG|XUẤT NHẬP|NHẬP KHẨU|CỬA KHẨU|TỔNG HỢP|NỘI VỤ|TƯ PHÁP|GIAO THÔNG|VẬN TẢI|NÔNG NGHIỆP|
    PHÁT TRIỂN|NÔNG THÔN|KHOA HỌC|CÔNG NGHỆ|THÔNG TIN|TRUYỀN THÔNG|VĂN HÓA|THỂ THAO|DU LỊCH|GIÁO DỤC|ĐÀO TẠO|
    Y TẾ|XÃ HỘI|HẠ TẦNG|KỸ THUẬT|DỊCH VỤ|HỖ TRỢ|TRUNG TÂM|ĐẤT ĐAI|PHÁP CHẾ|KIỂM TRA|GIÁM SÁT|KHU VỰC|ĐÔ THỊ|
    CHUYÊN MÔN|CƠ QUAN|THÀNH PHỐ|THỊ XÃ|CỘNG HÒA|CHỦ NGHĨA|VIỆT NAM|TRỰC THUỘC|CÔNG TÁC|ĐIỀU HÀNH""".split("|")
)


def date_line(place: str, day: date) -> str:
    """ "An Giang, ngày 05 tháng 7 năm 2026": days below 10 and months 1 and 2 take a leading zero (§6.6)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def undated_line(place: str, year: int) -> str:
    """ "An Giang, ngày      tháng      năm 2026": a draft to be dated when signed, the year filled in."""
    return f"{place}, ngày      tháng      năm {year}"


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
        names = [(line, "regular") for line in superior_lines] + [(line, "bold") for line in issuing_lines]
        if spare >= 0 and _rows_apart(names, size):
            return HeaderLayout(
                size, left + SLACK_PT + spare / 2, right + SLACK_PT + spare / 2, superior_lines, issuing_lines
            )
    size = 12
    right = max(width_pt(QUOC_HIEU, size, "bold"), width_pt(TIEU_NGU, size + 1, "bold")) + SLACK_PT + GAP_PT / 2
    left = TEXT_WIDTH_PT - right
    room = left - SLACK_PT - GAP_PT / 2
    return HeaderLayout(
        size,
        left,
        right,
        [part for line in superior_lines for part in _fit(line, room, size, "regular")],
        [part for line in issuing_lines for part in _fit(line, room, size, "bold")],
    )


def _rows_apart(names: list[tuple[str, str]], size: int) -> bool:
    """Whether each name line stays at least GAP_PT from the Quốc hiệu or Tiêu ngữ beside it (desk trial 2: "AN
    GIANG CỘNG HÒA" almost touched). Each text is centred in its column, so the space between two texts on one row
    is half of what the row leaves free, whatever the split of the columns."""
    beside = [width_pt(QUOC_HIEU, size, "bold"), width_pt(TIEU_NGU, size + 1, "bold")]
    for (line, style), other in zip(names, beside, strict=False):
        if (TEXT_WIDTH_PT - width_pt(line, size, style) - other) / 2 < GAP_PT:
            return False
    return True


def _given_lines(name: str) -> list[str]:
    """A name as the Office wrote it, in capitals; a line break in settings.toml is kept."""
    return [" ".join(line.split()).upper() for line in name.splitlines() if line.strip()] or [""]


def _fit(line: str, room: float, size: int, style: str) -> list[str]:
    """Break a name that is too long for its column between words, never inside one.

    Each break costs: nothing before a place word or "VÀ" ("... / TỈNH AN GIANG"), two inside
    a word of two syllables ("QUY / HOẠCH"), one elsewhere. The cheapest arrangement wins, even
    at the cost of a line more; then the fewest lines; then the most even ones.
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
            key = (sum(_break_cost(words, at) for at in cuts), count, widest)
            if best is None or key < best[0]:
                best = (key, lines)
    return best[1] if best is not None else _fill(words, room, size, style)


def _break_cost(words: list[str], at: int) -> int:
    """What breaking a name before ``words[at]`` costs (see ``_fit``)."""
    following = " ".join(words[at:])
    if any(following == w or following.startswith(w + " ") for w in BREAK_BEFORE):
        return 0
    return 2 if f"{words[at - 1]} {words[at]}" in COMPOUNDS else 1


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


def page_setup(document, *, numbered: bool = True) -> None:
    """A4 portrait, the margins, Times New Roman 14 for every script, Vietnamese; page numbers at the top
    centre from page 2 (Phụ lục I, Mục I.7)."""
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
    if not numbered:
        return
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
    borders.append(edge("top", RULE_PT, 1))
    # The empty paragraph's own mark is small, so that the line sits close under the text.
    child(child(properties, "rPr", PPR_ORDER), "sz", ["sz"], val="4")


def edge(side: str, thickness_pt: float, space_pt: int):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    edge = OxmlElement(f"w:{side}")
    for name, value in (("val", "single"), ("sz", str(round(thickness_pt * 8))), ("space", str(space_pt))):
        edge.set(qn(f"w:{name}"), value)
    edge.set(qn("w:color"), "000000")
    return edge


def fixed_table(document, rows: int, widths_pt: tuple[float, ...]):
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


def cell_lines(cell, lines: list[tuple[str, float, bool, bool]]) -> None:
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


def keep_row_whole(row) -> None:
    child(row._tr.get_or_add_trPr(), "cantSplit", TRPR_ORDER)


def repeat_as_header(row) -> None:
    child(row._tr.get_or_add_trPr(), "tblHeader", TRPR_ORDER)


W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# --- the parts every document has -----------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """The header block: who issues the document, its number, where and when."""

    superior_body: str
    issuing_body: str
    number: str  # "Số:        /BC-BQLKKT"
    dated: str  # date_line() or undated_line()


@dataclass(frozen=True)
class Signature:
    """The closing: the recipients at the lower left, the signature block at the lower right."""

    recipients: list[str]
    lines: list[str]  # "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"
    signer: str


def paragraph(
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
    """One paragraph of one run (or empty), in the document's font."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    made = container.add_paragraph()
    made.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    made.paragraph_format.space_after = Pt(after)
    if keep_with_next:
        made.paragraph_format.keep_with_next = True
    if indent:
        made.paragraph_format.first_line_indent = Cm(1)
    if text:
        run = made.add_run(xml_safe(text))
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
    return made


def header_block(document, head: Letterhead) -> None:
    """The agency on the left (lined under), the Quốc hiệu and Tiêu ngữ on the right (lined under); then the
    number and the place and date."""
    from docx.shared import Pt

    layout = header_layout(head.superior_body, head.issuing_body, head.number, head.dated)
    table = fixed_table(document, 2, (layout.left_pt, layout.right_pt))
    left, right = table.cell(0, 0), table.cell(0, 1)
    cell_lines(
        left,
        [(line, layout.size, False, False) for line in layout.superior]
        + [(line, layout.size, True, False) for line in layout.issuing],
    )
    rule(left, layout.agency_line_pt, layout.left_pt)
    cell_lines(right, [(QUOC_HIEU, layout.size, True, False), (TIEU_NGU, layout.size + 1, True, False)])
    rule(right, layout.tieu_ngu_pt, layout.right_pt)
    cell_lines(table.cell(1, 0), [(head.number, NUMBER_PT, False, False)])
    cell_lines(table.cell(1, 1), [(head.dated, layout.size + 1, False, True)])
    for cell in (table.cell(1, 0), table.cell(1, 1)):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def title_block(document, kind: str, subject: str) -> None:
    """The type of document ("BÁO CÁO", "THÔNG BÁO") and its trích yếu, in bold, with a short line under."""
    paragraph(document, "", after=6)
    paragraph(document, kind.upper(), bold=True, align="center", after=0, keep_with_next=True)
    subject = " ".join(subject.split())
    paragraph(document, subject, bold=True, align="center", after=0, keep_with_next=True)
    rule(document, SHORT_LINE * min(width_pt(subject, BODY_PT, "bold"), TEXT_WIDTH_PT), TEXT_WIDTH_PT, after=12)


def signature_block(document, signature: Signature) -> None:
    """Nơi nhận at the lower left, the signature at the lower right, never split across two pages, and
    never alone on a page: the paragraph before it is kept with it."""
    from docx.shared import Pt

    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    paragraph(document, "", after=6, keep_with_next=True)
    table = fixed_table(document, 1, (7.0 / 2.54 * 72, TEXT_WIDTH_PT - 7.0 / 2.54 * 72))
    keep_row_whole(table.rows[0])
    left = table.cell(0, 0)
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    for line in signature.recipients:
        item = left.add_paragraph()
        item.paragraph_format.space_after = Pt(0)
        text = line if line.startswith("-") else f"- {line}"
        item.add_run(xml_safe(text)).font.size = Pt(11)
    lines = [(line.upper(), BODY_PT, True, False) for line in signature.lines]
    lines += [("", BODY_PT, False, False)] * 4 + [(signature.signer, BODY_PT, True, False)]
    cell_lines(table.cell(0, 1), lines)


# --- what the settings give every document -----------------------------------------------------------


def signature_of(settings: dict) -> Signature:
    """The Board's signature block of settings.toml [report], for a document the Board issues."""
    lines = [line for line in (settings["signature_authority"], settings["signature_title"]) if line]
    return Signature(list(settings["recipients"]), lines, settings["signer"])


def number_for(settings: dict, kind: str) -> str:
    """The "Số:" line of a document of ``kind`` ("notice", "transfer"): its own setting if the Office wrote
    one, else the report's with the type's abbreviation in place of "BC" (both to confirm, Phụ lục III)."""
    own = str(settings.get(f"{kind}_number") or "").strip()
    if own:
        return own
    code = {"notice": "TB", "transfer": "PC"}[kind]
    number = str(settings["number"])
    return number.replace("/BC-", f"/{code}-") if "/BC-" in number else f"Số:        /{code}-[KÝ HIỆU]"


_DOCUMENT_WORD = re.compile(
    r"(?:(?:quyết\s+định|qđ|văn\s+bản|công\s+văn|kết\s+luận|thông\s+báo|tờ\s+trình)\s+)?(?:số\b[:.]?\s*)?",
    re.IGNORECASE,
)


def bare_reference(text: str | None) -> str | None:
    """A reference as typed ("Quyết định số 45/QĐ-BQLKKT ngày 10/8/2026"), without the words a document puts
    before it ("45/QĐ-BQLKKT ngày 10/8/2026"): "Quyết định số Quyết định số …" is never printed."""
    if text is None:
        return None
    cleaned = " ".join(text.split())
    match = _DOCUMENT_WORD.match(cleaned)
    if match and match.end() and cleaned[match.end() :]:
        return cleaned[match.end() :]
    return cleaned
