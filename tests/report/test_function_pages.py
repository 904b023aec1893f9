"""The function's own pages never mislead (issue 24 item 1), in the real Chromium at 360x640.

A function address opened by GET (a history entry, a bookmark, a shared link of a receipt, a check
result or a follow-up receipt) says what it is and where to go, in the language asked for; a
reloaded no-JavaScript receipt stores no second report and shows the same code; after a refusal,
Back brings back what was typed, as the refusal says; every function page carries the site's header
with its home link and language switch.
"""

from __future__ import annotations

import re

import pytest

from intake_function import receipt
from tests.report.conftest import post_form
from tests.report.test_journey import assert_sound_page
from tests.report.test_report_form import fill

pytestmark = [pytest.mark.browser]

API = "/api/v1"
ADDRESSES = {
    "/submissions/form": ("Địa chỉ nhận phản ánh", "The address that receives reports"),
    "/replies/check": ("Địa chỉ tra cứu trả lời", "The address that checks for answers"),
    "/followups/form": ("Địa chỉ nhận thông tin bổ sung", "The address that receives added information"),
    "/no-such-address": ("Không có trang nào ở địa chỉ này", "There is no page at this address"),
}


def inbox(portal) -> list[str]:
    folder = portal.store / "inbox"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_every_function_address_opened_by_get_says_what_it_is_in_both_languages(phone, portal):
    page = phone.page
    for path, titles in ADDRESSES.items():
        for lang, title in zip(("vi", "en"), titles, strict=True):
            page.goto(f"{portal.origin}{API}{path}?language={lang}")
            assert page.get_attribute("html", "lang") == lang, (path, lang)
            assert page.text_content("h1") == title, (path, lang)
            text = page.text_content("body")
            assert "Chưa gửi được" not in text and "not sent" not in text, (path, lang)
            # The site's header: the shield and name lead home, the other language is one link away.
            prefix = "/en" if lang == "en" else ""
            assert page.get_attribute("header.site a.home", "href") == f"{prefix}/"
            switch = page.locator("header.site a.switch")
            assert switch.get_attribute("lang") == ("vi" if lang == "en" else "en")
            links = page.eval_on_selector_all("main a", "links => links.map(a => a.getAttribute('href'))")
            assert f"{prefix}/tra-cuu/" in links and f"{prefix}/gui-phan-anh/" in links, links
            if path == "/no-such-address":
                assert phone.failed == [f"404 {portal.origin}{API}{path}?language={lang}"]
                phone.failed.clear()
                phone.console_errors.clear()
            assert_sound_page(phone, f"GET {path} ({lang})")
        # The switch shows the same address in the other language.
        page.goto(f"{portal.origin}{API}{path}")
        page.click("header.site a.switch")
        page.wait_for_url(f"{portal.origin}{API}{path}?language=en")
        assert page.text_content("h1") == titles[1]
        phone.failed.clear()
        phone.console_errors.clear()
    # The check page's link on the address page works and lands on the site's page.
    page.goto(f"{portal.origin}{API}/replies/check?language=en")
    page.click("main >> text=Follow up on your report with the receipt code")
    page.wait_for_url(f"{portal.origin}/en/tra-cuu/")
    assert inbox(portal) == []  # opening addresses stored nothing


def test_a_reloaded_receipt_stores_one_report_and_a_refusal_keeps_what_was_typed(phone_without_javascript, portal):
    phone = phone_without_javascript
    page = phone.page
    page.goto(f"{portal.origin}/gui-phan-anh/")
    fill(page, description="Nhà thầu được chọn trước khi đấu thầu.")
    post_form(page, "#report-form button[type=submit]")
    page.wait_for_selector("#receipt-code")
    code = page.text_content("#receipt-code")
    receipt.derive(code)
    assert page.text_content("#code-heading") == "Mã tra cứu cần ghi lại"
    main = page.text_content("main")
    assert "mã duy nhất Ông/Bà cần giữ" in main and "Số tham chiếu" not in main
    assert not re.search(r"[0-7][0-9A-HJKMNP-TV-Z]{25}", main)  # no second long code beside the receipt code
    assert page.get_attribute("header.site a.home", "href") == "/"
    assert len(inbox(portal)) == 1
    posts = lambda: sum(1 for m, p, _ in portal.recorder.requests if m == "POST" and p.endswith("/form"))  # noqa: E731
    assert posts() == 1
    page.reload()  # the browser posts the form again, byte for byte
    page.wait_for_selector("#receipt-code")
    assert posts() == 2, "the reload did not post again: the test proves nothing"
    assert page.text_content("#receipt-code") == code
    assert len(inbox(portal)) == 1
    assert_sound_page(phone, "reloaded receipt")

    # A refusal (a description of spaces passes the browser's check): Back brings the text back.
    page.goto(f"{portal.origin}/gui-phan-anh/")
    fill(page, description="   ")
    page.fill("#f-place", "Khu công nghiệp Bình Hòa")
    post_form(page, "#report-form button[type=submit]")
    page.wait_for_selector("#typed-kept")
    assert page.text_content("h1") == "Chưa gửi được phản ánh"
    assert "bấm nút Quay lại (←)" in page.text_content("#typed-kept")
    assert "lien-he" not in page.content()  # no channel is published in this build: none is offered
    page.go_back()
    page.wait_for_selector("#f-place")
    assert page.input_value("#f-place") == "Khu công nghiệp Bình Hòa"
    assert page.is_checked("#f-consent") and page.is_checked("#f-category-corruption")
    assert len(inbox(portal)) == 1
