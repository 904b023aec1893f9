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
    # Vietnamese is not left in the English texts (the Board's name aside, which has its own English).
    english = " ".join(pages.TEXTS["en"].values()) + " ".join(pages.ERRORS_EN.values())
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
    assert "Your receipt code" in page and 'id="receipt-code"' in page
    assert re.search(r"\d\d:\d\d on \d\d/\d\d/\d{4}</strong> \(Viet Nam time\)", page)
    assert 'href="/en/tra-cuu/"' in page and 'href="/en/lien-he/"' in page
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
    assert refused.status_code == 200 and html_lang(page) == "en" and h1(page) == "Not checked yet"
    assert "Groups 2 and 3 are in each other's place" in page
    assert 'action="check?language=en"' in page and '<input type="hidden" name="language" value="en">' in page
    assert client.post(f"{API}/replies/check", data={"code": swapped, "language": "en"}).json["message"] == (
        receipt.problem_text(receipt.ReceiptCodeError("swapped", (2, 3), ""))
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
    assert pages.code_problem(kind, groups, "vi") == receipt.problem_text(receipt.ReceiptCodeError(kind, groups, ""))
