"""The function's own HTML pages in the reader's language: Vietnamese, or English after an English page.

Without JavaScript, the portal's forms post to the function, which answers with
its own pages (``templates/``). Those pages speak the language of the page the
post came from, and nothing else decides it: each no-JavaScript form carries a
``language`` field (``vi`` or ``en``), and its action URL carries the same
``?language=``, so that a refusal made before the body is read (the budget's
429, a body too large) still speaks the page's language. The value must be
exactly ``vi`` or ``en``; anything else, or nothing, means Vietnamese. The
browser's Accept-Language is never used, nor anything else about the person.

Every text of those pages lives here, in both languages, with the same keys;
the JSON API keeps its Vietnamese messages unchanged (``errors``), and English
error pages are chosen by the error's code, never by translating its message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import g, has_request_context

from . import receipt, report

LANGUAGES = ("vi", "en")
DEFAULT = "vi"

TEXTS: dict[str, dict[str, str]] = {
    "vi": {
        "site": "Ban Quản lý Khu kinh tế tỉnh An Giang",
        "time": "%H:%M ngày %d/%m/%Y",
        "receipt_title": "Phản ánh đã được gửi và lưu an toàn",
        "receipt_heading": "Phản ánh của Ông/Bà đã được gửi và lưu an toàn",
        "receipt_stored": "Phản ánh đã được mã hóa ngay khi đến máy chủ và được lưu an toàn lúc",
        "receipt_stored_after": (
            "(giờ Việt Nam). Chỉ Văn phòng Ban Quản lý Khu kinh tế tỉnh An Giang mở được nội dung này."
        ),
        "code_heading": "Mã tra cứu của Ông/Bà",
        "code_keep_before": "Vui lòng",
        "code_keep": "ghi lại hoặc in trang này ngay",
        "code_keep_after": (
            ". Mã này chỉ hiển thị một lần, hệ thống không lưu và không thể cấp lại. Với mã này, tại trang "
            "“Theo dõi phản ánh”, Ông/Bà có thể xem tình trạng xử lý hoặc câu hỏi mà Văn phòng Ban có thể đăng, "
            "và bổ sung thông tin, mà vẫn giữ được ẩn danh. Không chia sẻ mã với người khác."
        ),
        "receipt_ref": "Số tham chiếu của lần gửi:",
        "next_heading": "Các bước tiếp theo",
        "next_handling": (
            "Văn phòng Ban tiếp nhận, phân loại và xử lý hoặc chuyển cơ quan có thẩm quyền theo quy định."
        ),
        "next_contact": "Nếu Ông/Bà để lại thông tin liên hệ, Văn phòng Ban có thể liên hệ khi cần làm rõ nội dung.",
        "next_not_denunciation": (
            "Phản ánh gửi trực tuyến, kể cả khi có ghi họ tên, không phải là đơn tố cáo. Phản ánh không ghi rõ "
            "họ tên, địa chỉ không nhận được thông báo thụ lý hay kết quả; nếu có nội dung rõ ràng, tài liệu, "
            "chứng cứ cụ thể thì vẫn có thể được xem xét, kiểm tra theo quy định."
        ),
        "receipt_note": (
            "Trang này không lưu lại nội dung phản ánh. Phần mềm tiếp nhận không ghi địa chỉ IP hay thông tin "
            "thiết bị của Ông/Bà (về cấu hình của hạ tầng lưu trữ, xem mục 4 của Quy trình bảo mật thông tin "
            "người phản ánh, tố giác trên cổng thông tin)."
        ),
        "open_check": "Mở trang Theo dõi phản ánh",
        "open_check_after": "(dùng mã tra cứu ở trên)",
        "contacts_all": "Các kênh liên hệ khác: đường dây nóng, thư điện tử, hòm thư góp ý, lịch tiếp công dân",
        "contacts": "Các kênh liên hệ khác",
        "back_to_check": "Trở lại trang Theo dõi phản ánh",
        "followup_title": "Đã nhận thông tin bổ sung",
        "followup_stored": "Thông tin bổ sung đã được mã hóa ngay khi đến máy chủ và được lưu an toàn.",
        "followup_known": "Văn phòng Ban sẽ xem cùng với phản ánh trước đó của Ông/Bà.",
        "followup_kept": (
            "Văn phòng Ban chưa có hồ sơ nào gắn với mã tra cứu này (phản ánh có thể chưa được vào sổ, hoặc mã "
            "được ghi nhầm). Thông tin bổ sung được giữ lại để Văn phòng Ban đối chiếu: nếu phản ánh của Ông/Bà "
            "được vào sổ sau, thông tin sẽ được gắn vào hồ sơ đó; nếu không, Văn phòng Ban sẽ xem và đối chiếu "
            "bằng tay."
        ),
        "followup_unsure": "Văn phòng Ban sẽ đối chiếu với hồ sơ của mã tra cứu này.",
        "followup_ref": "Số tham chiếu:",
        "followup_same_code": "Tiếp tục dùng mã tra cứu cũ để theo dõi phản ánh.",
        "replies_title": "Theo dõi phản ánh",
        "replies_note": (
            "Trang này được tạo khi không dùng JavaScript: mã tra cứu đã được gửi tới máy chủ để giải mã những gì "
            "Văn phòng Ban đã đăng, chỉ trong bộ nhớ; mã không được lưu lại. Máy chủ không lưu mã và không ghi "
            "nhật ký về mã."
        ),
        "authority": "Cơ quan có thẩm quyền:",
        "reason": "Lý do:",
        "nothing_yet": (
            "Chưa có thông tin nào cho mã này. Văn phòng Ban có thể đăng tình trạng xử lý hoặc câu hỏi tại đây; "
            "đây không phải thông báo kết quả giải quyết. Nếu mã vừa được cấp, vui lòng quay lại sau."
        ),
        "not_registered": (
            "Chưa có thông tin nào cho mã này, và Văn phòng Ban chưa vào sổ phản ánh nào mang mã này. Nếu Ông/Bà "
            "vừa gửi phản ánh, vui lòng quay lại sau; nếu không, vui lòng đối chiếu lại mã đã ghi."
        ),
        "add_heading": "Bổ sung thông tin",
        "add_unmatched": (
            "Thông tin bổ sung gửi bằng mã này sẽ được giữ lại để Văn phòng Ban đối chiếu, vì chưa có hồ sơ nào "
            "gắn với mã."
        ),
        "add_message": "Nội dung bổ sung",
        "add_files": "Tệp đính kèm (không bắt buộc, tổng dung lượng nhỏ)",
        "add_send": "Gửi thông tin bổ sung",
        "check_failed": "Chưa tra cứu được",
        "check_nothing_sent": "Chưa có gì được tải về hay gửi đi. Vui lòng sửa mã rồi tra cứu lại.",
        "code_label": "Mã tra cứu",
        "check_again": "Tra cứu lại",
        "report_not_sent": "Chưa gửi được phản ánh",
        "followup_not_sent": "Chưa gửi được thông tin bổ sung",
        "problems_fix": (
            "Vui lòng quay lại trang trước (nội dung đã nhập vẫn còn trong trình duyệt), sửa các mục trên rồi gửi lại."
        ),
    },
    "en": {
        "site": "Economic Zone Management Board of An Giang Province",
        "time": "%H:%M on %d/%m/%Y",
        "receipt_title": "Your report has been sent and stored safely",
        "receipt_heading": "Your report has been sent and stored safely",
        "receipt_stored": "Your report was encrypted as soon as it reached the server and stored safely at",
        "receipt_stored_after": (
            "(Viet Nam time). Only the Office of the Economic Zone Management Board of An Giang Province can open it."
        ),
        "code_heading": "Your receipt code",
        "code_keep_before": "Please",
        "code_keep": "write this code down or print this page now",
        "code_keep_after": (
            ". The code is shown only once: the system does not keep it and cannot issue it again. With it, on "
            "the “Follow up on your report” page, you can see any state of handling or question the Office may "
            "post, and add information, still anonymously. Do not share the code."
        ),
        "receipt_ref": "Reference number of this sending:",
        "next_heading": "What happens next",
        "next_handling": (
            "The Office registers and classifies the report, and handles it or forwards it to the competent "
            "authority as the rules require."
        ),
        "next_contact": "If you left contact details, the Office may contact you when something needs clarifying.",
        "next_not_denunciation": (
            "A report sent online is not a denunciation, even with your name. A report without a name and "
            "address receives no notice of acceptance or result; if it is specific and backed by documents or "
            "evidence, it can still be checked as the rules allow."
        ),
        "receipt_note": (
            "This page does not keep what you reported. The reporting software records no IP address or device "
            "information (for the hosting set-up, see section 4 of the confidentiality procedure on the portal)."
        ),
        "open_check": "Open the “Follow up on your report” page",
        "open_check_after": "(with the receipt code above)",
        "contacts_all": "Other channels: hotline, e-mail, comment mailbox, citizen reception",
        "contacts": "Other channels",
        "back_to_check": "Back to the “Follow up on your report” page",
        "followup_title": "Information received",
        "followup_stored": (
            "The information you added was encrypted as soon as it reached the server and stored safely."
        ),
        "followup_known": "The Office reads it together with your earlier report.",
        "followup_kept": (
            "The Office has no case linked to this receipt code yet (the report may not be registered yet, or the "
            "code was written down wrongly). The information is kept for the Office to match: if your report is "
            "registered later, it joins that case; otherwise the Office reads it and matches it by hand."
        ),
        "followup_unsure": "The Office matches it with the case of this receipt code.",
        "followup_ref": "Reference number:",
        "followup_same_code": "Keep using the same receipt code to follow up on your report.",
        "replies_title": "Follow up on your report",
        "replies_note": (
            "This page was made without JavaScript: the receipt code was sent to the server to decrypt what the "
            "Office posted, in memory only. The server does not keep the code and records nothing about it."
        ),
        "authority": "Competent authority:",
        "reason": "Reason:",
        "nothing_yet": (
            "Nothing has been posted for this code yet. The Office may post the state of handling or a question "
            "here; this is not a notice of the result. If the code was issued just now, please come back later."
        ),
        "not_registered": (
            "Nothing has been posted for this code yet, and the Office has not yet registered a report with this "
            "code. If you reported just now, please come back later; otherwise, please compare the code with the "
            "one you kept."
        ),
        "add_heading": "Add information",
        "add_unmatched": (
            "As no case is linked to this code yet, what you add with it is kept for the Office to match."
        ),
        "add_message": "What you want to add",
        "add_files": "Attach files (optional, small in total)",
        "add_send": "Send the information",
        "check_failed": "Not checked yet",
        "check_nothing_sent": "Nothing was fetched or sent. Please correct the code and check again.",
        "code_label": "Receipt code",
        "check_again": "Check again",
        "report_not_sent": "The report was not sent",
        "followup_not_sent": "The information was not sent",
        "problems_fix": (
            "Please go back to the previous page (what you typed is still in the browser), correct the items "
            "above and send again."
        ),
    },
}

# English error messages by ApiError code; the Vietnamese ones are the errors' own messages, which
# the JSON API also sends. ``{mib}`` and ``{minutes}`` come from the error (see ``error_message``).
_CHANNELS_EN = "or contact the Office by hotline, e-mail, comment mailbox or citizen reception"
ERRORS_EN: dict[str, str] = {
    "bad_request": "The request is not valid.",
    "not_found": "This address does not exist.",
    "method_not_allowed": "This method is not supported at this address.",
    "too_large": "What was sent is larger than allowed.",
    "too_large_limit": "What was sent is larger than allowed. Limit: {mib} MiB.",
    "unsupported_media_type": "What was sent is of a type not accepted here. Please send the form from the portal.",
    "too_many_requests": "The system is receiving too many requests. Please try again in a few minutes.",
    "headers_too_large": "The headers of the request are too large.",
    "busy": (
        "This channel is receiving too many requests at once. Please try again in about {minutes} minute(s), "
        f"use the page with JavaScript, {_CHANNELS_EN}."
    ),
    "slow_down": (
        "Many requests have come from your network address in a short time. Please try again in about "
        "{minutes} minute(s)."
    ),
    "page_outdated": "The check page has been updated. Please reload the page and check again.",
    "form_disabled": (f"Sending without JavaScript is paused for now. Please turn JavaScript on, {_CHANNELS_EN}."),
    "store_unavailable": (
        "The storage is not available for the moment, so nothing was stored. Please send again in a few minutes."
    ),
    "internal_error": "Something went wrong in the system. Please try again later.",
    "invalid_encoding": (
        "What was sent holds characters that are not valid (not UTF-8), so it was not received. Please type "
        "that part again on the page and send again."
    ),
    "bad_form": (
        "The form that arrived is damaged or incomplete, so it was not received. Please reload the page and send again."
    ),
    "too_many_files": "At most 20 files can be attached.",
    "invalid_report": ("The report was not sent because some information is not valid. Please see each item below."),
    "invalid_followup": "The information was not sent. Please see the item below.",
}
ERROR_EN_FALLBACK = "The request could not be handled."


def language_of(*sources: Mapping[str, Any]) -> str:
    """The page language the first source naming one gives: exactly "vi" or "en", else Vietnamese.

    A source is a form's fields or the query string. A repeated ``language`` is not a choice: Vietnamese.
    """
    for source in sources:
        values = source.getlist("language") if hasattr(source, "getlist") else [source.get("language")]
        values = [v for v in values if v is not None]
        if values:
            value = values[0] if len(values) == 1 else None
            return value if isinstance(value, str) and value in LANGUAGES else DEFAULT
    return DEFAULT


def use_language(*sources: Mapping[str, Any]) -> str:
    """Remember, for this request's pages (errors included), the language the sources give."""
    g.page_language = language_of(*sources)
    return g.page_language


def current() -> str:
    """The page language of this request: Vietnamese unless a no-JavaScript form said English."""
    if not has_request_context():
        return DEFAULT
    return g.get("page_language", DEFAULT)


def texts(lang: str | None = None) -> dict[str, str]:
    return TEXTS[lang or current()]


def local_time(moment: datetime, lang: str | None = None) -> str:
    return moment.strftime(texts(lang)["time"])


def status_label(status: str, lang: str | None = None) -> str:
    return report.status_labels().get(status, {}).get(lang or current(), status)


def site_url(url: str, site_origin: str | None, lang: str | None = None) -> str:
    """A link to one of the portal's pages, in the page language (English pages live under /en/).

    Only links to the portal itself are moved; an address elsewhere is kept as configured.
    """
    if (lang or current()) != "en":
        return url
    parts = urlsplit(url)
    on_site = not parts.netloc or (site_origin and f"{parts.scheme}://{parts.netloc}" == site_origin)
    if not on_site or not parts.path.startswith("/") or parts.path.startswith("/en/"):
        return url
    return urlunsplit(parts._replace(path="/en" + parts.path))


def code_problem(kind: str, groups: tuple[int, ...], lang: str | None = None) -> str:
    """What is wrong with a receipt code that was refused, in the page language: which group to look at."""
    if (lang or current()) == "vi":
        return receipt.problem_text(receipt.ReceiptCodeError(kind, groups, ""))
    which = " and ".join(str(g) for g in groups)
    if kind == "swapped":
        return f"Groups {which} are in each other's place. Please check the order of the groups in the code you kept."
    if kind == "check":
        return f"Group {which} has a character written or typed wrong. Please check this group in the code you kept."
    if kind == "character":
        return f"Group {which} holds a character no receipt code contains. Please check this group."
    if groups:
        return (
            f"Group {which} has too many or too few characters. A group has 6 characters (5 in codes issued earlier)."
        )
    return (
        "A receipt code has 4 groups of 6 characters (codes issued earlier: 4 groups of 5). "
        "Please check the code you kept."
    )


def error_message(error: Any, lang: str | None = None) -> str:
    """An ApiError's message in the page language (English chosen by the error's code)."""
    if (lang or current()) == "vi":
        return error.message
    details = error.details or {}
    if error.code == "invalid_code" and "kind" in details:
        return code_problem(details["kind"], details["groups"], "en")
    if error.code in ("busy", "slow_down"):
        return ERRORS_EN[error.code].format(minutes=max(1, math.ceil((error.retry_after or 60) / 60)))
    if error.code == "too_large" and "mib" in details:
        return ERRORS_EN["too_large_limit"].format(mib=details["mib"])
    return ERRORS_EN.get(error.code, ERROR_EN_FALLBACK)


def error_heading(error: Any, lang: str | None = None) -> str:
    return texts(lang)[error.heading or "report_not_sent"]


def error_problems(error: Any, lang: str | None = None) -> list[dict[str, str]]:
    """The error's field problems as the page shows them: the field's name and what is wrong."""
    english = (lang or current()) == "en"
    return [
        {
            "label": report.field_label(p["field"], "en") if english else (p.get("label") or p["field"]),
            "message": p.get("message_en", p["message"]) if english else p["message"],
        }
        for p in error.problems or []
    ]
