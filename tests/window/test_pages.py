"""The desk's pages in-process (Flask's test client over the real app, register and key): what a stranger's
text does to a page, and what a locked desk does with a form sent after its idle time."""

from __future__ import annotations

import re
import time

import pytest

from office.window.app import DeskWindow, create_app
from office.window.guard import CSRF_FIELD, SESSION_COOKIE, Guard
from office.window.vault import Vault
from tests.window.conftest import PASSPHRASE, make_register

HOST = {"Host": "127.0.0.1:8765"}
ORIGIN = {**HOST, "Origin": "http://127.0.0.1:8765"}
HOSTILE = 'Nội dung <script>alert(1)</script> \u202egnp.exe\u202c và =HYPERLINK("http://x")'


@pytest.fixture
def app_and_env(tmp_path, protected_key, second_key):
    env = make_register(tmp_path, [protected_key[1], second_key[1]])
    from tests.conftest import run_office

    made = run_office(
        "add", "--channel", "hotline", "--category", "other", "--description", HOSTILE, "--place", HOSTILE, env=env
    )
    assert made.returncode == 0, made.stderr.decode()
    flagged = run_office("flag", "2026-0001", "--set", "complex", env=env)  # the leaders are to be told
    assert flagged.returncode == 0, flagged.stderr.decode()
    guard = Guard(port=8765)
    vault = Vault(protected_key[0], lock_after_seconds=1.5)
    app = create_app(DeskWindow(tmp_path / "office-data", None, "can-bo", guard, vault, lambda: None))
    client = app.test_client()
    client.set_cookie(SESSION_COOKIE, guard.exchange(guard.launch_token), domain="127.0.0.1")
    yield client, guard, vault
    vault.close()


def _unlock(client, guard) -> int:
    return client.post("/unlock", data={"passphrase": PASSPHRASE, CSRF_FIELD: guard.csrf}, headers=ORIGIN).status_code


def test_a_strangers_text_is_text_and_a_late_form_changes_nothing(app_and_env):
    client, guard, vault = app_and_env
    assert (
        client.post("/unlock", data={"passphrase": PASSPHRASE, CSRF_FIELD: guard.csrf}, headers=ORIGIN).status_code
        == 303
    )
    page = client.get("/cases/2026-0001", headers=HOST).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\u202e" not in page and "\\u202e" in page  # the direction override shown, not obeyed
    # The overview in office due's words: nothing late, then the case whose leaders are to be told, a link to it.
    overview = client.get("/", headers=HOST).get_data(as_text=True)
    assert "nothing late or due soon" in overview
    assert re.search(r'<a href="/cases/2026-0001#viec-flag">2026-0001</a> [^<]*--leaders-informed', overview)
    csv = client.get("/cases.csv?search=hotline", headers=HOST).get_data()
    assert csv.startswith(b"\xef\xbb\xbf")

    # A form sent after the idle time: refused, nothing changed, and the page says to unlock first.
    time.sleep(2)
    sent = client.post(
        "/cases/2026-0001/classify",
        data={"competence": "within", "note": "muộn", CSRF_FIELD: guard.csrf},
        headers=ORIGIN,
    )
    assert sent.status_code == 409 and "đã tự khóa" in sent.get_data(as_text=True)
    assert not vault.unlocked
    assert (
        client.post("/unlock", data={"passphrase": PASSPHRASE, CSRF_FIELD: guard.csrf}, headers=ORIGIN).status_code
        == 303
    )
    page = client.get("/cases/2026-0001", headers=HOST).get_data(as_text=True)
    assert re.search(r"Đã tiếp nhận", page) and "muộn" not in page

    # An unknown page, an unknown action: said in Vietnamese, nothing else.
    for path in ("/khong-co", "/cases/2026-9999"):
        missing = client.get(path, headers=HOST)
        assert missing.status_code == 404 and "Không có trang này" in missing.get_data(as_text=True)
    assert client.post("/cases/2026-0001/xoa", data={CSRF_FIELD: guard.csrf}, headers=ORIGIN).status_code == 404
