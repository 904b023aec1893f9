"""Every word the engine itself puts on a page, in Vietnamese (first) and English.

Page prose lives in ``docs/``; these are only the labels around the data of ``portal.yml``
and the quizzes, kept here so that both languages stay side by side and in step with
``../shared/GLOSSARY.md``.
"""

from __future__ import annotations

import unicodedata

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "pending": "đang cập nhật",
        "pending_note": (
            "Các mục ghi “đang cập nhật” là thông tin Văn phòng Ban chưa công bố; "
            "trang này sẽ được bổ sung ngay khi có thông tin chính thức."
        ),
        "hotline": "Đường dây nóng",
        "email": "Thư điện tử tiếp nhận phản ánh",
        "postal_address": "Địa chỉ nhận văn bản, đơn thư",
        "mailbox": "Hòm thư góp ý",
        "address": "Địa chỉ",
        "address_heading": "Trụ sở và giờ làm việc",
        "office_hours": "Giờ làm việc",
        "reception": "Lịch tiếp công dân định kỳ của Trưởng ban",
        "reception_short": "Tiếp công dân định kỳ",
        "reception_day": "Ngày tiếp",
        "reception_time": "Thời gian",
        "reception_place": "Địa điểm",
        "reception_registration": "Cách đăng ký",
        "reception_note": "Lưu ý",
        "ics_link": "Tải lịch tiếp công dân (tệp .ics) để thêm vào lịch trên điện thoại hoặc máy tính",
        "ics_pending": "Tệp lịch (.ics) sẽ có lịch tiếp khi Văn phòng Ban cập nhật đủ ngày, giờ và địa điểm.",
        "online": "Gửi phản ánh trực tuyến",
        "online_text": "Phản ánh gửi trực tuyến được mã hóa để chỉ Văn phòng Ban đọc được.",
        "online_link": "Gửi phản ánh trực tuyến",
        "follow_up_link": "Tra cứu kết quả bằng mã tra cứu",
        "confidentiality_link": "Quy trình bảo mật thông tin người phản ánh, tố giác",
        "updated": "Thông tin được cập nhật ngày",
        "contacts_link": "Xem đầy đủ thông tin tiếp nhận",
        "contacts_page": "Thông tin tiếp nhận",
        "privacy_page": "Chính sách quyền riêng tư",
        "accessibility_page": "Khả năng tiếp cận",
        "key_primary": "Khóa chính",
        "key_backup": "Khóa dự phòng",
        "key_label": "Khóa công khai",
        "fingerprint": "Dấu vân tay (để đối chiếu qua điện thoại)",
        "keys_pending": "Khóa công khai của Văn phòng Ban đang cập nhật.",
        "footer_nav": "Liên kết chân trang",
        "table": "Bảng",
        "quiz_hint_nojs": "Mỗi câu có một đáp án đúng; mở mục “Xem đáp án” để đối chiếu.",
        "quiz_hint_js": (
            "Chọn một phương án cho mỗi câu để xem ngay đúng hay chưa đúng. Không có dữ liệu nào rời khỏi trang."
        ),
        "quiz_show_answer": "Xem đáp án",
        "quiz_answer": "Đáp án",
        "quiz_correct": "Đúng.",
        "quiz_wrong": "Chưa đúng.",
        "quiz_right_answer_is": "Đáp án đúng:",
        "quiz_score": "Số câu trả lời đúng: {correct}/{total}.",
        "quiz_question": "Câu",
    },
    "en": {
        "pending": "being updated",
        "pending_note": (
            "Items marked “being updated” have not been published by the Office yet; "
            "this page will be completed as soon as the official information is available."
        ),
        "hotline": "Hotline",
        "email": "E-mail for reports",
        "postal_address": "Address for letters and written reports",
        "mailbox": "Comment mailbox",
        "address": "Address",
        "address_heading": "Head office and office hours",
        "office_hours": "Office hours",
        "reception": "Periodic citizen reception by the Head of the Board",
        "reception_short": "Periodic citizen reception",
        "reception_day": "Day",
        "reception_time": "Time",
        "reception_place": "Place",
        "reception_registration": "How to register",
        "reception_note": "Note",
        "ics_link": "Download the reception schedule (.ics file) to add it to the calendar of a phone or computer",
        "ics_pending": (
            "The calendar file (.ics) will hold the schedule once the Office has published its day, time and place."
        ),
        "online": "Send a report online",
        "online_text": "Reports sent online are encrypted so that only the Board's Office can read them.",
        "online_link": "Send a report online",
        "follow_up_link": "Follow up with a receipt code",
        "confidentiality_link": "Confidentiality procedure for reporters' information",
        "updated": "Information last updated on",
        "contacts_link": "See all the ways to reach the Board",
        "contacts_page": "Contacts",
        "privacy_page": "Privacy notice",
        "accessibility_page": "Accessibility",
        "key_primary": "Primary key",
        "key_backup": "Backup key",
        "key_label": "Public key",
        "fingerprint": "Fingerprint (to compare over the phone)",
        "keys_pending": "The Office's public key is being updated.",
        "footer_nav": "Footer links",
        "table": "Table",
        "quiz_hint_nojs": "Each question has one right answer; open “Show the answer” to check.",
        "quiz_hint_js": (
            "Pick an option for each question to see at once whether it is right. Nothing leaves this page."
        ),
        "quiz_show_answer": "Show the answer",
        "quiz_answer": "Answer",
        "quiz_correct": "Right.",
        "quiz_wrong": "Not quite.",
        "quiz_right_answer_is": "The right answer:",
        "quiz_score": "Right answers: {correct}/{total}.",
        "quiz_question": "Question",
    },
}

_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def label(lang: str, key: str) -> str:
    """The label ``key`` in ``lang``; an unknown key is a programming error, so it raises."""
    return _LABELS[lang if lang in _LABELS else DEFAULT_LANGUAGE][key]


def format_date(lang: str, value) -> str:
    """A date as each language writes it in administrative text: 20/05/2026, 20 May 2026."""
    if lang == "en":
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    return value.strftime("%d/%m/%Y")


def fold(text: str) -> str:
    """Vietnamese without diacritics, lower case: 'Tố giác' -> 'to giac' (for lenient matching)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]
