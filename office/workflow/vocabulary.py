"""The plan's vocabulary: the statuses a case goes through, its tracks, channels and flags, the notices the
law asks for, and what to do next from each status; with their Vietnamese and English names.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any

from .. import register

STATUSES: dict[str, tuple[str, str]] = {
    "received": ("Đã tiếp nhận", "Received"),
    "classified": ("Đã phân loại", "Classified"),
    "handling": ("Đang xử lý", "Being handled by a unit"),
    "forwarded": ("Đã chuyển cơ quan có thẩm quyền", "Forwarded to the competent authority"),
    "following": ("Đang theo dõi kết quả", "Following the result"),
    "concluded": ("Đã kết thúc", "Concluded"),
    "rejected": ("Không xem xét, xử lý", "Not taken up"),
}

TRACKS: dict[str, tuple[str, str]] = {
    "report": ("Phản ánh, kiến nghị", "report"),
    "denunciation": ("Tố cáo đã thụ lý", "accepted denunciation"),
}

# The notices owed after a decision on a denunciation (register.Notice.about, .recipient).
NOTICE_ABOUT: dict[str, tuple[str, str]] = {
    "accepted": ("Thông báo thụ lý tố cáo", "notice of acceptance"),
    "not-accepted": ("Thông báo không thụ lý tố cáo", "notice of non-acceptance"),
    "transferred": ("Thông báo chuyển tố cáo", "notice of transfer"),
    "extended": ("Thông báo gia hạn giải quyết tố cáo", "notice of extension"),
    "concluded": ("Thông báo kết luận nội dung tố cáo", "notice of the conclusion"),
    # To the reporter of a phản ánh (the Board's own notices).
    "handling": ("Thông báo về việc xử lý", "notice of how it is handled"),
    "result": ("Thông báo kết quả xử lý", "notice of the result"),
    "other": ("Thông báo khác", "another notice"),
}
NOTICE_TO: dict[str, tuple[str, str]] = {
    "reporter": ("người phản ánh", "the reporter"),
    "denouncer": ("người tố cáo", "the denouncer"),
    "denounced": ("người bị tố cáo", "the person denounced"),
}
# What the clerk confirms before recording a thụ lý decision: the conditions of LEGAL_FACTS §3.5
# (Luật Tố cáo 2018 Điều 29), and that the denouncer is named (Điều 25). The tool does not check them.
ACCEPTANCE_CONDITIONS: tuple[tuple[str, str], ...] = (
    (
        "Người tố cáo nêu rõ họ tên, địa chỉ (tố cáo không ẩn danh, không mạo danh)",
        "the denouncer gave their name and address (not anonymous, not in another's name)",
    ),
    (
        "Tố cáo được thực hiện theo quy định tại Điều 23 (đơn tố cáo hoặc tố cáo trực tiếp, đủ nội dung)",
        "the denunciation was made as Article 23 provides (a letter, or in person, with the content listed)",
    ),
    ("Người tố cáo có đủ năng lực hành vi dân sự", "the denouncer has full civil act capacity"),
    (
        "Vụ việc thuộc thẩm quyền giải quyết tố cáo của Ban",
        "the matter is within the Board's competence to resolve denunciations",
    ),
    (
        "Nội dung tố cáo có cơ sở để xác định người vi phạm, hành vi vi phạm pháp luật",
        "the content gives grounds to identify the violator and the violation",
    ),
)
OPEN_STATUSES = ("received", "classified", "handling", "forwarded", "following")

COMPETENCE: dict[str, tuple[str, str]] = {
    "within": ("Thuộc thẩm quyền của Ban", "within the Board's competence"),
    "outside": ("Không thuộc thẩm quyền của Ban", "outside the Board's competence"),
}

# The plan: "Kịp thời báo cáo Lãnh đạo Ban đối với các vụ việc phức tạp, kéo dài hoặc có dấu hiệu
# phát sinh khiếu nại, tố cáo đông người, vượt cấp."
FLAGS: dict[str, tuple[str, str]] = {
    "complex": ("Phức tạp", "complex"),
    "prolonged": ("Kéo dài", "prolonged"),
    "many-people": ("Đông người", "many people"),
    "over-levels": ("Vượt cấp", "over levels"),
    # A report of retaliation against a reporter (task 5): set when such a case is classified, so that
    # the leaders are told and protection is considered (``office protect``).
    "retaliation": ("Trù dập người phản ánh, tố giác", "retaliation against a reporter"),
}

CHANNELS: dict[str, tuple[str, str]] = {
    "online": ("Trực tuyến (cổng)", "online (portal)"),
    "hotline": ("Đường dây nóng", "hotline"),
    "email": ("Thư điện tử", "e-mail"),
    "letter": ("Thư gửi qua bưu điện", "postal letter"),
    "mailbox": ("Hòm thư góp ý", "comment mailbox"),
    "reception": ("Tiếp công dân", "citizen reception"),
    "forwarded": ("Cơ quan khác chuyển đến", "forwarded by another body"),
}

# What to do next from each status, shown after every command.
NEXT_STEP: dict[str, str] = {
    "received": "office classify {n} --competence within|outside",
    "classified": 'office assign {n} --unit "..." (thuộc thẩm quyền / within) hoặc / or '
    'office forward {n} --to "..." (không thuộc thẩm quyền / outside); office reject {n} --reason "..."',
    "handling": 'office follow {n} --note "..." hoặc / or office conclude {n} --result "..."',
    "forwarded": 'office follow {n} --note "kết quả / result ..."',
    "following": 'office conclude {n} --result "..."',
    "concluded": '(đã xong / done; có thông tin mới / new information: office reopen {n} --reason "...")',
    "rejected": '(đã xong / done; có thông tin mới / new information: office reopen {n} --reason "...")',
}


def next_step(case: register.Case) -> str:
    """What to do next with a case, for its status and its track."""
    n = case.number
    if case.track == "denunciation" and case.status == "classified":
        return f'office assign {n} --unit "..." (tố cáo đã thụ lý / accepted denunciation)'
    text = NEXT_STEP[case.status].format(n=n)
    if case.status == "classified" and not case.anonymous and case.track == "report":
        text += (
            f'; tố cáo có danh tính / a named denunciation: office accept {n} --decision "..." '
            f'hoặc / or office decline {n} --reason "..."'
        )
    return text


def reply_status(case) -> str:
    """What the reporter is told (a ``reply/1`` status) for the case's place in the workflow.

    The reporter sees fewer steps than the Office keeps: a classified case is still
    "being classified" until a unit takes it or it goes to another authority, and
    following the result is "being handled" or "forwarded", whichever it was.
    """
    if case.status == "following":
        return "forwarded" if case.forwarded_to else "handling"
    return {
        "received": "received",
        "classified": "classifying",
        "handling": "handling",
        "forwarded": "forwarded",
        "concluded": "concluded",
        "rejected": "not_accepted",
    }[case.status]


def fold(name: str) -> str:
    """A unit's name without case, tone marks or extra spaces: "Doanh nghiep" and "Doanh nghiệp" fold alike."""
    text = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def similar_units(name: str, known: set[str]) -> list[str]:
    """Units already in use whose names are close to ``name``: a typo must not start a second unit."""
    folded = {fold(k): k for k in sorted(known)}
    if fold(name) in folded:
        return [folded[fold(name)]]
    return [folded[f] for f in difflib.get_close_matches(fold(name), list(folded), n=3, cutoff=0.85)]


# Words that start many units' names ("Phòng Quản lý Quy hoạch và Xây dựng"): a report may name the unit without them.
_GENERIC = ("phong ", "ban ", "van phong ", "trung tam ", "chi cuc ", "to ")
NAMED_FIELDS = ("persons_involved", "description", "place")


def named_in(document: dict[str, Any], unit: str, head: str | None) -> list[str]:
    """The unit or its head as the report names them ("Người, đơn vị liên quan", the description, the place).

    Handing a report to the unit it is about is what exposed the hotline caller of desk trial 2 (M3): the
    assignment then needs a reason, recorded in the audit trail. Names are compared without case or tone
    marks; a unit is also found by its name without its first word ("Quản lý Quy hoạch và Xây dựng").
    """
    text = f" {fold(' '.join(str(document.get(name) or '') for name in NAMED_FIELDS))} "
    found = []
    folded = fold(unit)
    short = next((folded[len(word) :] for word in _GENERIC if folded.startswith(word)), None)
    for label, needle in ((unit, folded), (unit, short), (head, fold(head or ""))):
        if label and needle and len(needle.split()) >= 2 and f" {needle} " in text and label not in found:
            found.append(label)
    return found


def days(count: int) -> str:
    """ "1 day", "2 days": English counts its days (Vietnamese writes "1 ngày", "2 ngày" alike)."""
    return f"{count} day" if count == 1 else f"{count} days"


def status_label(status: str, language: str = "vi") -> str:
    vi, en = STATUSES.get(status, (status, status))
    return vi if language == "vi" else en


def bilingual(table: dict[str, tuple[str, str]], code: str | None) -> str:
    if not code:
        return "-"
    vi, en = table.get(code, (code, code))
    return f"{vi} / {en}"


def notice_label(notice: register.Notice) -> str:
    vi, en = NOTICE_ABOUT[notice.about]
    to_vi, to_en = NOTICE_TO[notice.recipient]
    if notice.about == "accepted" and notice.recipient == "denounced":
        vi, en = "Thông báo nội dung tố cáo", "notice of the content"
    return f"{vi} cho {to_vi} / {en} to {to_en}"
