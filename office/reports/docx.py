"""The half-year report as a Word document, laid out as a Vietnamese administrative report.

The layout follows Nghị định 30/2020/NĐ-CP, Phụ lục I, as far as the project's
legal research verified it (LEGAL_FACTS.md §6): A4 portrait; margins within
the ranges (top and bottom 20 mm, left 30 mm, right 15 mm); Times New Roman;
the header block with the superior body (upright) over the issuing body
(bold) on the left, the Quốc hiệu (capitals, bold, 13) and Tiêu ngữ (bold, 14)
on the right; "Số: …/BC-…" to fill in; place and date in italics; the type of
document "BÁO CÁO" and the subject in bold; the body in 14; page numbers at
the top centre from page 2; "Nơi nhận" at the lower left; the signature block
at the lower right. What the research did not verify (the Nơi nhận and
signature sizes, the "BC" abbreviation, the superior body's name, the place
name) comes from the settings, where it is a placeholder until the Office
fills it in. Table text is 12 pt: a choice of this tool, not a legal rule.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from .half_year import Figures, Listed, category_label, channel_label, status_label

BODY_PT = 14
HEADER_PT = 13
TABLE_PT = 12
FONT = "Times New Roman"


def date_line(place: str, day: date) -> str:
    """ "An Giang, ngày 05 tháng 7 năm 2026": days below 10 and months 1 and 2 take a leading zero (§6.6)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def write(path: Path, figures: Figures, report_settings: dict[str, Any], chart_png: bytes, issued: date) -> None:
    from docx import Document

    document = Document()
    _page_setup(document)
    _header_block(document, report_settings, issued)
    _title(document, report_settings, figures)
    _body(document, figures, report_settings, chart_png)
    _closing(document, report_settings)
    properties = document.core_properties
    for name in ("author", "last_modified_by", "comments", "keywords", "category", "subject", "identifier"):
        setattr(properties, name, "")
    properties.title = report_settings["subject"].format(period=figures.period.label)
    document.save(str(path))


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


def _page_setup(document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None:
            for attribute in list(fonts.attrib):
                del fonts.attrib[attribute]
            for script in ("ascii", "hAnsi", "cs", "eastAsia"):
                fonts.set(qn(f"w:{script}"), FONT)
    # Page numbers at the top centre, not on the first page (Phụ lục I, Mục I.7).
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(HEADER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
        else:
            field = OxmlElement("w:instrText")
            field.set(qn("xml:space"), "preserve")
            field.text = text
        run._r.append(field)


def _paragraph(
    container,
    text: str = "",
    *,
    size: int = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: str = "left",
    after: int = 6,
    indent: bool = False,
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
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
    return paragraph


def _borderless(document, rows: int, widths_cm: tuple[float, ...]):
    from docx.shared import Cm

    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.autofit = False
    _column_widths(table, widths_cm)
    _no_cell_padding(table)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
            cell.paragraphs[0].paragraph_format.space_after = 0
    return table


def _no_cell_padding(table) -> None:
    """Layout tables use their whole width (the agency's name and the Quốc hiệu each fit on one line)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _keep_on_one_page(row) -> None:
    """The recipients and the signature block are never split across two pages."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _column_widths(table, widths_cm) -> None:
    """Widths on the grid as well as on each cell: Word reads the cells, LibreOffice the grid."""
    from docx.shared import Cm

    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)


def _cell_lines(cell, lines: list[tuple[str, int, bool, bool]]) -> None:
    """Fill a cell with centred lines of (text, size, bold, italic)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    first = True
    for text, size, bold, italic in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold, run.italic = bold, italic


# --- the parts of the document ----------------------------------------------------------------


def _header_block(document, settings: dict[str, Any], issued: date) -> None:
    table = _borderless(document, 2, (6.5, 10.5))  # 5 mm into the right margin: the Quốc hiệu on one line
    _cell_lines(
        table.cell(0, 0),
        [
            (settings["superior_body"].upper(), HEADER_PT, False, False),
            (settings["issuing_body"].upper(), HEADER_PT, True, False),
        ],
    )
    _cell_lines(
        table.cell(0, 1),
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEADER_PT, True, False),
            ("Độc lập - Tự do - Hạnh phúc", BODY_PT, True, False),
        ],
    )
    _cell_lines(table.cell(1, 0), [(settings["number"], HEADER_PT, False, False)])
    _cell_lines(table.cell(1, 1), [(date_line(settings["place"], issued), BODY_PT, False, True)])
    for cell in (table.cell(1, 0), table.cell(1, 1)):
        from docx.shared import Pt

        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _title(document, settings: dict[str, Any], figures: Figures) -> None:
    _paragraph(document, "", after=6)
    _paragraph(document, settings["title"].upper(), bold=True, align="center", after=0)
    _paragraph(document, settings["subject"].format(period=figures.period.label), bold=True, align="center", after=12)


def _table(
    document, caption: str, header: list[str], rows: list[list[str]], widths_cm: list[float], bold_last: bool = False
) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    _paragraph(document, caption, size=TABLE_PT + 1, italic=True, align="center", after=3)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _column_widths(table, widths_cm)
    for index, row in enumerate([header, *rows]):
        cells = table.rows[index].cells
        for column, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.width = Cm(widths_cm[column])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if index == 0 or column == 0 or _numeric(text):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.font.size = Pt(TABLE_PT)
            run.bold = index == 0 or (bold_last and index == len(rows))
    _paragraph(document, "", after=3)


def _numeric(text: str) -> bool:
    """Counts, shares and dates are centred in their columns."""
    return bool(text) and all(c.isdigit() or c in ",%/-" for c in text)


def _counts(document, caption: str, what: str, counts: dict[str, int], label) -> None:
    total = sum(counts.values())
    rows = [
        [str(n), label(code), str(count), _share(count, total)]
        for n, (code, count) in enumerate(counts.items(), start=1)
    ]
    rows.append(["", "Tổng cộng", str(total), "100%" if total else "-"])
    _table(document, caption, ["STT", what, "Số hồ sơ", "Tỷ lệ"], rows, [1.2, 9.0, 2.8, 2.5], bold_last=True)


def _share(count: int, total: int) -> str:
    return f"{count * 100 / total:.1f}%".replace(".", ",") if total else "-"


def _listing(figures: Figures, items: list[Listed], limit: int, overdue: bool) -> tuple[list[list[str]], str]:
    from ..workflow.clock import vn_date

    rows = []
    for n, item in enumerate(items[:limit], start=1):
        row = [
            str(n),
            item.number,
            vn_date(item.received),
            category_label(item.category),
            item.detail,
            vn_date(item.day),
        ]
        rows.append([*row, str(item.days_late)] if overdue else row)
    more = len(items) - limit
    note = f"Và {more} hồ sơ khác (xem bản CSV hoặc lệnh office due)." if more > 0 else ""
    return rows, note


def _body(document, figures: Figures, settings: dict[str, Any], chart_png: bytes) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    p = figures.period
    say = lambda text, **kw: _paragraph(document, text, align="justify", indent=True, **kw)  # noqa: E731
    heading = lambda text: _paragraph(document, text, bold=True, align="justify", indent=True)  # noqa: E731
    say(
        f"Thực hiện {settings['plan_reference']}, báo cáo kết quả tiếp nhận, xử lý phản ánh, tố giác về tham "
        f"nhũng, lãng phí, tiêu cực {p.label} ({p.span}) như sau:"
    )
    heading("I. TÌNH HÌNH TIẾP NHẬN")
    say(
        f"1. Trong kỳ, đã tiếp nhận {figures.total} phản ánh, tố giác, trong đó {figures.anonymous} phản ánh "
        f"ẩn danh và {figures.total - figures.anonymous} phản ánh có thông tin người gửi; "
        f"{figures.carried_over} hồ sơ của kỳ trước chuyển sang."
    )
    say("2. Theo kênh tiếp nhận (Bảng 1) và theo loại nội dung (Bảng 2):")
    _counts(
        document,
        "Bảng 1. Số phản ánh, tố giác theo kênh tiếp nhận",
        "Kênh tiếp nhận",
        figures.by_channel,
        channel_label,
    )
    _counts(
        document,
        "Bảng 2. Số phản ánh, tố giác theo loại nội dung",
        "Loại nội dung",
        figures.by_category,
        category_label,
    )
    say("3. Diễn biến theo tháng và theo loại nội dung (Hình 1):")
    document.add_picture(io.BytesIO(chart_png), width=Cm(15.5))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(
        document,
        "Hình 1. Số phản ánh, tố giác theo tháng và theo loại nội dung",
        size=TABLE_PT + 1,
        italic=True,
        align="center",
    )

    heading("II. KẾT QUẢ PHÂN LOẠI, XỬ LÝ")
    say(
        f"1. Phân loại: {figures.within} hồ sơ thuộc thẩm quyền của Ban, {figures.outside} hồ sơ không thuộc "
        f"thẩm quyền; tình trạng các hồ sơ tiếp nhận trong kỳ tính đến ngày {_d(figures.as_of)} (Bảng 3)."
    )
    _counts(
        document,
        "Bảng 3. Hồ sơ tiếp nhận trong kỳ theo tình trạng xử lý",
        "Tình trạng",
        figures.by_status,
        status_label,
    )
    say("2. Giao các phòng, đơn vị xử lý (Bảng 4):")
    unit_rows = [
        [
            str(n),
            name,
            figures.unit_heads.get(name, ""),
            str(c.get("assigned", 0)),
            str(c.get("concluded", 0)),
            str(c.get("open", 0)),
            str(c.get("late", 0)),
        ]
        for n, (name, c) in enumerate(figures.by_unit.items(), start=1)
    ] or [["", "Không có", "", "0", "0", "0", "0"]]
    _table(
        document,
        "Bảng 4. Hồ sơ theo đơn vị xử lý",
        ["STT", "Đơn vị", "Người đứng đầu", "Được giao", "Đã kết thúc", "Đang xử lý", "Quá hạn"],
        unit_rows,
        [1.2, 4.3, 3.5, 1.9, 1.9, 1.9, 1.8],
    )
    limit = int(settings["list_limit"])
    say(f"3. Chuyển cơ quan có thẩm quyền: {len(figures.forwarded)} hồ sơ được chuyển trong kỳ (Bảng 5).")
    rows, note = _listing(figures, figures.forwarded, limit, overdue=False)
    _table(
        document,
        "Bảng 5. Hồ sơ chuyển cơ quan có thẩm quyền",
        ["STT", "Số hồ sơ", "Ngày nhận", "Loại nội dung", "Cơ quan nhận", "Ngày chuyển"],
        rows or [["", "Không có", "", "", "", ""]],
        [1.2, 2.5, 2.6, 3.0, 4.6, 2.6],
    )
    if note:
        say(note)
    say(
        f"4. Hồ sơ quá hạn tính đến ngày {_d(figures.as_of)}: {len(figures.overdue)} hồ sơ (Bảng 6); "
        f"số hồ sơ đã kết thúc nhưng trễ hạn trong kỳ: {figures.closed_late}."
    )
    rows, note = _listing(figures, figures.overdue, limit, overdue=True)
    _table(
        document,
        "Bảng 6. Hồ sơ quá hạn",
        ["STT", "Số hồ sơ", "Ngày nhận", "Loại nội dung", "Bước xử lý", "Hạn", "Trễ (ngày)"],
        rows or [["", "Không có", "", "", "", "", ""]],
        [1.2, 2.5, 2.6, 3.0, 3.0, 2.6, 1.6],
    )
    if note:
        say(note)
    say(
        f"5. Vụ việc phức tạp, kéo dài, có dấu hiệu đông người, vượt cấp: {figures.flagged} hồ sơ; đã báo cáo "
        f"Lãnh đạo Ban: {figures.flagged_informed} hồ sơ."
    )

    heading("III. CÔNG TÁC BẢO MẬT THÔNG TIN NGƯỜI PHẢN ÁNH, TỐ GIÁC")
    say(
        f"Số vụ việc liên quan đến việc tiết lộ thông tin người phản ánh, tố giác trong kỳ: "
        f'{figures.confidentiality_incidents} (gồm {figures.disclosure_cases} phản ánh thuộc loại "Tiết lộ thông '
        f'tin người phản ánh, tố giác" và {figures.incidents} sự cố do Văn phòng ghi nhận).'
    )
    heading("IV. ĐÁNH GIÁ, KIẾN NGHỊ")
    say("[Văn phòng bổ sung nhận xét, đánh giá và kiến nghị, đề xuất.]./.")


def _d(day: date) -> str:
    from ..workflow.clock import vn_date

    return vn_date(day)


def _closing(document, settings: dict[str, Any]) -> None:
    from docx.shared import Pt

    _paragraph(document, "", after=6)
    table = _borderless(document, 1, (7.0, 9.5))
    _keep_on_one_page(table.rows[0])
    left = table.cell(0, 0)
    paragraph = left.paragraphs[0]
    run = paragraph.add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    for line in settings["recipients"]:
        item = left.add_paragraph()
        item.paragraph_format.space_after = Pt(0)
        text = line if line.startswith("-") else f"- {line}"
        item.add_run(text).font.size = Pt(11)
    lines = [
        (line.upper(), BODY_PT, True, False)
        for line in (settings["signature_authority"], settings["signature_title"])
        if line
    ]
    lines += [("", BODY_PT, False, False)] * 4 + [(settings["signer"], BODY_PT, True, False)]
    _cell_lines(table.cell(0, 1), lines)
