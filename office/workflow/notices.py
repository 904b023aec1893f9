"""Model notices on a denunciation: to a named denouncer (accepted, not accepted, transferred), and
to the person denounced (accepted: the content of the denunciation), and to both of an extension.

Luật Tố cáo 2018 Điều 9 khoản 1 điểm c (LEGAL_FACTS §3.2) gives the denouncer the
right to be told of the acceptance or non-acceptance of the denunciation and of
its transfer to the competent body; Điều 29 (§3.5) sets 05 working days from the
thụ lý decision. These are document templates: the tool fills in what the
register knows (case number, dates, decision reference, the authority, the
reason recorded for the denouncer) and, only when asked and recorded in the
audit trail, the denouncer's name and address from the encrypted report.
Everything else is a visible placeholder in square brackets for the Office to
fill in, and every legal point the project's research did not verify stays a
placeholder or a note to check, never a statement: the Office completes, checks
against the text in force (as amended by Luật 136/2025/QH15 from 01/7/2026) and
signs. The notice to the person denounced (Điều 29: "thông báo về nội dung tố cáo cho người bị
tố cáo biết", §3.5) carries nothing of the denouncer: no name, no address, no date of receipt,
only placeholders that say so. The layout follows the half-year report's (Nghị định 30/2020/NĐ-CP as far
as verified); the abbreviation of the notice's number is not verified, so it is
a placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from intake_function.store import exclusive_file

from .. import register
from ..safe_text import for_document
from .clock import local_date, vn_date

KINDS: dict[str, tuple[str, str]] = {
    "accepted": ("Về việc thụ lý tố cáo", "acceptance"),
    "not-accepted": ("Về việc không thụ lý tố cáo", "non-acceptance"),
    "transferred": ("Về việc chuyển tố cáo", "transfer"),
    "extended": ("Về việc gia hạn giải quyết tố cáo", "extension"),
}

BOARD = "Ban Quản lý Khu kinh tế tỉnh An Giang"
LAW = "Luật Tố cáo năm 2018 (Luật số 25/2018/QH14)"
CHECK = "[Kiểm tra căn cứ theo văn bản đã sửa đổi bởi Luật số 136/2025/QH15 (hiệu lực 01/7/2026) trước khi ký]"
# Who a notice goes to; the person denounced is owed the notices of acceptance (Điều 29) and of an
# extension (Điều 30).
RECIPIENTS: dict[str, tuple[str, str]] = {
    "denouncer": ("người tố cáo", "the denouncer"),
    "denounced": ("người bị tố cáo", "the person denounced"),
}
NAME_PLACEHOLDER = "[Họ và tên người tố cáo]"
DENOUNCED_PLACEHOLDER = "[Họ và tên, chức vụ, nơi công tác của người bị tố cáo (cơ quan, tổ chức bị tố cáo)]"
DENOUNCED_ADDRESS = "[Địa chỉ]"
ADDRESS_PLACEHOLDER = "[Địa chỉ của người tố cáo]"
FONT = "Times New Roman"


class NoticeError(ValueError):
    """The case has no decision this notice is about; the message says what to do."""


@dataclass(frozen=True)
class Facts:
    """What a notice says, from the register (and the denouncer's name and address, if disclosed)."""

    kind: str
    number: str
    received: date
    decided: date | None
    decision_ref: str | None
    reason: str | None
    authority: str | None
    name: str = NAME_PLACEHOLDER
    address: str = ADDRESS_PLACEHOLDER
    recipient: str = "denouncer"


def facts(case: register.Case, notices: list[register.Notice], kind: str, recipient: str = "denouncer") -> Facts:
    """The register's facts for a notice of ``kind`` to ``recipient``; refuse a case that has no such decision."""
    if kind not in KINDS:
        raise NoticeError(
            f"không có loại thông báo {kind!r}; chọn một trong / unknown notice; one of: {', '.join(KINDS)}"
        )
    if recipient == "denounced" and kind not in ("accepted", "extended"):
        raise NoticeError(
            "người bị tố cáo được thông báo về nội dung tố cáo khi tố cáo được thụ lý, và về việc gia hạn (Điều 29, "
            "30 Luật Tố cáo): dùng --kind accepted hoặc extended / the person denounced is told of an accepted "
            "denunciation and of an extension: use --kind accepted or extended"
        )
    found = _register_facts(case, notices, kind)
    if recipient == "denounced":
        return replace(found, name=DENOUNCED_PLACEHOLDER, address=DENOUNCED_ADDRESS, recipient="denounced")
    return found


def _register_facts(case: register.Case, notices: list[register.Notice], kind: str) -> Facts:
    """What the register knows for a notice of ``kind`` to the denouncer; refuse a case without the decision."""
    if case.anonymous:
        raise NoticeError(
            f"hồ sơ {case.number} là phản ánh ẩn danh: không có người tố cáo để thông báo (Luật Tố cáo 2018 "
            f"Điều 25) / case {case.number} is anonymous: there is no denouncer to notify"
        )
    received = local_date(case.received_at)
    about = [n for n in notices if n.about == kind]
    latest = about[-1] if about else None
    if kind == "accepted":
        if case.track != "denunciation" or not case.accepted_at:
            raise NoticeError(
                f"hồ sơ {case.number} chưa có quyết định thụ lý nên không có thông báo nào phải gửi về việc này; "
                f'ghi nhận quyết định trước: office accept {case.number} --decision "..." / case {case.number} '
                "has no acceptance decision, so no notice of acceptance is owed"
            )
        decided = local_date(case.accepted_at)
        return Facts(kind, case.number, received, decided, case.acceptance_ref, None, None)
    if kind == "not-accepted":
        if latest is None:
            raise NoticeError(
                f"hồ sơ {case.number} chưa ghi nhận không thụ lý nên không có thông báo nào phải gửi về việc này; "
                f'ghi nhận trước: office decline {case.number} --reason "..." / case {case.number} has no '
                "decision not to accept, so no such notice is owed"
            )
        return Facts(
            kind, case.number, received, local_date(latest.decided_at), latest.decision_ref, latest.reason, None
        )
    if kind == "extended":
        if case.track != "denunciation" or latest is None:
            raise NoticeError(
                f"hồ sơ {case.number} chưa có quyết định gia hạn giải quyết tố cáo nên không có thông báo nào phải "
                f'gửi về việc này; ghi nhận trước: office extend {case.number} --reason "..." --decision "..." / '
                f"case {case.number} has no extension of an accepted denunciation, so no such notice is owed"
            )
        decided = local_date(latest.decided_at)
        return Facts(kind, case.number, received, decided, latest.decision_ref, None, None)
    if not case.forwarded_at:
        raise NoticeError(
            f"hồ sơ {case.number} chưa được chuyển nên không có thông báo nào phải gửi về việc này; chuyển trước: "
            f'office forward {case.number} --to "..." --denunciation / case {case.number} was not forwarded, so no '
            "notice of transfer is owed"
        )
    ref = latest.decision_ref if latest else None
    return Facts(kind, case.number, received, local_date(case.forwarded_at), ref, None, case.forwarded_to)


def body(facts: Facts) -> list[str]:
    """The notice's paragraphs, between the addressee and the closing."""
    if facts.recipient == "denounced":
        return _body_to_the_denounced(facts)
    received = (
        f"Ngày {vn_date(facts.received)}, {BOARD} nhận được tố cáo của Ông/Bà (hồ sơ số {facts.number}) "
        "[tóm tắt nội dung tố cáo]."
    )
    ref = facts.decision_ref or "[số, ký hiệu văn bản]"
    decided = vn_date(facts.decided) if facts.decided else "[ngày]"
    if facts.kind == "accepted":
        return [
            f"Căn cứ {LAW}. {CHECK}",
            received,
            f"Ngày {decided}, [chức vụ người giải quyết tố cáo] đã ban hành Quyết định số {ref} về việc thụ lý "
            "tố cáo. Nội dung tố cáo được thụ lý: [nội dung theo quyết định thụ lý].",
            "Thời hạn giải quyết tố cáo là không quá 30 ngày kể từ ngày thụ lý; vụ việc phức tạp có thể được gia "
            "hạn theo quy định (Điều 30 Luật Tố cáo).",
            "Họ tên, địa chỉ, bút tích và thông tin cá nhân khác của Ông/Bà được bảo đảm bí mật (Điều 9 Luật Tố cáo).",
            "[Yêu cầu Ông/Bà cung cấp thông tin, tài liệu (nếu có).]",
            f"{BOARD} thông báo để Ông/Bà biết./.",
        ]
    if facts.kind == "extended":
        return [f"Căn cứ {LAW}. {CHECK}", received, *_extension(facts)]
    if facts.kind == "not-accepted":
        reason = facts.reason or "[lý do không thụ lý]"
        return [
            f"Căn cứ {LAW}. {CHECK}",
            received,
            f"Sau khi xem xét các điều kiện thụ lý tố cáo (Điều 29 Luật Tố cáo), ngày {decided} {BOARD} không "
            f"thụ lý tố cáo của Ông/Bà (văn bản số {ref}), vì lý do: {reason}",
            "[Hướng dẫn Ông/Bà (nếu có): bổ sung thông tin, tài liệu hoặc gửi đến cơ quan, tổ chức, cá nhân có "
            "thẩm quyền.]",
            f"{BOARD} thông báo để Ông/Bà biết./.",
        ]
    authority = facts.authority or "[cơ quan, tổ chức, cá nhân có thẩm quyền]"
    return [
        f"Căn cứ {LAW} [điều khoản về chuyển tố cáo: chưa được kiểm chứng, Văn phòng điền]. {CHECK}",
        received,
        f"Nội dung tố cáo không thuộc thẩm quyền giải quyết của {BOARD}. Ngày {decided}, {BOARD} đã chuyển tố "
        f"cáo đến {authority} (văn bản số {ref}) để xem xét, giải quyết theo thẩm quyền.",
        "[Địa chỉ, cách liên hệ của cơ quan nhận (nếu cần).]",
        f"{BOARD} thông báo để Ông/Bà biết./.",
    ]


def _extension(facts: Facts) -> list[str]:
    """What an extension notice says, to the denouncer and to the person denounced alike."""
    ref = facts.decision_ref or "[số, ký hiệu văn bản]"
    decided = vn_date(facts.decided) if facts.decided else "[ngày]"
    return [
        f"Ngày {decided}, [chức vụ người giải quyết tố cáo] đã ban hành Quyết định số {ref} về việc gia hạn giải "
        "quyết tố cáo, vì vụ việc [phức tạp / đặc biệt phức tạp]. Thời gian gia hạn: [số ngày] ngày (vụ việc phức "
        "tạp được gia hạn một lần, không quá 30 ngày; vụ việc đặc biệt phức tạp được gia hạn hai lần, mỗi lần không "
        "quá 30 ngày: Điều 30 Luật Tố cáo).",
        f"{BOARD} thông báo để Ông/Bà biết./.",
    ]


def _body_to_the_denounced(facts: Facts) -> list[str]:
    """What the person denounced is told: nothing of the denouncer, ever."""
    if facts.kind == "extended":
        return [f"Căn cứ {LAW}. {CHECK}", *_extension(facts)]
    ref = facts.decision_ref or "[số, ký hiệu văn bản]"
    decided = vn_date(facts.decided) if facts.decided else "[ngày]"
    return [
        f"Căn cứ {LAW}. {CHECK}",
        f"Ngày {decided}, [chức vụ người giải quyết tố cáo] đã ban hành Quyết định số {ref} về việc thụ lý tố "
        "cáo đối với Ông/Bà (cơ quan, tổ chức).",
        "Nội dung tố cáo được thụ lý: [nội dung theo quyết định thụ lý; KHÔNG nêu họ tên, địa chỉ, bút tích, ngày "
        "gửi tố cáo hay bất kỳ thông tin nào giúp nhận biết người tố cáo (Điều 9 Luật Tố cáo)].",
        "Thời hạn giải quyết tố cáo là không quá 30 ngày kể từ ngày thụ lý; vụ việc phức tạp có thể được gia "
        "hạn theo quy định (Điều 30 Luật Tố cáo).",
        "[Quyền và nghĩa vụ của người bị tố cáo; yêu cầu giải trình bằng văn bản, cung cấp thông tin, tài liệu "
        "(nếu có): Văn phòng kiểm tra theo văn bản đang có hiệu lực và điền.]",
        f"{BOARD} thông báo để Ông/Bà biết./.",
    ]


def write(path: Path, facts: Facts, settings: dict[str, Any]) -> None:
    """Write the notice as a DOCX into ``path``, a new file (``office.export.folder.writing`` gives it, and
    renames it once whole: a notice can hold the denouncer's identity)."""
    from docx import Document

    document = Document()
    _page(document)
    _header(document, settings, facts)
    _centre(document, "THÔNG BÁO", bold=True, after=0)
    denounced_accepted = facts.recipient == "denounced" and facts.kind == "accepted"
    title = "Về nội dung tố cáo" if denounced_accepted else KINDS[facts.kind][0]
    _centre(document, title, bold=True, after=12)
    _centre(document, f"Kính gửi: Ông/Bà {facts.name}", after=0)
    _centre(document, f"Địa chỉ: {facts.address}", after=12)
    for text in body(facts):
        _paragraph(document, text)
    _closing(document, facts)
    properties = document.core_properties
    for name in ("author", "last_modified_by", "comments", "keywords", "category", "subject", "identifier"):
        setattr(properties, name, "")
    properties.title = f"Thông báo {title.lower()} - hồ sơ {facts.number}"
    with exclusive_file(path) as handle:  # owner-only on POSIX
        document.save(handle)


def _page(document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):  # Word reads cs/eastAsia for Vietnamese
        fonts.set(qn(f"w:{script}"), FONT)
    normal.paragraph_format.space_after = Pt(6)


def _paragraph(document, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    paragraph = document.add_paragraph(for_document(text))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)


def _centre(container, text: str, *, bold: bool = False, italic: bool = False, size: int = 14, after: int = 6):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = container.add_paragraph() if hasattr(container, "add_paragraph") else container
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(for_document(text))
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _cell(cell, lines: list[tuple[str, bool, bool, int]]) -> None:
    for index, (text, bold, italic, size) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        _centre(paragraph, text, bold=bold, italic=italic, size=size, after=0)


def _layout_table(document, rows: int, widths_cm: tuple[float, ...]):
    """A borderless table of fixed widths, without cell padding (Word reads the cells, LibreOffice the grid)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)
    return table


def _header(document, settings: dict[str, Any], facts: Facts) -> None:
    """The Board on the left, the Quốc hiệu and Tiêu ngữ on the right; number and date to fill in."""
    table = _layout_table(document, 2, (6.5, 10.5))  # into the right margin: the Quốc hiệu on one line
    _cell(
        table.cell(0, 0),
        [(settings["superior_body"].upper(), False, False, 13), (settings["issuing_body"].upper(), True, False, 13)],
    )
    _cell(
        table.cell(0, 1),
        [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 13), ("Độc lập - Tự do - Hạnh phúc", True, False, 14)],
    )
    _cell(table.cell(1, 0), [("Số:        /[KÝ HIỆU]", False, False, 13)])
    _cell(table.cell(1, 1), [(f"{settings['place']}, ngày   tháng   năm [năm]", False, True, 14)])
    _centre(document, "", after=6)


def _closing(document, facts: Facts) -> None:
    from docx.shared import Pt

    _centre(document, "", after=6)
    table = _layout_table(document, 1, (7.0, 9.5))
    left = table.cell(0, 0).paragraphs[0]
    run = left.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in ("- Như trên;", f"- Lưu: VT, hồ sơ {facts.number}."):
        table.cell(0, 0).add_paragraph().add_run(for_document(line)).font.size = Pt(11)
    _cell(
        table.cell(0, 1),
        [("[CHỨC VỤ NGƯỜI KÝ]", True, False, 14), *[("", False, False, 14)] * 4, ("[Họ và tên]", True, False, 14)],
    )
