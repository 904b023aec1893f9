"""The function's own pages speak the language of the page the post came from (``intake_function/pages.py``).

English only when the post's ``language`` field (or, for a refusal made before the body is read,
the action's ``?language=``) is exactly "en"; anything else is Vietnamese. The JSON API is unchanged.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from werkzeug.datastructures import MultiDict

from intake_function import pages, receipt, report
from intake_function.store import open_store
from tests.test_replies import put_reply

API = "/api/v1"
HTML = {"Accept": "text/html"}
REPORT = {"category": "waste", "description": "Có lãng phí trong dự án.", "consent": "yes"}


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([^"]*)">', page).group(1)


def h1(page: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)


def test_every_text_exists_in_both_languages():
    assert set(pages.TEXTS) == set(pages.LANGUAGES) == {"vi", "en"}
    assert pages.TEXTS["vi"].keys() == pages.TEXTS["en"].keys()
    for lang, texts in pages.TEXTS.items():
        for key, text in texts.items():
            assert text.strip(), f"{lang}.{key} is empty"
    # Vietnamese is not left in the English texts (the Board's name aside, which has its own English;
    # the language switch names Vietnamese in Vietnamese).
    english = " ".join(v for k, v in pages.TEXTS["en"].items() if k != "other_language")
    english += " ".join(pages.ERRORS_EN.values())
    assert not re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", english, re.I)
    assert pages.TEXTS["en"]["replies_title"] == "Follow up on your report"


# Every code a no-JavaScript post can be refused with has its English text.
NO_JAVASCRIPT_ERRORS = (
    "bad_request",
    "not_found",
    "method_not_allowed",
    "too_large",
    "unsupported_media_type",
    "too_many_requests",
    "headers_too_large",
    "busy",
    "form_disabled",
    "store_unavailable",
    "internal_error",
    "invalid_encoding",
    "bad_form",
    "too_many_files",
    "invalid_report",
    "invalid_followup",
)


@pytest.mark.parametrize("code", NO_JAVASCRIPT_ERRORS)
def test_every_no_javascript_error_has_its_english_text(code):
    assert code in pages.ERRORS_EN


@pytest.mark.parametrize(
    "sources, expected",
    [
        ([MultiDict({"language": "en"})], "en"),
        ([MultiDict({"language": "vi"})], "vi"),
        ([MultiDict({"language": "EN"})], "vi"),
        ([MultiDict({"language": "en\n"})], "vi"),
        ([MultiDict({"language": " en"})], "vi"),
        ([MultiDict({"language": "fr"})], "vi"),
        ([MultiDict({"language": "en-GB"})], "vi"),
        ([MultiDict({"language": ""})], "vi"),
        ([MultiDict([("language", "en"), ("language", "en")])], "vi"),
        ([MultiDict()], "vi"),
        ([], "vi"),
        ([MultiDict(), MultiDict({"language": "en"})], "en"),  # the body says nothing: the action does
        ([MultiDict({"language": "fr"}), MultiDict({"language": "en"})], "vi"),  # the body decides
        ([MultiDict({"language": "vi"}), MultiDict({"language": "en"})], "vi"),
    ],
)
def test_only_exactly_en_gives_english(sources, expected):
    assert pages.language_of(*sources) == expected


@pytest.mark.parametrize("value", ["EN", "en\n", "fr", "english", ""])
def test_an_unknown_language_gets_vietnamese_pages(make_app, value):
    client = make_app().test_client()
    english_browser = {**HTML, "Accept-Language": "en-GB,en;q=0.9"}  # never consulted
    # The report's schema may refuse the value (its text is trimmed first); either way the page is Vietnamese.
    response = client.post(
        f"{API}/submissions/form?language=en", data={**REPORT, "language": value}, headers=english_browser
    )
    page = response.data.decode()
    assert response.status_code in (201, 400)
    vietnamese_headings = ("Phản ánh của Ông/Bà đã được gửi và lưu an toàn", "Chưa gửi được phản ánh")
    assert html_lang(page) == "vi" and h1(page) in vietnamese_headings
    checked = client.post(
        f"{API}/replies/check?language=en",
        data={"code": receipt.new_code(), "language": value},
        headers=english_browser,
    )
    assert checked.status_code == 200 and html_lang(checked.data.decode()) == "vi"
    assert h1(checked.data.decode()) == "Theo dõi phản ánh"


def test_an_english_post_gets_english_pages_and_the_json_api_is_unchanged(make_app, store_url):
    client = make_app().test_client()
    response = client.post(
        f"{API}/submissions/form?language=en",
        data={**REPORT, "language": "en", "attachments": [(io.BytesIO(b"x"), "a.txt", "text/plain")]},
        headers={**HTML, "Accept-Language": "vi"},
    )
    page = response.data.decode()
    assert response.status_code == 201
    assert html_lang(page) == "en" and h1(page) == "Your report has been sent and stored safely"
    assert "The receipt code to keep" in page and 'id="receipt-code"' in page
    assert re.search(r"\d\d:\d\d on \d\d/\d\d/\d{4}</strong> \(Viet Nam time\)", page)
    assert 'href="/en/tra-cuu/"' in page and 'href="/en/"' in page  # the check page, and home in the header
    # No other channel is published by default: no link to a page of empty contacts.
    assert "lien-he" not in page and "Other channels" not in page
    published = make_app(INTAKE_CONTACTS_URL="/lien-he/").test_client()
    with_contacts = published.post(f"{API}/submissions/form", data={**REPORT, "language": "en"}, headers=HTML)
    assert 'href="/en/lien-he/">The Board&#39;s other channels</a>' in with_contacts.data.decode()
    assert "Ông/Bà" not in page and "phản ánh" not in page
    # The JSON answer of the same post carries no page text: unchanged.
    as_json = client.post(f"{API}/submissions/form", data={**REPORT, "language": "en"})
    assert as_json.status_code == 201 and set(as_json.json) == {"id", "received_at", "receipt_code"}
    # A refusal: JSON keeps its Vietnamese message, the page is English with English field names.
    refused_json = client.post(f"{API}/submissions/form", data={"language": "en", "category": "waste"})
    assert refused_json.status_code == 400 and refused_json.json["message"].startswith("Phản ánh chưa được gửi")
    assert {p["field"] for p in refused_json.json["problems"]} == {"description", "consent"}
    refused = client.post(f"{API}/submissions/form", data={"language": "en", "category": "waste"}, headers=HTML)
    page = refused.data.decode()
    assert refused.status_code == 400 and html_lang(page) == "en"
    assert h1(page) == "The report was not sent"
    assert "Please confirm that you have read the confidentiality notice." in page
    assert "<strong>Description</strong>" in page or "<strong>What happened</strong>" in page, page
    assert "Vui lòng" not in page
    same_in_vietnamese = client.post(f"{API}/submissions/form", data={"category": "waste"}, headers=HTML)
    assert same_in_vietnamese.status_code == 400
    assert html_lang(same_in_vietnamese.data.decode()) == "vi"
    assert h1(same_in_vietnamese.data.decode()) == "Chưa gửi được phản ánh"


def test_the_english_check_refuses_a_slip_reads_answers_and_takes_a_followup(make_app, store_url):
    store = open_store(store_url)
    code = receipt.new_code()
    put_reply(store, code, "handling", "Văn phòng Ban đang xác minh thông tin.")
    client = make_app().test_client()
    groups = code.split("-")
    swapped = "-".join([groups[0], groups[2], groups[1], groups[3]])
    refused = client.post(f"{API}/replies/check?language=en", data={"code": swapped, "language": "en"}, headers=HTML)
    page = html.unescape(refused.data.decode())
    assert refused.status_code == 200 and html_lang(page) == "en" and h1(page) == "Could not check"
    assert "Groups 2 and 3 are in each other's place" in page
    assert 'action="check?language=en"' in page and '<input type="hidden" name="language" value="en">' in page
    assert client.post(f"{API}/replies/check", data={"code": swapped, "language": "en"}).json["message"] == (
        pages.code_problem("swapped", (2, 3), "vi")
    )

    answers = client.post(f"{API}/replies/check?language=en", data={"code": code, "language": "en"}, headers=HTML)
    page = answers.data.decode()
    assert answers.status_code == 200 and html_lang(page) == "en" and h1(page) == "Follow up on your report"
    label = report.status_labels()["handling"]
    assert f"<strong>{label['en']}</strong>" in page and label["vi"] not in page
    assert "Văn phòng Ban đang xác minh thông tin." in page  # the Office's own words, as it wrote them
    assert "Competent authority" not in page and "Ông/Bà" not in page
    assert '<input type="hidden" name="language" value="en">' in page
    assert 'action="../followups/form?language=en"' in page

    followup = client.post(
        f"{API}/followups/form?language=en", data={"code": code, "message": "More.", "language": "en"}, headers=HTML
    )
    page = followup.data.decode()
    assert followup.status_code == 201 and html_lang(page) == "en" and h1(page) == "Information received"
    wrong = client.post(f"{API}/followups/form", data={"code": "nope", "message": "x", "language": "en"}, headers=HTML)
    page = wrong.data.decode()
    assert wrong.status_code == 400 and h1(page) == "The information was not sent"
    assert "A receipt code has 4 groups of 6 characters" in page


def test_refusals_before_the_body_is_read_follow_the_action(make_app, store_url):
    """The budget's 429 and a body too large are refused unread: the action's ?language= speaks."""
    client = make_app(INTAKE_FORM_BUDGET="1").test_client()
    assert client.post(f"{API}/submissions/form", data=REPORT).status_code == 201
    busy = client.post(f"{API}/submissions/form?language=en", data={**REPORT, "language": "en"}, headers=HTML)
    page = busy.data.decode()
    assert busy.status_code == 429 and busy.headers["Retry-After"] and html_lang(page) == "en"
    assert "This channel is receiving too many requests at once" in page and "minute" in page
    busy_vi = client.post(f"{API}/submissions/form", data=REPORT, headers=HTML)
    assert busy_vi.status_code == 429 and "Kênh này đang nhận quá nhiều yêu cầu" in busy_vi.data.decode()
    assert client.post(f"{API}/submissions/form?language=en", data=REPORT).json["error"] == "busy"

    client = make_app(INTAKE_MAX_BYTES="2048").test_client()

    def big(lang: str) -> dict:
        return {**REPORT, "language": lang, "attachments": [(io.BytesIO(b"x" * 4096), "big.bin", "application/x")]}

    too_large = client.post(f"{API}/submissions/form?language=en", data=big("en"), headers=HTML)
    page = too_large.data.decode()
    assert too_large.status_code == 413 and html_lang(page) == "en"
    assert "larger than allowed" in page and "Vui lòng" not in page
    too_large_vi = client.post(f"{API}/submissions/form?language=vi", data=big("vi"), headers=HTML)
    assert too_large_vi.status_code == 413 and "vượt quá dung lượng" in too_large_vi.data.decode()

    disabled = make_app(INTAKE_FORM="off").test_client()
    off = disabled.post(f"{API}/submissions/form?language=en", data=REPORT, headers=HTML)
    assert off.status_code == 503 and html_lang(off.data.decode()) == "en"
    assert "Sending without JavaScript is paused" in off.data.decode()
    assert disabled.post(f"{API}/submissions/form?language=fr", data=REPORT, headers=HTML).status_code == 503


@pytest.mark.parametrize(
    "kind, groups",
    [("swapped", (2, 3)), ("check", (2,)), ("character", (1,)), ("length", (4,)), ("length", ())],
)
def test_every_code_problem_has_its_english_text(kind, groups):
    english = pages.code_problem(kind, groups, "en")
    assert english and "Nhóm" not in english
    vietnamese = pages.code_problem(kind, groups, "vi")
    assert vietnamese.startswith("Nhóm ký tự thứ" if groups else "Mã tra cứu gồm 4 nhóm") and vietnamese != english


FORM_ADDRESSES = {
    "/submissions/form": ("Địa chỉ nhận phản ánh", "The address that receives reports"),
    "/replies/check": ("Địa chỉ tra cứu trả lời", "The address that checks for answers"),
    "/followups/form": ("Địa chỉ nhận thông tin bổ sung", "The address that receives added information"),
}


def test_an_address_opened_again_says_what_it_is_in_the_language_asked(make_app):
    """Issue 24 item 1: a history entry, a bookmark or a shared link of a receipt, a check result or a
    follow-up receipt opens the form's address by GET: never "the report was not sent"."""
    client = make_app().test_client()
    for path, titles in FORM_ADDRESSES.items():
        for lang, title, prefix in (("vi", titles[0], ""), ("en", titles[1], "/en")):
            answer = client.get(f"{API}{path}?language={lang}", headers=HTML)
            page = html.unescape(answer.data.decode())
            assert answer.status_code == 200 and html_lang(page) == lang and h1(page) == title, (path, lang)
            assert "not sent" not in page and "Chưa gửi được" not in page and "Phương thức" not in page
            assert f'href="{prefix}/tra-cuu/"' in page and f'href="{prefix}/gui-phan-anh/"' in page
            other = "en" if lang == "vi" else "vi"
            assert f'href="{API}{path}?language={other}" hreflang="{other}"' in page  # the language switch
            assert answer.headers["Cache-Control"] == "no-store"
        # A program (no HTML wanted) still learns that the address takes posts only.
        as_json = client.get(f"{API}{path}")
        assert as_json.status_code == 405 and as_json.headers["Allow"] == "POST"
        assert as_json.json["error"] == "method_not_allowed"
    assert "không cần gửi lại" in client.get(f"{API}/submissions/form", headers=HTML).data.decode()
    # Any other address of the function: what it is, in the language asked, with its true status.
    for path in (f"{API}/nowhere", f"{API}/submissions", "/api/v2/x"):
        for lang, title in (("vi", "Không có trang nào ở địa chỉ này"), ("en", "There is no page at this address")):
            answer = client.get(f"{path}?language={lang}", headers=HTML)
            page = html.unescape(answer.data.decode())
            assert answer.status_code in (404, 405) and html_lang(page) == lang and h1(page) == title, path
    # A post to an address that takes none is not about a report either.
    refused = client.post(f"{API}/nowhere", data={"x": "y"}, headers=HTML)
    assert refused.status_code == 404 and h1(refused.data.decode()) == "Chưa thực hiện được yêu cầu"


def _multipart(fields: dict[str, str], boundary: str) -> tuple[bytes, str]:
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\nbằng chứng\r\n"
    )
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_form_posted_again_stores_one_report_and_answers_the_same_receipt(make_app, store_url, office_key):
    """Issue 24 item 1: reloading the no-JavaScript receipt re-posts the same bytes (the browser keeps
    the form's random boundary): one report, the same code, no budget spent again."""
    from tests.conftest import age_decrypt

    store = open_store(store_url)
    inbox = lambda: sorted(i.key for i in store.list("inbox/"))  # noqa: E731
    client = make_app(INTAKE_FORM_BUDGET="12").test_client()  # two at once
    body, content_type = _multipart({**REPORT, "language": "vi"}, "----WebKitFormBoundaryQ3zX9kLm2pR7vT1w")
    first = client.post(f"{API}/submissions/form", data=body, content_type=content_type, headers=HTML)
    again = client.post(f"{API}/submissions/form", data=body, content_type=content_type, headers=HTML)
    assert (first.status_code, again.status_code) == (201, 200)
    code = re.search(r'id="receipt-code"[^>]*>(.*?)</p>', first.data.decode()).group(1)
    assert code == re.search(r'id="receipt-code"[^>]*>(.*?)</p>', again.data.decode()).group(1)
    assert first.data == again.data  # the same page: same code, same time
    assert len(inbox()) == 1
    code = re.sub(r"<[^>]+>", "", code)
    stored = report.parse(age_decrypt(store.get(inbox()[0]), office_key[0]))
    assert stored["reply"]["lookup_id"] == receipt.derive(code).lookup_id
    assert len(list(store.list("attachments/"))) == 1  # the file too: stored once
    as_json = client.post(f"{API}/submissions/form", data=body, content_type=content_type)
    assert as_json.status_code == 200 and as_json.json["receipt_code"] == code
    # Two at once: the repeats spent nothing, so one more submission (another boundary) is taken.
    other, other_type = _multipart({**REPORT, "language": "vi"}, "----geckoformboundary8c1f0e2d9a7b4c3e5f6a")
    second = client.post(f"{API}/submissions/form", data=other, content_type=other_type)
    assert second.status_code == 201 and second.json["receipt_code"] != code and len(inbox()) == 2
    # A body whose boundary could be anyone's is never taken for a repeat (nor a urlencoded one).
    client = make_app(INTAKE_FORM_BUDGET="0", INTAKE_CLIENT_FORM_LIMIT="0").test_client()
    weak, weak_type = _multipart(REPORT, "boundary")
    codes_ = {client.post(f"{API}/submissions/form", data=weak, content_type=weak_type).json["receipt_code"]}
    codes_.add(client.post(f"{API}/submissions/form", data=weak, content_type=weak_type).json["receipt_code"])
    codes_ |= {client.post(f"{API}/submissions/form", data=REPORT).json["receipt_code"] for _ in range(2)}
    assert len(codes_) == 4 and len(inbox()) == 6
    # A follow-up posted again is stored once too.
    followup, followup_type = _multipart(
        {"code": code, "message": "Thêm chi tiết.", "language": "vi"}, "----WebKitFormBoundaryAb12Cd34Ef56Gh78"
    )
    answers = [
        client.post(f"{API}/followups/form", data=followup, content_type=followup_type, headers=HTML).status_code
        for _ in range(2)
    ]
    assert answers == [201, 200] and len(inbox()) == 7


def test_refusals_say_what_was_typed_is_still_there_and_name_no_empty_channel(make_app, store_url):
    client = make_app(INTAKE_FORM_BUDGET="1").test_client()
    refused = client.post(f"{API}/submissions/form", data={"category": "waste"}, headers=HTML)
    page = html.unescape(refused.data.decode())
    assert refused.status_code == 400 and "bấm nút Quay lại (←) của trình duyệt" in page
    assert "lien-he" not in page and "đường dây nóng" not in page
    assert client.post(f"{API}/submissions/form", data=REPORT).status_code == 201
    for path, fields, kept in (
        ("/submissions/form", REPORT, "Những gì Ông/Bà đã nhập vẫn còn trong trình duyệt"),
        ("/followups/form", {"code": receipt.new_code(), "message": "x"}, "Những gì Ông/Bà đã nhập vẫn còn"),
    ):
        busy = html.unescape(client.post(f"{API}{path}", data=fields, headers=HTML).data.decode())
        assert kept in busy and "Kênh này đang nhận quá nhiều yêu cầu" in busy
        assert "đường dây nóng" not in busy and "lien-he" not in busy
    checks = make_app(INTAKE_CHECK_BUDGET="1").test_client()
    checks.post(f"{API}/replies/check", data={"code": receipt.new_code()}, headers=HTML)
    busy = checks.post(f"{API}/replies/check?language=en", data={"code": receipt.new_code()}, headers=HTML)
    page = html.unescape(busy.data.decode())
    assert busy.status_code == 429 and h1(page) == "Could not check"
    assert "The code you typed is still in the browser" in page
    # Sizes are told in megabytes, never "MiB".
    small = make_app(INTAKE_MAX_BYTES="2048").test_client()
    big = {**REPORT, "attachments": [(io.BytesIO(b"x" * 4096), "big.bin", "application/x")]}
    too_large = html.unescape(small.post(f"{API}/submissions/form", data=big, headers=HTML).data.decode())
    assert "MiB" not in too_large and "Tối đa 2 KB." in too_large
