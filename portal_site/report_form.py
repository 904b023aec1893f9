"""The online report form and the receipt check form, rendered from the report schema.

The fields, their names, limits, categories and labels come from
``intake_function/schemas/report-1.schema.json``, the same file the function
validates with, so the form cannot drift from the contract. The HTML works on
its own (it posts to the function's no-JavaScript routes); the page's script
(``web/src/report-page.js``, ``web/src/check-page.js``) takes it over when it runs.

Both forms carry the page's language twice, for the function's pages to answer in it
(``intake_function/pages.py``): a ``language`` field, and ``?language=`` on the action, which the
function reads when it refuses a post before reading its body (too large, too many at once).
"""

from __future__ import annotations

import json
from html import escape

from intake_function import report

TEXTS = {
    "vi": {
        "required": "(bắt buộc)",
        "optional": "(không bắt buộc)",
        "category_hint": "Chọn một loại gần nhất với nội dung phản ánh.",
        "description_hint": (
            "Mô tả sự việc: ai, làm gì, khi nào, ở đâu, như thế nào. Viết càng cụ thể càng dễ xác minh."
        ),
        "occurred_hint": "Ngày hoặc khoảng thời gian, ví dụ: tháng 10/2026.",
        "place_hint": "Ví dụ: tên khu công nghiệp, khu kinh tế, cơ quan, địa chỉ.",
        "persons_hint": "Họ tên, chức vụ, đơn vị của người hoặc đơn vị liên quan (nếu biết).",
        "files_hint": (
            "Hình ảnh, tài liệu làm bằng chứng: mỗi tệp tối đa 50 MB, tổng cộng tối đa 200 MB, tối đa 20 tệp. "
            "Tệp được mã hóa trên máy của Ông/Bà trước khi tải lên."
        ),
        "metadata": (
            "Lưu ý: tệp có thể mang thông tin ẩn về người tạo. Ảnh chụp bằng điện thoại thường ghi vị trí GPS, "
            "thời gian và loại máy; tài liệu Word, Excel, PDF thường ghi tên tác giả, tên máy tính. Nếu cần, hãy "
            "chụp màn hình hoặc xuất lại tệp sang PDF trước khi đính kèm."
        ),
        "identity_legend": "Thông tin người phản ánh",
        "identity_lead": (
            "Ông/Bà có thể gửi không nêu tên: để trống phần này. Khi đó Văn phòng Ban không thể liên hệ lại. Dù "
            "không nêu tên, Ông/Bà vẫn dùng được mã tra cứu: Văn phòng Ban có thể đăng tình trạng xử lý hoặc câu "
            "hỏi qua mã, và Ông/Bà có thể bổ sung thông tin."
        ),
        "identity_protection": (
            "Nếu ghi họ tên, thông tin này được mã hóa cùng phản ánh, chỉ Văn phòng Ban mở được và được giữ bí "
            "mật theo quy trình bảo mật. Ghi họ tên ở đây không làm cho phản ánh trở thành đơn tố cáo."
        ),
        "contact_none": "Không cần liên hệ",
        "contact_phone": "Điện thoại",
        "contact_email": "Thư điện tử",
        "contact_post": "Thư gửi qua bưu điện",
        "consent": "Tôi đã đọc {link} và đồng ý gửi phản ánh này.",
        "consent_link": "thông báo về bảo mật thông tin",
        "submit": "Gửi phản ánh",
        "noscript": (
            "Trình duyệt đang tắt JavaScript. Phản ánh vẫn gửi được, nhưng khi đó nội dung được mã hóa ngay "
            "khi đến máy chủ thay vì trên máy của Ông/Bà; tệp đính kèm chỉ nên có dung lượng nhỏ."
        ),
        "code_label": "Mã tra cứu",
        "code_hint": (
            "4 nhóm 6 ký tự, dạng XXXXXX-XXXXXX-XXXXXX-XXXXXX, như khi gửi phản ánh (mã cấp trước đây: 4 nhóm 5 ký tự)."
        ),
        "check_submit": "Tra cứu",
        "check_noscript": (
            "Trình duyệt đang tắt JavaScript: mã tra cứu sẽ được gửi tới máy chủ để giải mã những gì Văn phòng "
            "Ban đã đăng, chỉ trong bộ nhớ; mã không được lưu lại. Khi bật JavaScript, mã không bao giờ rời khỏi "
            "máy của Ông/Bà."
        ),
    },
    "en": {
        "required": "(required)",
        "optional": "(optional)",
        "category_hint": "Choose the kind closest to what you report.",
        "description_hint": "Who did what, when, where and how. The more specific, the easier to verify.",
        "occurred_hint": "A date or a period, for example: October 2026.",
        "place_hint": "For example: the industrial park, economic zone, office or address.",
        "persons_hint": "Names, positions and units of the people or units involved (if known).",
        "files_hint": (
            "Photos or documents as evidence: at most 50 MB a file, 200 MB in all, 20 files. Files are "
            "encrypted on your device before they are uploaded."
        ),
        "metadata": (
            "Note: files can carry hidden information about who made them. Phone photos often record the GPS "
            "location, time and device; Word, Excel and PDF files often record the author and computer name. "
            "If needed, take a screenshot or export the file to PDF again before attaching it."
        ),
        "identity_legend": "About you",
        "identity_lead": (
            "You may report without giving your name: leave this part empty. The Office then cannot contact you. "
            "Even if you stay anonymous, you can use the receipt code: the Office may post the state of handling or "
            "a question through it, and you can add information."
        ),
        "identity_protection": (
            "If you give your name, it is encrypted with the report, only the Office can open it, and it is kept "
            "confidential under the confidentiality procedure. Giving your name here does not make the report a "
            "denunciation."
        ),
        "contact_none": "No contact needed",
        "contact_phone": "Phone",
        "contact_email": "E-mail",
        "contact_post": "Letter by post",
        "consent": "I have read the {link} and want to send this report.",
        "consent_link": "confidentiality notice",
        "submit": "Send report",
        "noscript": (
            "JavaScript is off in this browser. You can still send the report, but it is then encrypted when it "
            "reaches the server instead of on your device; keep attachments small."
        ),
        "code_label": "Receipt code",
        "code_hint": (
            "4 groups of 6 characters, XXXXXX-XXXXXX-XXXXXX-XXXXXX, as given when you reported (codes issued "
            "earlier: 4 groups of 5)."
        ),
        "check_submit": "Check",
        "check_noscript": (
            "JavaScript is off in this browser: the receipt code will be sent to the server, which decrypts what "
            "the Office posted, in memory only, and does not keep the code. With JavaScript on, the code never "
            "leaves your device."
        ),
    },
}


def config_json(recipients: list[str], api_url: str) -> str:
    """The page's machine-readable settings: a JSON data block, which no CSP treats as script."""
    payload = json.dumps({"recipients": recipients, "api": api_url}, ensure_ascii=True).replace("</", "<\\/")
    return f'<script type="application/json" id="portal-config">{payload}</script>'


def _field(name: str, label: str, control: str, hint: str = "", required: bool = False, lang: str = "vi") -> str:
    ident = name.replace(".", "-").replace("_", "-")
    t = TEXTS[lang]
    hint_html = f'<p class="hint" id="hint-{ident}">{escape(hint)}</p>' if hint else ""
    marker = t["required"] if required else t["optional"]
    return (
        f'<div class="field" data-field="{name}">'
        f'<label for="f-{ident}">{escape(label)} <span class="field-mark">{marker}</span></label>'
        f"{hint_html}{control}"
        f'<p class="field-error" id="error-{ident}" hidden></p></div>'
    )


def _describedby(name: str, hint: bool) -> str:
    ident = name.replace(".", "-").replace("_", "-")
    return f"hint-{ident} error-{ident}" if hint else f"error-{ident}"


def report_form(lang: str, api_url: str, recipients: list[str], privacy_href: str) -> str:
    """The report form's HTML for one language."""
    t = TEXTS[lang]
    properties = report.schema()["properties"]
    reporter = properties["reporter"]["properties"]
    label = lambda name: report.field_label(name, lang)  # noqa: E731
    api = escape(api_url)

    choices = []
    for code, names in report.categories().items():
        choices.append(
            f'<div class="choice"><input type="radio" name="category" id="f-category-{code}" value="{code}" required'
            f' aria-describedby="hint-category-{code}"><label for="f-category-{code}">{escape(names[lang])}</label>'
            f'<p class="hint" id="hint-category-{code}">{escape(names["hint_" + lang])}</p></div>'
        )
    category = (
        '<fieldset class="field" data-field="category" id="f-category" tabindex="-1"'
        ' aria-describedby="error-category">'
        f'<legend>{escape(label("category"))} <span class="field-mark">{t["required"]}</span></legend>'
        f'<p class="hint">{escape(t["category_hint"])}</p>{"".join(choices)}'
        f'<p class="field-error" id="error-category" hidden></p></fieldset>'
    )

    def text(name: str, hint: str, multiline: bool = False, required: bool = False, kind: str = "text") -> str:
        ident = name.replace(".", "-").replace("_", "-")
        limit = (reporter if name.startswith("reporter.") else properties)[name.split(".")[-1]]["maxLength"]
        common = (
            f'id="f-{ident}" name="{name}" maxlength="{limit}" aria-describedby="{_describedby(name, bool(hint))}"'
            + (" required" if required else "")
        )
        control = (
            f'<textarea {common} rows="{8 if required else 3}"></textarea>'
            if multiline
            else f'<input type="{kind}" {common}'
            + (' autocomplete="off"' if name.startswith("reporter.") else "")
            + ">"
        )
        return _field(name, label(name), control, hint, required, lang)

    contact_options = "".join(
        f'<option value="{value}">{escape(t["contact_" + value])}</option>'
        for value in ("none", "phone", "email", "post")
    )
    identity = (
        f'<fieldset class="identity"><legend>{escape(t["identity_legend"])} '
        f'<span class="field-mark">{t["optional"]}</span></legend>'
        f"<p>{escape(t['identity_lead'])}</p><p>{escape(t['identity_protection'])}</p>"
        + text("reporter.name", "")
        + text("reporter.phone", "", kind="tel")
        + text("reporter.email", "", kind="email")
        + text("reporter.address", "")
        + _field(
            "reporter.contact",
            label("reporter.contact"),
            f'<select id="f-reporter-contact" name="reporter.contact" aria-describedby="error-reporter-contact">'
            f"{contact_options}</select>",
            lang=lang,
        )
        + "</fieldset>"
    )
    files = _field(
        "attachments",
        label("attachments"),
        '<input type="file" id="f-attachments" name="attachments" multiple'
        ' aria-describedby="hint-attachments error-attachments">',
        t["files_hint"],
        lang=lang,
    )
    files = files.replace(
        '<p class="field-error" id="error-attachments"',
        f'<p class="hint metadata-warning">{escape(t["metadata"])}</p><p class="field-error" id="error-attachments"',
    )
    consent_link = f'<a href="{escape(privacy_href)}">{escape(t["consent_link"])}</a>'
    consent = (
        '<div class="field consent" data-field="consent">'
        '<input type="checkbox" id="f-consent" name="consent" value="yes" required aria-describedby="error-consent">'
        f'<label for="f-consent">{t["consent"].format(link=consent_link)}</label>'
        '<p class="field-error" id="error-consent" hidden></p></div>'
    )
    return (
        config_json(recipients, api_url)
        + f'<form id="report-form" class="report-form" method="post" action="{api}/submissions/form?language={lang}"'
        f' enctype="multipart/form-data" data-api="{api}" data-lang="{lang}">'
        f'<noscript><p class="admonition warning">{escape(t["noscript"])}</p></noscript>'
        f'<input type="hidden" name="language" value="{lang}">'
        + category
        + text("description", t["description_hint"], multiline=True, required=True)
        + text("occurred", t["occurred_hint"])
        + text("place", t["place_hint"])
        + text("persons_involved", t["persons_hint"], multiline=True)
        + files
        + identity
        + consent
        + f'<p><button type="submit" class="md-button md-button--primary">{escape(t["submit"])}</button></p></form>'
        + '<script type="module" src="/assets/report/report.js"></script>'
    )


def check_form(lang: str, api_url: str, recipients: list[str]) -> str:
    """The receipt check form's HTML for one language."""
    t = TEXTS[lang]
    api = escape(api_url)
    control = (
        '<input type="text" id="f-code" name="code" required autocomplete="off" autocapitalize="characters"'
        ' spellcheck="false" maxlength="40" aria-describedby="hint-code error-code">'
    )
    return (
        config_json(recipients, api_url)
        + f'<form id="check-form" class="report-form" method="post" action="{api}/replies/check?language={lang}"'
        f' data-api="{api}" data-lang="{lang}">'
        f'<noscript><p class="admonition warning">{escape(t["check_noscript"])}</p></noscript>'
        f'<input type="hidden" name="language" value="{lang}">'
        + _field("code", t["code_label"], control, t["code_hint"], True, lang)
        + f'<p><button type="submit" class="md-button md-button--primary">{escape(t["check_submit"])}</button></p>'
        "</form>" + '<script type="module" src="/assets/report/check.js"></script>'
    )
