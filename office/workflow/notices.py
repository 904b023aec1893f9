"""Model notices on a denunciation, as the Board issues them: to a named denouncer (accepted, not
accepted, transferred, extended, concluded), and to the person denounced (accepted: the content of
the denunciation; extended; concluded).

Luật Tố cáo Điều 9 khoản 1 điểm c (LEGAL_FACTS §3.2) gives the denouncer the right to be told of
the acceptance or non-acceptance of the denunciation, of its transfer, of an extension and of the
conclusion on its content (kết luận nội dung tố cáo); the acceptance is also notified to the
person denounced, and so are an extension (§3.5) and, here, the conclusion. These are document
templates: the tool fills in what the register knows (case number, dates, the decision's
reference, the authority, the reason, the days of an extension and the new time limit the Board's
settings give) and, only when asked and recorded in the audit trail, the denouncer's name and
address from the encrypted report. Everything else is a visible placeholder in square brackets
for the Office to fill in.

The notices are drafted on the law in force (``law``): Luật Tố cáo as amended, most recently by Luật
136/2025/QH15. Where they would state an article or a time limit that the research did not verify
as amended, they carry a placeholder, never the 2018 figure stated as fact (content review M2).
The notice to the person denounced carries nothing of the denouncer: no name, no address, no date
of receipt, not even the case number in its "Lưu" line (content review L12).

The layout is the Board's (``office/layout.py``, Nghị định 30/2020), the same as the half-year
report's: header block, "Số:" from the settings, place and date with the year filled in, the
signature block of settings.toml [report].
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from intake_function.store import exclusive_file

from .. import layout, register
from . import law
from .clock import local_date, vn_date

KINDS: dict[str, tuple[str, str]] = {
    "accepted": ("Về việc thụ lý tố cáo", "acceptance"),
    "not-accepted": ("Về việc không thụ lý tố cáo", "non-acceptance"),
    "transferred": ("Về việc chuyển tố cáo", "transfer"),
    "extended": ("Về việc gia hạn giải quyết tố cáo", "extension"),
    "concluded": ("Về việc thông báo kết luận nội dung tố cáo", "conclusion"),
}
# What the person denounced is told, and under which title when it differs from the denouncer's.
TO_DENOUNCED: dict[str, str] = {
    "accepted": "Về nội dung tố cáo",
    "extended": KINDS["extended"][0],
    "concluded": "Về việc gửi kết luận nội dung tố cáo",
}

BOARD = "Ban Quản lý Khu kinh tế tỉnh An Giang"
# Who a notice goes to.
RECIPIENTS: dict[str, tuple[str, str]] = {
    "denouncer": ("người tố cáo", "the denouncer"),
    "denounced": ("người bị tố cáo", "the person denounced"),
}
NAME_PLACEHOLDER = "[Họ và tên người tố cáo]"
DENOUNCED_PLACEHOLDER = "[Họ và tên, chức vụ, nơi công tác của người bị tố cáo (cơ quan, tổ chức bị tố cáo)]"
DENOUNCED_ADDRESS = "[Địa chỉ]"
ADDRESS_PLACEHOLDER = "[Địa chỉ của người tố cáo]"
REFERENCE = "[số, ký hiệu văn bản]"
RESOLVER = "[chức vụ người giải quyết tố cáo]"
# On the draft that names the denouncer: how it is kept (content review M8).
CONFIDENTIAL = (
    "BẢO MẬT: bản có họ tên, địa chỉ người tố cáo. Chỉ in, gửi theo quy định bảo mật; không lưu bản điện tử "
    "ngoài máy của Văn phòng Ban; xóa tệp sau khi đã in, ký, gửi."
)


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
    drafted: date | None = None  # the year of the date line
    extension_days: int | None = None  # an extension: the days the Board's settings add
    new_deadline: date | None = None  # an extension: the time limit it gives, as the desk counts it
    identity: bool = False  # the denouncer's name and address were filled in from the report


def facts(
    case: register.Case,
    notices: list[register.Notice],
    kind: str,
    recipient: str = "denouncer",
    settings=None,
    today: date | None = None,
) -> Facts:
    """The register's facts for a notice of ``kind`` to ``recipient``; refuse a case that has no such decision."""
    if kind not in KINDS:
        raise NoticeError(
            f"không có loại thông báo {kind!r}; chọn một trong / unknown notice; one of: {', '.join(KINDS)}"
        )
    if recipient == "denounced" and kind not in TO_DENOUNCED:
        raise NoticeError(
            "người bị tố cáo được thông báo về nội dung tố cáo khi tố cáo được thụ lý, về việc gia hạn và về kết luận "
            "nội dung tố cáo: dùng --kind accepted, extended hoặc concluded / the person denounced is told of an "
            "accepted denunciation, of an extension and of the conclusion: use --kind accepted or extended or concluded"
        )
    found = replace(_register_facts(case, [n for n in notices if n.legal], kind, settings), drafted=today)
    if recipient == "denounced":
        return replace(found, name=DENOUNCED_PLACEHOLDER, address=DENOUNCED_ADDRESS, recipient="denounced")
    return found


def _register_facts(case: register.Case, notices: list[register.Notice], kind: str, settings) -> Facts:
    """What the register knows for a notice of ``kind`` to the denouncer; refuse a case without the decision."""
    if case.anonymous:
        raise NoticeError(
            f"hồ sơ {case.number} là phản ánh ẩn danh: không có người tố cáo để thông báo (Luật Tố cáo 2018 "
            f"Điều 25) / case {case.number} is anonymous: there is no denouncer to notify"
        )
    received = local_date(case.received_at)
    about = [n for n in notices if n.about == kind and n.recipient == "denouncer"]
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
        days, deadline = None, None
        if settings is not None and case.accepted_at:
            from . import resolve_due  # the workflow imports this module

            days = settings.denunciation.extension_days
            deadline = resolve_due(case.accepted_at, len(about), settings)
        ref = latest.decision_ref
        return Facts(kind, case.number, received, decided, ref, None, None, extension_days=days, new_deadline=deadline)
    if kind == "concluded":
        if latest is None:
            raise NoticeError(
                f"hồ sơ {case.number} chưa có kết luận nội dung tố cáo đã thụ lý nên không có thông báo nào phải gửi "
                f'về việc này; ghi nhận trước: office conclude {case.number} --result "..." --decision "..." / case '
                f"{case.number} has no conclusion of an accepted denunciation, so no such notice is owed"
            )
        return Facts(kind, case.number, received, local_date(latest.decided_at), latest.decision_ref, None, None)
    if not case.forwarded_at:
        raise NoticeError(
            f"hồ sơ {case.number} chưa được chuyển nên không có thông báo nào phải gửi về việc này; chuyển trước: "
            f'office forward {case.number} --to "..." --denunciation / case {case.number} was not forwarded, so no '
            "notice of transfer is owed"
        )
    ref = latest.decision_ref if latest else None
    return Facts(kind, case.number, received, local_date(case.forwarded_at), ref, None, case.forwarded_to)


def _ref(facts: Facts) -> str:
    return layout.bare_reference(facts.decision_ref) or REFERENCE


def body(facts: Facts) -> list[str]:
    """The notice's paragraphs, between the addressee and the signature."""
    basis = f"Căn cứ {law.DENUNCIATION_LAW};"
    if facts.recipient == "denounced":
        return [basis, *_to_the_denounced(facts), f"{BOARD} thông báo để Ông/Bà biết./."]
    received = (
        f"Ngày {vn_date(facts.received)}, {BOARD} nhận được tố cáo của Ông/Bà (hồ sơ số {facts.number}) "
        "[tóm tắt nội dung tố cáo]."
    )
    decided = vn_date(facts.decided) if facts.decided else "[ngày]"
    closing = f"{BOARD} thông báo để Ông/Bà biết./."
    secrecy = (
        "Họ tên, địa chỉ, bút tích và thông tin cá nhân khác của Ông/Bà được bảo đảm bí mật theo quy định của "
        "Luật Tố cáo."
    )
    if facts.kind == "accepted":
        return [
            basis,
            received,
            f"Ngày {decided}, {RESOLVER} đã ban hành Quyết định số {_ref(facts)} về việc thụ lý tố cáo. Nội dung tố "
            "cáo được thụ lý: [nội dung theo quyết định thụ lý].",
            f"Thời hạn giải quyết tố cáo: {law.RESOLUTION_LIMIT}.",
            secrecy,
            "[Yêu cầu Ông/Bà cung cấp thông tin, tài liệu (nếu có).]",
            closing,
        ]
    if facts.kind == "extended":
        return [basis, received, *_extension_text(facts), closing]
    if facts.kind == "concluded":
        return [
            basis,
            received,
            f"Ngày {decided}, {RESOLVER} đã ban hành Kết luận nội dung tố cáo số {_ref(facts)}. Nội dung kết luận: "
            "[tóm tắt kết luận nội dung tố cáo, các biện pháp xử lý theo kết luận].",
            secrecy,
            closing,
        ]
    if facts.kind == "not-accepted":
        reason = " ".join((facts.reason or "[lý do không thụ lý]").split()).rstrip(".;,") + "."
        return [
            basis,
            received,
            f"Sau khi xem xét các điều kiện thụ lý tố cáo theo quy định của Luật Tố cáo, ngày {decided} {BOARD} không "
            f"thụ lý tố cáo của Ông/Bà (văn bản số {_ref(facts)}), vì lý do: {reason}",
            "[Hướng dẫn Ông/Bà (nếu có): bổ sung thông tin, tài liệu hoặc gửi đến cơ quan, tổ chức, cá nhân có "
            "thẩm quyền.]",
            closing,
        ]
    authority = facts.authority or "[cơ quan, tổ chức, cá nhân có thẩm quyền]"
    return [
        f"Căn cứ {law.DENUNCIATION_LAW}, {law.ARTICLE} về chuyển tố cáo;",
        received,
        f"Nội dung tố cáo không thuộc thẩm quyền giải quyết của {BOARD}. Ngày {decided}, {BOARD} đã chuyển tố "
        f"cáo, kèm thông tin về người tố cáo với đề nghị giữ bí mật, đến {authority} (văn bản số {_ref(facts)}) để "
        "xem xét, giải quyết theo thẩm quyền.",
        "[Địa chỉ, cách liên hệ của cơ quan nhận (nếu cần).]",
        closing,
    ]


def _extension_text(facts: Facts) -> list[str]:
    """What an extension notice says, to the denouncer and to the person denounced alike: the days and the new
    time limit the desk knows, the rule itself from the law in force."""
    decided = vn_date(facts.decided) if facts.decided else "[ngày]"
    days = f"{facts.extension_days} ngày" if facts.extension_days else "[số ngày] ngày"
    until = vn_date(facts.new_deadline) if facts.new_deadline else "[ngày]"
    return [
        f"Ngày {decided}, {RESOLVER} đã ban hành Quyết định số {_ref(facts)} về việc gia hạn giải quyết tố cáo, vì "
        f"vụ việc [phức tạp / đặc biệt phức tạp] ({law.EXTENSION_RULE}).",
        f"Thời gian gia hạn: {days}; thời hạn giải quyết tố cáo được tính đến hết ngày {until}.",
    ]


def _to_the_denounced(facts: Facts) -> list[str]:
    """What the person denounced is told: nothing of the denouncer, ever."""
    decided = vn_date(facts.decided) if facts.decided else "[ngày]"
    if facts.kind == "extended":
        return _extension_text(facts)
    if facts.kind == "concluded":
        return [
            f"Ngày {decided}, {RESOLVER} đã ban hành Kết luận nội dung tố cáo số {_ref(facts)} đối với Ông/Bà "
            "(cơ quan, tổ chức); gửi kèm theo Thông báo này.",
            "[Các biện pháp xử lý theo kết luận, yêu cầu đối với người bị tố cáo (nếu có); KHÔNG nêu họ tên, địa chỉ, "
            "bút tích hay bất kỳ thông tin nào giúp nhận biết người tố cáo.]",
        ]
    return [
        f"Ngày {decided}, {RESOLVER} đã ban hành Quyết định số {_ref(facts)} về việc thụ lý tố cáo đối với Ông/Bà "
        "(cơ quan, tổ chức).",
        "Nội dung tố cáo được thụ lý: [nội dung theo quyết định thụ lý; KHÔNG nêu họ tên, địa chỉ, bút tích, ngày "
        "gửi tố cáo hay bất kỳ thông tin nào giúp nhận biết người tố cáo].",
        f"Thời hạn giải quyết tố cáo: {law.RESOLUTION_LIMIT}.",
        "[Quyền và nghĩa vụ của người bị tố cáo; yêu cầu giải trình bằng văn bản, cung cấp thông tin, tài liệu "
        "(nếu có), theo Luật Tố cáo hiện hành: Văn phòng Ban điền.]",
    ]


def title(facts: Facts) -> str:
    return TO_DENOUNCED[facts.kind] if facts.recipient == "denounced" else KINDS[facts.kind][0]


def write(path: Path | BinaryIO, facts: Facts, settings: dict[str, Any]) -> None:
    """Write the notice as a DOCX in the Board's layout into ``path``, a new file (``office.export.folder.writing``
    gives it, and renames it once whole: a notice can hold the denouncer's identity), or into a binary stream (the
    window's download: nothing on disk)."""
    from docx import Document

    document = Document()
    layout.page_setup(document)
    if facts.identity:
        _confidential(document)
    year = (facts.drafted or facts.decided or facts.received).year
    head = layout.Letterhead(
        settings["superior_body"],
        settings["issuing_body"],
        layout.number_for(settings, "notice"),
        layout.undated_line(settings["place"], year),
    )
    layout.header_block(document, head)
    layout.title_block(document, "THÔNG BÁO", title(facts))
    layout.paragraph(document, f"Kính gửi: Ông/Bà {facts.name}", align="center", after=0)
    layout.paragraph(document, f"Địa chỉ: {facts.address}", align="center", after=12)
    for text in body(facts):
        layout.paragraph(document, text, align="justify", indent=True)
    kept = "- Lưu: VT." if facts.recipient == "denounced" else f"- Lưu: VT, hồ sơ {facts.number}."
    signature = layout.signature_of(settings)
    layout.signature_block(document, replace(signature, recipients=["- Như trên;", kept]))
    layout.finish_package(document, title=f"Thông báo {title(facts)[0].lower()}{title(facts)[1:]}", author="")
    if not isinstance(path, Path):
        document.save(path)
        return
    with exclusive_file(path) as handle:  # owner-only on POSIX
        document.save(handle)


def _confidential(document) -> None:
    """The handling rule at the top of every page of a draft that names the denouncer."""
    from docx.shared import Pt

    section = document.sections[0]
    for header in (section.header, section.first_page_header):
        line = header.paragraphs[0] if header is section.first_page_header else header.add_paragraph()
        run = line.add_run(CONFIDENTIAL)
        run.bold, run.italic, run.font.size = True, True, Pt(11)
