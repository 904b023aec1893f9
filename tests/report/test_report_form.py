"""The citizen's path in the real Chromium: the online report form, encrypted in the page."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import time
from pathlib import Path

from intake_function import envelope, objects, proof
from intake_function.store import open_store
from tests.conftest import TEST_SECRET, run_office
from tests.report.conftest import axe_serious, post_form, running_portal

DESCRIPTION = "Cán bộ phòng Quản lý doanh nghiệp đòi 5 triệu đồng để ký giấy xác nhận – mã phân biệt Ợ7Ỹ"
PLACE = "Khu kinh tế cửa khẩu Tịnh Biên, An Giang"
RECEIPT_TIMEOUT = 180_000


def fill(page, *, description: str = DESCRIPTION, files: list[Path] = ()) -> None:
    page.check("#f-category-corruption")
    page.fill("#f-description", description)
    page.fill("#f-occurred", "tháng 10/2026")
    page.fill("#f-place", PLACE)
    page.fill("#f-persons-involved", "Ông Nguyễn Văn X, chuyên viên")
    if files:
        page.set_input_files("#f-attachments", [str(f) for f in files])
    page.check("#f-consent")


def wait_until(page, expression: str, condition, timeout: float = 60) -> None:
    """Poll the page (page.wait_for_function would eval a string, which the page's CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not condition(page.evaluate(expression)):
        assert time.monotonic() < deadline, f"timed out waiting on {expression}"
        time.sleep(0.1)


def office_env(portal, office_key, tmp_path) -> dict[str, str]:
    return {
        "OFFICE_STORE": portal.store.as_uri(),
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_DATA": str(tmp_path / "desk"),
        "OFFICE_RECIPIENTS": office_key[1],
    }


def pulled_cases(env) -> list[dict]:
    result = run_office("pull", "--init", env=env)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(run_office("list", "--format", "json", env=env).stdout)


def test_report_with_two_files_arrives_whole_and_nothing_readable_is_sent(watched, portal, office_key, tmp_path):
    page = watched.page
    small = tmp_path / "biên-bản.txt"
    small.write_text("Biên bản làm việc – BÍ MẬT-Ạ9", encoding="utf-8")
    big = tmp_path / "ảnh-hiện-trường.bin"
    big.write_bytes(b"RAW-EVIDENCE-" + os.urandom(20 * 1024 * 1024 + 5))
    page.goto(f"{portal.origin}/gui-phan-anh/")
    fill(page, files=[small, big])
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#report-receipt:not([hidden])", timeout=RECEIPT_TIMEOUT)
    code = page.text_content("#receipt-code")
    assert [len(group) for group in code.split("-")] == [6, 6, 6, 6]

    assert watched.hosts == {portal.origin.removeprefix("http://")}
    assert watched.console_errors == []
    sent = portal.recorder.bodies()
    for plaintext in (DESCRIPTION, PLACE, "Biên bản làm việc", code, code.replace("-", "")):
        assert plaintext.encode() not in sent
    assert b"RAW-EVIDENCE-" not in sent
    methods = {(m, p.split("/uploads/")[0]) for m, p, _ in portal.recorder.requests}
    assert ("PUT", "/api/v1") in methods and ("POST", "/api/v1/submissions") in methods

    env = office_env(portal, office_key, tmp_path)
    (case,) = pulled_cases(env)
    assert case["attachments"] == 2 and case["category"] == "corruption" and case["anonymous"]
    document = json.loads(run_office("show", case["number"], "--format", "json", env=env).stdout)
    assert document["description"] == DESCRIPTION and document["language"] == "vi"
    assert len(document["reply"]["lookup_id"]) == 32
    from intake_function import receipt

    assert document["reply"] == {
        "recipient": receipt.derive(code).reply_recipient,
        "lookup_id": receipt.derive(code).lookup_id,
        "followup_commitment": receipt.derive(code).followup_commitment,  # what a follow-up's proof must match
    }
    out = tmp_path / "files"
    assert run_office("extract", case["number"], "--out", str(out), env=env).returncode == 0
    assert sorted(p.read_bytes() for p in out.iterdir()) == sorted([small.read_bytes(), big.read_bytes()])
    # The same objects, as the Office keeps them, decrypt with the reference age CLI.
    local = open_store((tmp_path / "desk" / "store").as_uri())
    for item in document["attachments"]:
        opened = subprocess.run(
            ["age", "-d", "-i", str(office_key[0])], input=local.get(item["key"]), capture_output=True, check=True
        ).stdout
        assert len(opened) == item["size"]


def test_errors_are_shown_next_to_the_fields_and_accessible(watched, portal):
    page = watched.page
    page.goto(f"{portal.origin}/gui-phan-anh/")
    page.fill("#f-reporter-email", "khong-phai-email")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector(".report-errors:not([hidden])")
    assert page.is_visible("#error-description") and page.is_visible("#error-category")
    assert page.is_visible("#error-consent") and page.is_visible("#error-reporter-email")
    assert page.get_attribute("#f-description", "aria-invalid") == "true"
    assert "Vui lòng nhập nội dung phản ánh." in page.text_content("#error-description")
    assert axe_serious(page) == []
    # A corrected field loses its note (a radio group by any of its buttons); the others keep theirs.
    page.check("#f-consent")
    page.locator("input[name=category]").nth(1).check()
    assert not page.is_visible("#error-consent") and not page.is_visible("#error-category")
    assert page.get_attribute("#f-consent", "aria-invalid") is None
    assert page.is_visible("#error-description") and page.is_visible("#error-reporter-email")
    assert list(open_store(portal.store.as_uri()).list("")) == []


def test_receipt_asks_for_the_code_back_and_names_the_wrong_group(watched, portal):
    page = watched.page
    page.goto(f"{portal.origin}/gui-phan-anh/")
    fill(page)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#report-receipt:not([hidden])", timeout=RECEIPT_TIMEOUT)
    assert axe_serious(page) == []
    code = page.text_content("#receipt-code")
    groups = code.split("-")
    wrong = "-".join([groups[0], groups[1], groups[2][:5] + "-", groups[3]])  # group 3 without its check
    page.check("#receipt-saved")
    page.fill("#receipt-typed", wrong)
    page.click("#receipt-confirm button[type=submit]")
    assert "Nhóm ký tự thứ 3 thiếu hoặc thừa" in page.text_content("#receipt-check")
    page.fill("#receipt-typed", code.lower().replace("-", " "))
    page.click("#receipt-confirm button[type=submit]")
    assert "Đúng mã" in page.text_content("#receipt-check")


def test_expired_proof_of_work_is_refused_with_a_clear_message(watched, portal):
    page = watched.page
    expired = proof.new_challenge(TEST_SECRET.encode(), 1000, 5, ttl=-5)
    page.route("**/api/v1/challenge", lambda route: route.fulfill(json=expired))
    page.goto(f"{portal.origin}/gui-phan-anh/")
    fill(page)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector(".report-errors:not([hidden])", timeout=60_000)
    message = page.text_content(".report-errors")
    assert "hết hạn" in message and "vẫn còn nguyên" in message
    assert page.input_value("#f-description") == DESCRIPTION  # nothing typed is lost
    assert not any(k.startswith("inbox/") for k in (i.key for i in open_store(portal.store.as_uri()).list("")))


def test_network_cut_during_upload_still_ends_in_one_complete_report(chromium, portal, office_key, tmp_path):
    context = chromium.new_context()
    page = context.new_page()
    big = tmp_path / "video.bin"
    big.write_bytes(os.urandom(12 * 1024 * 1024))
    outage = {"cut_at": None, "aborted": 0}

    def network(route, request):
        # The first upload is cut off, and for 3 seconds nothing gets through, as when a phone
        # loses its signal mid-upload; then the network is back.
        now = time.monotonic()
        if outage["cut_at"] is None and request.method == "PUT" and "/uploads/" in request.url:
            outage["cut_at"] = now
        if outage["cut_at"] is not None and now - outage["cut_at"] < 3:
            outage["aborted"] += 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/api/v1/**", network)
    page.goto(f"{portal.origin}/gui-phan-anh/")
    fill(page, files=[big])
    page.click("#report-form button[type=submit]")
    wait_until(
        page,
        "() => document.querySelector('.report-progress [role=status]')?.textContent || ''",
        lambda text: "Mất kết nối" in text,
    )
    context.set_offline(True)  # the browser knows it too; the page waits for the 'online' event
    time.sleep(1)
    context.set_offline(False)
    page.wait_for_selector("#report-receipt:not([hidden])", timeout=RECEIPT_TIMEOUT)
    assert outage["aborted"] >= 1
    env = office_env(portal, office_key, tmp_path)
    (case,) = pulled_cases(env)
    assert case["attachments"] == 1
    out = tmp_path / "files"
    assert run_office("extract", case["number"], "--out", str(out), env=env).returncode == 0
    assert [p.read_bytes() for p in out.iterdir()] == [big.read_bytes()]
    context.close()


def test_without_javascript_the_plain_form_reaches_the_office(chromium, portal, office_key, tmp_path):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{portal.origin}/gui-phan-anh/")
    assert "JavaScript" in page.text_content("noscript") or page.is_visible("text=JavaScript")
    fill(page)
    page.set_input_files(
        "#f-attachments", [{"name": "ghi-chú.txt", "mimeType": "text/plain", "buffer": "Ghi chú kèm theo".encode()}]
    )
    page.fill("#f-reporter-name", "Lê Thị Cúc")
    page.select_option("#f-reporter-contact", "phone")
    page.fill("#f-reporter-phone", "0912 345 678")
    post_form(page, "#report-form button[type=submit]")
    page.wait_for_selector("text=đã được gửi và lưu an toàn")
    code = page.text_content(".code")
    assert [len(group) for group in code.split("-")] == [6, 6, 6, 6]
    env = office_env(portal, office_key, tmp_path)
    (case,) = pulled_cases(env)
    assert not case["anonymous"] and case["attachments"] == 1
    document = json.loads(
        run_office("show", case["number"], "--format", "json", "--reason", "kiểm thử", env=env).stdout
    )
    assert document["reporter"]["name"] == "Lê Thị Cúc" and document["description"] == DESCRIPTION
    context.close()


def test_the_english_page_sends_in_english(watched, portal, office_key, tmp_path):
    page = watched.page
    page.goto(f"{portal.origin}/en/gui-phan-anh/")
    fill(page, description="Someone asked for money to sign a permit")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#report-receipt:not([hidden])", timeout=RECEIPT_TIMEOUT)
    assert "receipt code" in page.text_content("#report-receipt").lower()
    env = office_env(portal, office_key, tmp_path)
    (case,) = pulled_cases(env)
    document = json.loads(run_office("show", case["number"], "--format", "json", env=env).stdout)
    assert document["language"] == "en"


def test_receipt_vectors_in_the_browser(watched, portal):
    vectors = json.loads((Path(objects.__file__).with_name("schemas") / "receipt-vectors.json").read_text())
    page = watched.page
    page.goto(f"{portal.origin}/tra-cuu/")
    results = page.evaluate(
        """async (vectors) => {
            const m = await import('/assets/report/receipt.js');
            const out = [];
            for (const v of vectors.vectors) out.push([await m.derive(v.code), await m.derive(v.written)]);
            const written = vectors.vectors.map((v) => m.format(m.normalise(v.code)));
            const typed = vectors.normalise.map((n) => m.normalise(n.typed));
            const refused = vectors.invalid.map((n) => {
                try { m.normalise(n.typed); return null; } catch (e) { return {kind: e.kind, groups: e.groups}; }
            });
            const fresh = Array.from({length: 200}, () => m.newCode());
            const freshDerived = [];
            for (const code of fresh.slice(0, 5)) freshDerived.push(await m.derive(code));
            return {out, written, typed, refused, fresh, freshDerived};
        }""",
        vectors,
    )
    for vector, got in zip(vectors["vectors"], results["out"], strict=True):
        expected = {
            "lookupId": vector["lookup_id"],
            "replyIdentity": vector["reply_identity"],
            "replyRecipient": vector["reply_recipient"],
            "followupProof": vector["followup_proof"],
            "followupCommitment": vector["followup_commitment"],
        }
        assert got == [expected, expected]  # with and without check characters: one secret
    assert results["written"] == [v["written"] for v in vectors["vectors"]]
    assert results["typed"] == [n["data"] for n in vectors["normalise"]]
    assert results["refused"] == [{"kind": n["kind"], "groups": n["groups"]} for n in vectors["invalid"]]
    from intake_function import receipt

    # And back: the codes the page makes, Python reads, checks and writes the same.
    assert len(set(results["fresh"])) == 200
    for code in results["fresh"]:
        assert receipt.format_code(receipt.normalise(code)) == code
    for code, got in zip(results["fresh"], results["freshDerived"], strict=False):
        derived = receipt.derive(code)
        assert got == {
            "lookupId": derived.lookup_id,
            "replyIdentity": derived.reply_identity,
            "replyRecipient": derived.reply_recipient,
            "followupProof": derived.followup_proof,
            "followupCommitment": derived.followup_commitment,
        }
    assert envelope.parse_recipient(results["out"][0][0]["replyRecipient"])


# Every value the progress bar takes, with the status line beside it (installed once the page is ready).
RECORD_BAR = """() => {
    const bar = document.querySelector('#report-form .report-progress progress');
    const status = document.querySelector('#report-form .report-progress [role=status]');
    window.barValues = [];
    new MutationObserver(() => window.barValues.push([status.textContent, bar.value]))
        .observe(bar, { attributes: true, attributeFilter: ['value'] });
}"""


def test_the_proof_of_work_bar_moves_steadily_to_its_end(chromium, report_site, office_key, tmp_path):
    """A real solve of a challenge set: the bar starts moving at once, never goes back, never jumps by
    more than one part's share, and ends at 100 % (issue 24: "the progress bar moves steadily")."""
    # A range that takes a few hundred attempts of cheap rounds: many bar updates, well under a second.
    settings = {"INTAKE_POW_MAX": "1500", "INTAKE_POW_COST": "200"}
    with running_portal(report_site, office_key[1], tmp_path / "store", **settings) as portal:
        context = chromium.new_context(viewport={"width": 360, "height": 640})
        page = context.new_page()
        page.goto(f"{portal.origin}/gui-phan-anh/")
        fill(page)
        page.evaluate(RECORD_BAR)
        page.click("#report-form button[type=submit]")
        page.wait_for_selector("#report-receipt:not([hidden])", timeout=RECEIPT_TIMEOUT)
        recorded = page.evaluate("() => window.barValues")
        context.close()
    values = [value for text, value in recorded if text == "Đang xác minh chống gửi tự động…"]
    share = 100 / proof.PARTS
    assert values[0] == 0 and values[-1] == 100, values
    steps = [after - before for before, after in itertools.pairwise(values)]
    assert min(steps) >= 0, values  # never goes back
    assert max(steps) <= share + 2, values  # one part's share at most (the bar rounds to whole percents)
    assert min(v for v in values if v > 0) <= share + 2, values  # the first move is small: it starts early
    assert len(set(values)) >= 2 * proof.PARTS, values  # moves in many steps, not part by part
    assert len(list(portal.store.glob("inbox/*"))) == 1
