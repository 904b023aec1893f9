"""The reporter's whole journey on a small phone (360x640), in the real Chromium, with and without
JavaScript: the receipt code, slips in it, an old code, a follow-up that no case is waiting for,
and accessibility at every step (axe, WCAG 2.1 A and AA), the function's own pages included."""

from __future__ import annotations

import json

import pytest

from intake_function import receipt
from intake_function.store import open_store
from tests.conftest import run_office
from tests.report.conftest import axe_on_focus_and_hover, axe_serious, post_form
from tests.report.test_report_form import RECEIPT_TIMEOUT, fill, office_env, pulled_cases
from tests.test_office import put_report
from tests.test_replies import put_reply

pytestmark = [pytest.mark.browser]


def slips(code: str) -> dict[str, str]:
    """The code with one character changed in group 2, and with groups 2 and 3 swapped."""
    groups = code.split("-")
    changed = groups[1][:2] + ("Z" if groups[1][2] != "Z" else "Y") + groups[1][3:]
    return {
        "changed": "-".join([groups[0], changed, *groups[2:]]),
        "swapped": "-".join([groups[0], groups[2], groups[1], groups[3]]),
    }


def line_tops(page, selector: str) -> set[int]:
    """The distinct tops of the groups of the code (each an element): one value when it is on one line."""
    return set(
        page.evaluate(
            """(selector) => [...document.querySelector(selector).children]
                .map((group) => Math.round(group.getBoundingClientRect().top))""",
            selector,
        )
    )


def assert_code_on_one_line_and_copied_whole(page, selector: str, code: str) -> None:
    assert page.locator(f"{selector} > *").count() == 4
    assert len(line_tops(page, selector)) == 1, "the receipt code wraps"
    box = page.locator(selector).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.locator(selector).click()  # one tap selects the whole code, as one string
    assert page.evaluate("() => getSelection().toString()") == code


def assert_sound_page(phone, context: str) -> None:
    """No overflow at 360 px, no console error, no failed request, axe clean."""
    assert phone.width() <= 360, f"{context}: {phone.width()} px wide"
    assert phone.console_errors == [], context
    assert phone.failed == [], context
    assert phone.axe() == [], context


def check_in_page(page, origin: str, code: str, *, javascript: bool = True) -> None:
    page.goto(f"{origin}/tra-cuu/")
    page.fill("#f-code", code)
    if javascript:
        page.click("#check-form button[type=submit]")
    else:
        post_form(page, "#check-form button[type=submit]")


def test_the_receipt_code_fits_one_line_copies_whole_and_leads_to_the_check_page(phone, portal):
    page = phone.page
    page.goto(f"{portal.origin}/gui-phan-anh/")
    fill(page)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#report-receipt:not([hidden])", timeout=RECEIPT_TIMEOUT)
    code = page.text_content("#receipt-code")
    assert [len(group) for group in code.split("-")] == [6, 6, 6, 6]
    assert_code_on_one_line_and_copied_whole(page, "#receipt-code", code)
    printing, saving = (page.locator(s).bounding_box() for s in ("#receipt-print", "#receipt-download"))
    apart = saving["y"] - (printing["y"] + printing["height"]) if saving["y"] > printing["y"] else None
    beside = saving["x"] - (printing["x"] + printing["width"]) if apart is None else None
    assert (apart or beside) >= 8, "the print and download buttons touch"
    assert_sound_page(phone, "receipt")
    assert axe_on_focus_and_hover(page, "#report-receipt") == {}

    # Typed back with a slip, the receipt names the group.
    page.check("#receipt-saved")
    page.fill("#receipt-typed", slips(code)["changed"])
    page.click("#receipt-confirm button[type=submit]")
    assert "Nhóm ký tự thứ 2" in page.text_content("#receipt-check")
    page.fill("#receipt-typed", code.lower().replace("-", " "))
    page.click("#receipt-confirm button[type=submit]")
    assert "Đúng mã" in page.text_content("#receipt-check")

    page.click("#receipt-check-link")
    page.wait_for_url(f"{portal.origin}/tra-cuu/")


def test_without_javascript_the_receipt_fits_one_line_and_leads_to_the_check_page(
    phone_without_javascript, portal, office_key, tmp_path
):
    phone = phone_without_javascript
    page = phone.page
    page.goto(f"{portal.origin}/gui-phan-anh/")
    fill(page, description="Dòng thứ nhất\nDòng thứ hai")  # the browser posts it with CRLF
    post_form(page, "#report-form button[type=submit]")
    page.wait_for_selector("text=đã được gửi và lưu an toàn")
    code = page.text_content("#receipt-code")
    assert [len(group) for group in code.split("-")] == [6, 6, 6, 6]
    assert_code_on_one_line_and_copied_whole(page, "#receipt-code", code)
    assert_sound_page(phone, "no-JavaScript receipt")
    page.click("text=Mở trang Theo dõi phản ánh")
    page.wait_for_url(f"{portal.origin}/tra-cuu/")
    env = office_env(portal, office_key, tmp_path)
    (case,) = pulled_cases(env)
    document = json.loads(run_office("show", case["number"], "--format", "json", env=env).stdout)
    assert document["description"] == "Dòng thứ nhất\nDòng thứ hai"  # LF, as the page's script sends it


def test_a_slip_in_the_code_is_refused_in_the_page_and_an_old_code_reads_its_answers(phone, portal):
    page = phone.page
    written = receipt.new_code()
    old = "-".join(group[:5] for group in written.split("-"))  # the same code, as issued before checks
    store = open_store(portal.store.as_uri())
    put_reply(store, written, "handling", "Văn phòng Ban đang xác minh thông tin.")
    page.goto(f"{portal.origin}/tra-cuu/")
    assert axe_on_focus_and_hover(page, "#check-form") == {}
    for kind, expected in (
        ("changed", "Nhóm ký tự thứ 2 có ký tự"),
        ("swapped", "Nhóm ký tự thứ 2 và 3 bị đổi chỗ"),
    ):
        phone.api_requests.clear()
        check_in_page(page, portal.origin, slips(written)[kind])
        page.wait_for_selector("#error-code:not([hidden])")
        assert expected in page.text_content("#error-code"), kind
        summary = page.text_content(".report-errors")
        assert summary.startswith("Chưa tra cứu được") and "Phản ánh" not in summary
        assert phone.api_requests == [], f"{kind}: something was fetched or sent"
        assert axe_serious(page) == []

    check_in_page(page, portal.origin, old)
    page.wait_for_selector("#check-results:not([hidden])", timeout=60_000)
    assert "Văn phòng Ban đang xác minh thông tin." in page.text_content("#check-results")
    status = page.text_content("#check-form .report-progress [role=status]")
    assert status == "Đã tải và giải mã 1 trả lời."
    assert "Đã gửi xong" not in page.text_content("main")
    assert_sound_page(phone, "check page with an answer")
    assert axe_on_focus_and_hover(page, "#check-results") == {}


def test_without_javascript_the_function_refuses_a_slip_and_an_old_code_reads_its_answers(
    phone_without_javascript, portal
):
    phone = phone_without_javascript
    page = phone.page
    written = receipt.new_code()
    old = "-".join(group[:5] for group in written.split("-"))
    store = open_store(portal.store.as_uri())
    put_reply(store, written, "handling", "Văn phòng Ban đang xác minh thông tin.")
    for kind, expected in (
        ("changed", "Nhóm ký tự thứ 2 có ký tự"),
        ("swapped", "Nhóm ký tự thứ 2 và 3 bị đổi chỗ"),
    ):
        check_in_page(page, portal.origin, slips(written)[kind], javascript=False)
        assert page.text_content("h1") == "Chưa tra cứu được"
        assert expected in page.text_content("[role=alert]"), kind
        assert_sound_page(phone, f"no-JavaScript check refused ({kind})")
    page.fill("#code", old)  # corrected on the refusal page itself
    post_form(page, "button[type=submit]")
    assert "Văn phòng Ban đang xác minh thông tin." in page.text_content("main")
    assert_sound_page(phone, "no-JavaScript answers")


def test_a_followup_to_a_code_no_case_has_is_kept_and_the_office_joins_it(phone, portal, office_key, tmp_path):
    page = phone.page
    env = office_env(portal, office_key, tmp_path)
    store = open_store(portal.store.as_uri())
    case_code = receipt.derive(receipt.new_code())
    put_report(store, office_key[1], reply={"recipient": case_code.reply_recipient, "lookup_id": case_code.lookup_id})
    (case,) = pulled_cases(env)

    stray = receipt.new_code()  # well formed, but no case has it
    check_in_page(page, portal.origin, stray)
    page.wait_for_selector("#check-results:not([hidden])", timeout=60_000)
    results = page.text_content("#check-results")
    assert "chưa vào sổ phản ánh nào mang mã này" in results and "giữ lại để Văn phòng Ban đối chiếu" in results
    assert page.text_content("#check-form .report-progress [role=status]") == "Đã tra cứu: chưa có trả lời nào."
    page.fill("#f-message", "Tôi gửi thêm: sự việc lặp lại vào tuần sau.")
    page.click("#followup-form button[type=submit]")
    page.wait_for_selector(".followup-sent", timeout=RECEIPT_TIMEOUT)
    told = page.text_content(".followup-sent")
    assert "được giữ lại để Văn phòng Ban đối chiếu" in told and "Tiếp tục dùng mã tra cứu cũ" not in told
    assert_sound_page(phone, "follow-up kept")

    pulled = run_office("pull", env=env)
    assert pulled.returncode == 0 and "matching no case: 1" in pulled.stderr.decode()
    (waiting,) = json.loads(run_office("list", "--unmatched", "--format", "json", env=env).stdout)
    assert waiting["id"] in run_office("list", "--unmatched", env=env).stdout.decode()
    joined = run_office(
        "attach", waiting["id"], case["number"], "--reason", "người phản ánh gọi điện xác nhận", env=env
    )
    assert joined.returncode == 0, joined.stderr.decode()
    shown = run_office("show", case["number"], env=env).stdout.decode()
    assert "Tôi gửi thêm: sự việc lặp lại vào tuần sau." in shown
    trail = run_office("audit", "list", "--case", case["number"], env=env).stdout.decode()
    assert "joined a follow-up to a case" in trail and "người phản ánh gọi điện xác nhận" in trail


def test_without_javascript_a_followup_is_told_truthfully_where_it_goes(
    phone_without_javascript, portal, office_key, tmp_path
):
    phone = phone_without_javascript
    page = phone.page
    env = office_env(portal, office_key, tmp_path)
    store = open_store(portal.store.as_uri())
    known = receipt.new_code()
    derived = receipt.derive(known)
    put_report(store, office_key[1], reply={"recipient": derived.reply_recipient, "lookup_id": derived.lookup_id})
    pulled_cases(env)  # registered: the store now knows this code has a case

    for code, expected in ((known, "xem cùng với phản ánh trước đó"), (receipt.new_code(), "được giữ lại")):
        check_in_page(page, portal.origin, code, javascript=False)
        assert_sound_page(phone, "no-JavaScript answers")
        page.fill("#message", "Dòng một\nDòng hai")
        post_form(page, "text=Gửi thông tin bổ sung")
        assert page.text_content("h1") == "Đã nhận thông tin bổ sung"
        assert expected in page.text_content("main")
        assert_sound_page(phone, "no-JavaScript follow-up receipt")
    result = run_office("pull", env=env)
    assert "follow-ups: 1" in result.stderr.decode() and "matching no case: 1" in result.stderr.decode()


def test_every_control_of_the_report_and_check_pages_passes_axe_under_focus_and_pointer(phone, portal):
    """Both languages at rest; under focus and the pointer once (the English pages are drawn alike)."""
    page = phone.page
    looks: set[str] = set()
    for path, scope in (("/gui-phan-anh/", "#report-form"), ("/tra-cuu/", "#check-form")):
        for lang in ("/en", ""):
            page.goto(f"{portal.origin}{lang}{path}")
            assert axe_serious(page) == [], lang + path
        assert axe_on_focus_and_hover(page, scope, looks) == {}, path
    assert phone.console_errors == []
