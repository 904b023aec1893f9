"""Following up by receipt code in the real Chromium: read the Office's answers, add information."""

from __future__ import annotations

import json

from intake_function import receipt
from intake_function.store import open_store
from tests.conftest import run_office
from tests.report.conftest import axe_serious, post_form
from tests.report.test_report_form import RECEIPT_TIMEOUT, fill, office_env, pulled_cases


def report_and_keep_code(page, portal) -> str:
    page.goto(f"{portal.origin}/gui-phan-anh/")
    fill(page)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#report-receipt:not([hidden])", timeout=RECEIPT_TIMEOUT)
    return page.text_content("#receipt-code")


def check(page, portal, code: str) -> str:
    page.goto(f"{portal.origin}/tra-cuu/")
    page.fill("#f-code", code)
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("#check-results:not([hidden])", timeout=60_000)
    return page.text_content("#check-results")


def test_reporter_reads_answers_and_adds_information(watched, portal, office_key, tmp_path):
    page = watched.page
    code = report_and_keep_code(page, portal)
    env = office_env(portal, office_key, tmp_path)
    (case,) = pulled_cases(env)
    question = "Xin Ông/Bà cho biết sự việc xảy ra vào ngày nào trong tháng 10/2026?"
    replied = run_office("reply", case["number"], "--status", "handling", "--message", question, env=env)
    assert replied.returncode == 0, replied.stderr.decode()
    shown = check(page, portal, code.lower().replace("-", " "))
    assert "Đang xử lý" in shown and question in shown
    assert axe_serious(page) == []

    page.fill("#f-message", "Sự việc xảy ra sáng ngày 14/10/2026.")
    page.set_input_files(
        "#f-followup-files", [{"name": "hoá-đơn.txt", "mimeType": "text/plain", "buffer": "Hoá đơn số 123".encode()}]
    )
    page.click("#followup-form button[type=submit]")
    page.wait_for_selector(".followup-sent", timeout=RECEIPT_TIMEOUT)

    # The code never left the page, nor anything it could be recomputed from faster than by brute force,
    # nor the follow-up proof outside its envelope; the lookup id travelled in a body, never in a URL.
    derived = receipt.derive(code)
    paths = "".join(p for _, p, _ in portal.recorder.requests)
    sent = portal.recorder.bodies() + paths.encode()
    for secret in (code, code.replace("-", ""), code.lower(), derived.reply_identity, derived.followup_proof):
        assert secret.encode() not in sent
    assert derived.lookup_id not in paths and derived.lookup_id.encode() in portal.recorder.bodies()
    asked = [(method, path) for method, path, _ in portal.recorder.requests]
    checked = max(i for i, request in enumerate(asked) if request == ("POST", "/api/v1/replies"))
    reported = max(i for i, (_, path) in enumerate(asked[:checked]) if path == "/api/v1/submissions")
    assert ("GET", "/api/v1/challenge") not in asked[reported + 1 : checked]  # checking costs no proof-of-work
    assert watched.console_errors == []

    result = run_office("pull", "--init", env=env)
    assert result.returncode == 0, result.stderr.decode()
    listed = json.loads(run_office("list", "--format", "json", env=env).stdout)
    assert len(listed) == 1  # the follow-up joined the case, it did not open a new one
    text = run_office("show", case["number"], env=env).stdout.decode()
    assert "Sự việc xảy ra sáng ngày 14/10/2026." in text and "hoá-đơn.txt" in text
    assert "reporter added (proven with the receipt code)" in text  # the page sent the code's proof


def test_wrong_and_never_used_codes_look_the_same(watched, portal):
    page = watched.page
    never = check(page, portal, receipt.new_code())
    wrong = check(page, portal, receipt.new_code())
    assert never == wrong and "Chưa có thông tin nào" in never
    page.goto(f"{portal.origin}/tra-cuu/")
    page.fill("#f-code", "ABCDE-FGHJK-MNPQR-STUVW")
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("#error-code:not([hidden])")
    assert "4" in page.text_content("#error-code")
    assert list(open_store(portal.store.as_uri()).list("outbox/")) == []


def test_without_javascript_the_check_posts_the_code_and_says_so(chromium, portal, office_key, tmp_path):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{portal.origin}/gui-phan-anh/")
    fill(page)
    post_form(page, "#report-form button[type=submit]")
    code = page.text_content(".code")
    env = office_env(portal, office_key, tmp_path)
    (case,) = pulled_cases(env)
    assert run_office("reply", case["number"], "--status", "received", env=env).returncode == 0
    page.goto(f"{portal.origin}/tra-cuu/")
    assert "gửi tới máy chủ" in page.text_content("noscript")
    page.fill("#f-code", code)
    post_form(page, "#check-form button[type=submit]")
    assert "Đã tiếp nhận" in page.text_content("body")
    assert "máy chủ" in page.text_content(".note")
    context.close()
