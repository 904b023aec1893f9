"""What an audit entry did, in words: the history of a case as ``office show`` and ``office audit list`` say it.

The trail keeps codes (an action, and the workflow step or the notice in its details); a person
reads "Phân loại", "Ghi nhận đã thông báo: Thông báo nội dung tố cáo cho người bị tố cáo", never
"Cập nhật hồ sơ classify" or, for the person denounced, "Trả lời, thông báo người phản ánh"
(desk trial 2, M9 and LOW; content review L11).
"""

from __future__ import annotations

from ..register import audit
from . import NOTICE_ABOUT, NOTICE_TO

# Workflow actions (the ``action`` of a "change" entry): code -> (Vietnamese, English).
STEPS: dict[str, tuple[str, str]] = {
    "classify": ("Phân loại, xác định thẩm quyền", "classified"),
    "assign": ("Giao đơn vị xử lý", "assigned to a unit"),
    "forward": ("Chuyển cơ quan có thẩm quyền", "forwarded"),
    "follow": ("Theo dõi kết quả", "followed up"),
    "conclude": ("Kết thúc hồ sơ", "concluded"),
    "reject": ("Không xem xét, xử lý", "not taken up"),
    "reopen": ("Mở lại hồ sơ", "reopened"),
    "extend": ("Gia hạn", "extended"),
    "accept": ("Thụ lý tố cáo", "accepted the denunciation"),
    "decline": ("Không thụ lý tố cáo", "did not accept the denunciation"),
    "flag": ("Đánh dấu, báo cáo Lãnh đạo Ban", "flagged, leaders told"),
}


def describe(entry: audit.Entry) -> tuple[str, str]:
    """(Vietnamese, English) words for what an entry did."""
    vi, en = audit.ACTIONS.get(entry.action, (entry.action, entry.action))
    details = entry.details
    step = details.get("action")
    if entry.action == "change" and step in STEPS:
        return STEPS[step]
    if entry.action == "reply" and step == "notify":
        about, to = details.get("about"), details.get("to", "reporter")
        to_vi, to_en = NOTICE_TO.get(to, (to, to))
        if about in NOTICE_ABOUT:
            label_vi, label_en = NOTICE_ABOUT[about]
            if about == "accepted" and to == "denounced":
                label_vi, label_en = "Thông báo nội dung tố cáo", "notice of the content"
            return f"Ghi nhận đã thông báo: {label_vi} cho {to_vi}", f"notice given: {label_en} to {to_en}"
        return f"Ghi nhận đã thông báo cho {to_vi}", f"notice given to {to_en}"
    if entry.action == "reply":
        return "Trả lời qua mã tra cứu", "answered through the receipt code"
    if entry.action == "notice":
        kind, to = details.get("kind"), details.get("to", "denouncer")
        to_vi, to_en = NOTICE_TO.get(to, (to, to))
        label_vi, label_en = NOTICE_ABOUT.get(kind, (str(kind), str(kind)))
        return f"Lập dự thảo {label_vi.lower()} cho {to_vi}", f"drafted the {label_en} to {to_en}"
    return vi, en
