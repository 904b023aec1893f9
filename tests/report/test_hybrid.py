"""The Office with two hybrid post-quantum keys (ML-KEM-768 + X25519), end to end in the real Chromium.

The site is built for the primary and the backup hybrid key and the function serves them: a report
with files and a follow-up with a file, sent from the pages (typage), and a report from the
no-JavaScript form (encrypted by the function on arrival), all open in the Office with the backup
key alone, and no stored object holds an X25519 stanza.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from intake_function import config as config_module
from intake_function import create_app, envelope
from intake_function.local_site import with_static_site
from intake_function.store import open_store
from tests.conftest import TEST_SECRET, run_office
from tests.report.conftest import _QuietHandler, post_form
from tests.report.test_journey import check_in_page
from tests.report.test_report_form import DESCRIPTION, RECEIPT_TIMEOUT, fill
from tests.site.conftest import run_build


@pytest.fixture(scope="module")
def hybrid_keys(tmp_path_factory) -> dict[str, Path | str]:
    """The Office's two hybrid keys, made by office keygen (identity files and .pub files)."""
    folder = tmp_path_factory.mktemp("hybrid-keys")
    keys = {}
    for name in ("office-identity", "office-backup"):
        made = run_office("keygen", "--out", str(folder / f"{name}.age"), "--no-passphrase", env={})
        assert made.returncode == 0, made.stderr.decode()
        keys[name] = folder / f"{name}.age"
        keys[f"{name}.pub"] = made.stdout.decode().strip()
    return keys


@pytest.fixture(scope="module")
def hybrid_portal(tmp_path_factory, hybrid_keys):
    recipients = f"{hybrid_keys['office-identity.pub']},{hybrid_keys['office-backup.pub']}"
    work = tmp_path_factory.mktemp("hybrid-portal")
    build = run_build(work / "site", "--recipients", recipients)
    assert build.returncode == 0, build.log
    store = work / "store"
    config = config_module.from_env(
        {
            "INTAKE_STORE": store.as_uri(),
            "INTAKE_RECIPIENTS": recipients,
            "INTAKE_SECRET": TEST_SECRET,
            "INTAKE_POW_MAX": "40",
            "INTAKE_LOG_LEVEL": "WARNING",
        }
    )
    httpd = make_server(
        "127.0.0.1", 0, with_static_site(create_app(config), build.site), threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", store, recipients
    httpd.shutdown()
    thread.join(timeout=10)


def test_reports_and_a_followup_open_with_the_backup_hybrid_key_alone(chromium, hybrid_portal, hybrid_keys, tmp_path):
    origin, store, recipients = hybrid_portal
    evidence = tmp_path / "chứng-cứ.bin"
    evidence.write_bytes(b"EVIDENCE-" + os.urandom(300 * 1024))  # five STREAM chunks
    note = tmp_path / "ghi-chú.txt"
    note.write_text("Ghi chú bổ sung – BÍ MẬT", encoding="utf-8")

    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{origin}/gui-phan-anh/")
    config = json.loads(page.text_content("#portal-config"))
    assert config["recipients"] == recipients.split(",")
    fill(page, files=[evidence])
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#report-receipt:not([hidden])", timeout=RECEIPT_TIMEOUT)
    code = page.text_content("#receipt-code")
    check_in_page(page, origin, code)
    page.wait_for_selector("#check-results:not([hidden])", timeout=60_000)
    page.fill("#f-message", "Tôi gửi thêm một ghi chú.")
    page.set_input_files("#f-followup-files", [str(note)])
    page.click("#followup-form button[type=submit]")
    page.wait_for_selector(".followup-sent", timeout=RECEIPT_TIMEOUT)
    assert errors == []
    context.close()

    plain = chromium.new_context(java_script_enabled=False)
    page = plain.new_page()
    page.goto(f"{origin}/gui-phan-anh/")
    fill(page, description="Báo cáo không dùng JavaScript, khóa lai.")
    page.set_input_files("#f-attachments", [{"name": "anh.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8 anh"}])
    post_form(page, "#report-form button[type=submit]")
    page.wait_for_selector("text=đã được gửi và lưu an toàn")
    plain.close()

    # Every stored object is for the two hybrid keys, with no X25519 stanza (the check is keyless).
    stored = [info.key for info in open_store(store.as_uri()).list("") if info.key.endswith(".age")]
    assert len(stored) == 6  # two reports, a follow-up, three files
    for key in stored:
        header = envelope.parse_header((store / key).read_bytes())
        assert (header.hybrid_stanzas, header.x25519_stanzas) == (2, 0), key

    env = {
        "OFFICE_STORE": store.as_uri(),
        "OFFICE_IDENTITY": str(hybrid_keys["office-backup"]),
        "OFFICE_DATA": str(tmp_path / "desk"),
        "OFFICE_RECIPIENTS": recipients,
    }
    pulled = run_office("pull", "--init", env=env)
    assert pulled.returncode == 0, pulled.stderr.decode()
    assert "quarantined" not in pulled.stderr.decode()
    cases = {c["number"]: c for c in json.loads(run_office("list", "--format", "json", env=env).stdout)}
    assert len(cases) == 2
    opened = {}
    for number in cases:
        document = json.loads(run_office("show", number, "--format", "json", "--reason", "kiểm thử", env=env).stdout)
        out = tmp_path / f"files-{number}"
        assert run_office("extract", number, "--out", str(out), "--reason", "kiểm thử", env=env).returncode == 0
        opened[document["description"]] = (run_office("show", number, env=env).stdout.decode(), out)
    shown, out = opened[DESCRIPTION]
    assert "Tôi gửi thêm một ghi chú." in shown
    assert sorted(p.read_bytes() for p in out.rglob("*") if p.is_file()) == sorted(
        [evidence.read_bytes(), note.read_bytes()]
    )
    _, out = opened["Báo cáo không dùng JavaScript, khóa lai."]
    assert [p.read_bytes() for p in out.rglob("*") if p.is_file()] == [b"\xff\xd8 anh"]
    # What the Office keeps is hybrid too.
    for path in (tmp_path / "desk" / "store").rglob("*.age"):
        assert envelope.parse_header(path.read_bytes()).x25519_stanzas == 0, path
