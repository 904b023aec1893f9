"""Without JavaScript, the function's own pages speak the language of the page the reader came from.

A phone at 360x640 in the real Chromium, JavaScript off: from the English pages every answer of the
function (receipt, refusal, check, answers, follow-up receipt) is English, with ``<html lang="en">``;
from the Vietnamese pages it stays Vietnamese. Each page is checked as the journey's pages are: no
overflow, no console error, axe clean.
"""

from __future__ import annotations

import re

import pytest

from intake_function import receipt, report
from intake_function.store import open_store
from tests.report.conftest import post_form
from tests.report.test_journey import assert_code_on_one_line_and_copied_whole, assert_sound_page, slips
from tests.report.test_report_form import fill
from tests.test_replies import put_reply

pytestmark = [pytest.mark.browser]


def lang_of(page) -> str:
    return page.get_attribute("html", "lang")


def posted_language(portal, path: str) -> list[bytes]:
    """The language field of every post to ``path`` that reached the server (multipart or urlencoded)."""
    found = []
    for method, where, body in portal.recorder.requests:
        if method == "POST" and where == path:
            match = re.search(rb'name="language"\r\n\r\n([^\r]*)\r\n', body) or re.search(
                rb"(?:^|&)language=([^&]*)", body
            )
            found.append(match.group(1) if match else b"")
    return found


def test_an_english_report_gets_an_english_receipt_and_an_english_refusal(phone_without_javascript, portal):
    phone = phone_without_javascript
    page = phone.page
    page.goto(f"{portal.origin}/en/gui-phan-anh/")
    fill(page, description="The same contractor wins every tender.")
    post_form(page, "#report-form button[type=submit]")
    page.wait_for_selector("text=Your report has been sent and stored safely")
    assert lang_of(page) == "en"
    assert page.text_content("h1") == "Your report has been sent and stored safely"
    assert page.title() == (
        "Your report has been sent and stored safely – Economic Zone Management Board of An Giang Province"
    )
    main = page.text_content("main")
    assert "The receipt code to keep" in main and "(Viet Nam time)" in main and "What happens next" in main
    assert "Ông/Bà" not in main and "phản ánh" not in main
    code = page.text_content("#receipt-code")
    receipt.derive(code)  # a real receipt code
    assert_code_on_one_line_and_copied_whole(page, "#receipt-code", code)
    assert_sound_page(phone, "English no-JavaScript receipt")
    assert posted_language(portal, "/api/v1/submissions/form") == [b"en"]
    page.click("text=Open the “Follow up on your report” page")
    page.wait_for_url(f"{portal.origin}/en/tra-cuu/")

    # A description of spaces passes the browser's check and is refused by the function.
    page.goto(f"{portal.origin}/en/gui-phan-anh/")
    fill(page, description="   ")
    post_form(page, "#report-form button[type=submit]")
    page.wait_for_selector("h1")
    assert lang_of(page) == "en" and page.text_content("h1") == "The report was not sent"
    main = page.text_content("main")
    label = report.field_label("description", "en")
    assert f"{label}:" in main and "press the browser's Back button" in main
    assert "Vui lòng" not in main and "Phản ánh" not in main
    assert phone.failed == [f"400 {portal.origin}/api/v1/submissions/form?language=en"]  # the refusal, as it should
    # The refusal keeps its status (400), which the browser reports as the page's failed load, and only that.
    assert phone.console_errors == ["Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"]
    phone.failed.clear()
    phone.console_errors.clear()
    assert_sound_page(phone, "English no-JavaScript refusal")


def test_an_english_check_and_follow_up_stay_english(phone_without_javascript, portal):
    phone = phone_without_javascript
    page = phone.page
    code = receipt.new_code()
    put_reply(open_store(portal.store.as_uri()), code, "handling", "The Office is checking the information.")

    page.goto(f"{portal.origin}/en/tra-cuu/")
    page.fill("#f-code", slips(code)["changed"])
    post_form(page, "#check-form button[type=submit]")
    page.wait_for_selector("h1")
    assert lang_of(page) == "en" and page.text_content("h1") == "Could not check"
    assert "Group 2 has a character written or typed wrong" in page.text_content("[role=alert]")
    assert_sound_page(phone, "English no-JavaScript check refused")

    page.fill("#code", code)  # corrected on the refusal page itself, which is English too
    post_form(page, "button[type=submit]")
    page.wait_for_selector("text=Add information")
    assert lang_of(page) == "en" and page.text_content("h1") == "Follow up on your report"
    main = page.text_content("main")
    assert report.status_labels()["handling"]["en"] in main and "The Office is checking the information." in main
    assert "Theo dõi" not in main and "Ông/Bà" not in main
    assert_sound_page(phone, "English no-JavaScript answers")
    assert posted_language(portal, "/api/v1/replies/check") == [b"en", b"en"]

    page.fill("#message", "One more thing: it happened again.")
    post_form(page, "text=Send the information")
    page.wait_for_selector("h1")
    assert lang_of(page) == "en" and page.text_content("h1") == "Information received"
    assert "Keep using the same receipt code" in page.text_content("main")
    assert_sound_page(phone, "English no-JavaScript follow-up receipt")
    assert posted_language(portal, "/api/v1/followups/form") == [b"en"]
    page.click("text=Back to the “Follow up on your report” page")
    page.wait_for_url(f"{portal.origin}/en/tra-cuu/")


def test_the_vietnamese_pages_stay_vietnamese(phone_without_javascript, portal):
    phone = phone_without_javascript
    page = phone.page
    code = receipt.new_code()
    page.goto(f"{portal.origin}/tra-cuu/")
    page.fill("#f-code", slips(code)["swapped"])
    post_form(page, "#check-form button[type=submit]")
    page.wait_for_selector("h1")
    assert lang_of(page) == "vi" and page.text_content("h1") == "Chưa tra cứu được"
    page.fill("#code", code)
    post_form(page, "button[type=submit]")
    page.wait_for_selector("text=Bổ sung thông tin")
    assert lang_of(page) == "vi" and page.text_content("h1") == "Theo dõi phản ánh"
    page.fill("#message", "Bổ sung: sự việc lặp lại.")
    post_form(page, "text=Gửi thông tin bổ sung")
    page.wait_for_selector("h1")
    assert lang_of(page) == "vi" and page.text_content("h1") == "Đã nhận thông tin bổ sung"
    assert_sound_page(phone, "Vietnamese no-JavaScript follow-up receipt")
    assert posted_language(portal, "/api/v1/replies/check") == [b"vi", b"vi"]
    assert posted_language(portal, "/api/v1/followups/form") == [b"vi"]
