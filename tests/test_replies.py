"""The reporter's follow-up on the function: answers by lookup id, the no-JavaScript check, follow-ups."""

from __future__ import annotations

import base64
import json
import time

import pytest

from intake_function import envelope, objects, receipt, report
from intake_function.codes import new_object_id
from intake_function.store import open_store


def ask(client, lookup_id, **kwargs):
    """What the check page sends: the lookup id in a JSON body, no proof-of-work."""
    return client.post("/api/v1/replies", json={"lookup_id": lookup_id}, **kwargs)


def put_reply(store, code: str, status: str, message: str = "", **extra) -> None:
    derived = receipt.derive(code)
    document = {
        "schema": "reply/1",
        "status": status,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **({"message": message} if message else {}),
        **extra,
    }
    report.validate(document, accept=(report.REPLY_ID,))
    sealed = envelope.encrypt(report.padded(document), [envelope.parse_recipient(derived.reply_recipient)])
    store.put(objects.outbox_key(derived.lookup_id, new_object_id()), sealed)


def test_answers_are_listed_by_lookup_id_and_unknown_looks_empty(make_app, store_url, intake_log):
    store = open_store(store_url)
    code = receipt.new_code()
    put_reply(store, code, "received")
    put_reply(store, code, "handling", "Xin Ông/Bà cho biết thêm thời gian xảy ra?")
    client = make_app().test_client()
    lookup = receipt.derive(code).lookup_id
    answer = ask(client, lookup).json
    found = answer["replies"]
    assert len(found) == 2 and answer["known"] is True
    identity = envelope.parse_identities(receipt.derive(code).reply_identity)
    texts = [json.loads(envelope.decrypt(base64.b64decode(r["envelope"]), identity)) for r in found]
    assert [t["status"] for t in texts] == ["received", "handling"]

    never = receipt.derive(receipt.new_code()).lookup_id
    unknown = ask(client, never)
    empty_shape = ask(client, "f" * 32)
    assert unknown.status_code == empty_shape.status_code == 200
    assert unknown.data == empty_shape.data == b'{"known":false,"replies":[]}\n'
    # A case the Office registered with this code and has not answered yet: known, nothing to read.
    registered = receipt.derive(receipt.new_code()).lookup_id
    store.put(objects.outbox_marker_key(registered), b"")
    marked = ask(client, registered)
    assert marked.data == b'{"known":true,"replies":[]}\n'
    assert lookup not in intake_log.getvalue() and never not in intake_log.getvalue()
    assert "POST /api/v1/replies 200" in intake_log.getvalue()


class CountingStore:
    """A real store that records which operations each request makes."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls: list[str] = []

    def __getattr__(self, name: str):
        attribute = getattr(self.inner, name)
        if not callable(attribute):
            return attribute

        def recorded(*args, **kwargs):
            self.calls.append(name)
            return attribute(*args, **kwargs)

        return recorded


def test_answers_cost_the_same_work_and_no_wait(store_url, office_key):
    """No sleeping to equalise time: the same store operations for the same result, and nothing
    at all for a malformed request, which is refused before any limit or budget is spent."""
    from intake_function import create_app
    from tests.conftest import make_config

    inner = open_store(store_url)
    code = receipt.new_code()
    for n in range(5):
        put_reply(inner, code, "handling", f"Tin nhắn {n}")
    store = CountingStore(inner)
    client = create_app(
        make_config(store_url, [office_key[1]], INTAKE_CLIENT_CHECK_LIMIT="9"), store=store
    ).test_client()
    calls = {}
    for name, lookup in {"full": receipt.derive(code).lookup_id, "unknown": "0123456789abcdef" * 2}.items():
        store.calls.clear()
        assert ask(client, lookup).status_code == 200
        assert store.calls[0] == "create"  # the store-wide budget's slot (more tries as its slots fill)
        calls[name] = [c for c in store.calls if c != "create"]
    assert calls["unknown"] == ["list"]
    assert calls["full"] == ["list"] + ["get"] * 5
    store.calls.clear()
    malformed = [
        {"lookup_id": "xyz"},
        {"lookup_id": "0123456789abcdef" * 2 + "\n"},
        {"lookup_id": "0123456789ABCDEF" * 2},
        {"lookup_id": "a" * 32, "code": "x"},
        ["a" * 32],
        {"lookup_id": ["a" * 32]},
    ]
    for body in malformed:
        refused = client.post("/api/v1/replies", json=body)
        assert refused.status_code == 400 and refused.json["error"] == "invalid_lookup_id", body
    for raw, kind in ((b'{"lookup_id": "' + b"a" * 32 + b'"', "application/json"), (b"a" * 32, "text/plain")):
        refused = client.post("/api/v1/replies", data=raw, content_type=kind)
        assert refused.status_code in (400, 415)
    huge = client.post("/api/v1/replies", data=b" " * 4096 + b"{}", content_type="application/json")
    assert huge.status_code == 413
    assert store.calls == []
    assert ask(client, "a" * 32).status_code == 200  # the client's third check: the refusals spent none
    again = ask(client, "a" * 32)
    assert again.status_code == 429 and again.json["error"] == "slow_down" and int(again.headers["Retry-After"]) > 0


def test_checks_need_no_proof_of_work_and_old_pages_are_told_to_reload(make_app):
    client = make_app().test_client()
    assert ask(client, "a" * 32).status_code == 200  # no X-Altcha
    # A page from before the lookup id moved into the body asks by GET: it is told to reload.
    old = client.get(f"/api/v1/replies/{'a' * 32}")
    assert old.status_code == 410 and old.json["error"] == "page_outdated" and "tải lại trang" in old.json["message"]
    assert client.get("/api/v1/replies").status_code == 405


def test_no_javascript_check_shows_the_timeline_and_forgets_the_code(make_app, store_url, intake_log):
    store = open_store(store_url)
    code = receipt.new_code()
    put_reply(store, code, "received")
    put_reply(store, code, "forwarded", "Đã chuyển.", authority="Thanh tra tỉnh An Giang")
    client = make_app().test_client()
    page = client.post("/api/v1/replies/check", data={"code": code.lower()}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    text = page.data.decode()
    assert "Đã tiếp nhận" in text and "Đã chuyển cơ quan có thẩm quyền" in text and "Thanh tra tỉnh An Giang" in text
    assert "máy chủ" in text  # the page says plainly that this path shows the code to the server
    assert page.headers["Cache-Control"] == "no-store"
    wrong = client.post("/api/v1/replies/check", data={"code": code[:-1] + "U"}, headers={"Accept": "text/html"})
    assert wrong.status_code == 200 and "Nhóm ký tự thứ 4" in wrong.data.decode()
    never = client.post("/api/v1/replies/check", data={"code": receipt.new_code()}, headers={"Accept": "text/html"})
    assert never.status_code == 200 and "Chưa có thông tin nào" in never.data.decode()
    assert "chưa vào sổ phản ánh nào mang mã này" in never.data.decode()
    log = intake_log.getvalue()
    assert code not in log and code.replace("-", "") not in log and receipt.derive(code).lookup_id not in log


def test_no_javascript_followup_is_encrypted_and_linked(make_app, store_url, office_key):
    code = receipt.new_code()
    client = make_app().test_client()
    response = client.post(
        "/api/v1/followups/form",
        data={"code": code, "message": "Sự việc xảy ra vào sáng thứ Hai.", "language": "vi"},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 201 and "Đã nhận thông tin bổ sung" in response.data.decode()
    store = open_store(store_url)
    (inbox,) = list(store.list("inbox/"))
    identities = envelope.load_identities(office_key[0], lambda: "")
    document = report.parse(envelope.decrypt(store.get(inbox.key), identities), accept=(report.FOLLOWUP_ID,))
    assert document["lookup_id"] == receipt.derive(code).lookup_id
    assert document["proof"] == receipt.derive(code).followup_proof  # derived here, as the page's script does
    assert document["message"] == "Sự việc xảy ra vào sáng thứ Hai."
    bad = client.post("/api/v1/followups/form", data={"code": "nope", "message": "x"})
    assert bad.status_code == 400 and bad.json["error"] == "invalid_code"


@pytest.mark.parametrize("status", ["forwarded", "not_accepted"])
def test_reply_schema_requires_authority_or_reason(status):
    with pytest.raises(report.ReportError):
        report.validate({"schema": "reply/1", "status": status, "at": "2026-11-26T00:00:00Z"}, accept=("reply/1",))


def _slips(code: str) -> dict[str, str]:
    """The code with one character changed in group 2, and with groups 2 and 3 swapped."""
    groups = code.split("-")
    changed = groups[1][:2] + ("Z" if groups[1][2] != "Z" else "Y") + groups[1][3:]
    return {
        "changed": "-".join([groups[0], changed, *groups[2:]]),
        "swapped": "-".join([groups[0], groups[2], groups[1], groups[3]]),
    }


def test_no_javascript_check_refuses_a_slip_before_reading_anything(make_app, store_url, monkeypatch):
    store = open_store(store_url)
    code = receipt.new_code()
    put_reply(store, code, "received")
    listed: list[str] = []
    original = type(store).list
    monkeypatch.setattr(type(store), "list", lambda self, prefix: listed.append(prefix) or original(self, prefix))
    client = make_app(INTAKE_STORE=store_url).test_client()
    slips = _slips(code)
    changed = client.post("/api/v1/replies/check", data={"code": slips["changed"]}, headers={"Accept": "text/html"})
    text = changed.data.decode()
    assert changed.status_code == 200 and "Nhóm ký tự thứ 2 có ký tự bị ghi hoặc gõ nhầm" in text
    # The check's own page: its title, the code as typed to correct it, the way back.
    assert "<h1>Chưa tra cứu được</h1>" in text and "phản ánh" not in text.split("<h1>")[1].split("</h1>")[0]
    assert f'value="{slips["changed"]}"' in text and 'action="check?language=vi"' in text and 'href="/tra-cuu/"' in text
    swapped = client.post("/api/v1/replies/check", data={"code": slips["swapped"]}, headers={"Accept": "text/html"})
    assert swapped.status_code == 200 and "Nhóm ký tự thứ 2 và 3 bị đổi chỗ" in swapped.data.decode()
    as_json = client.post("/api/v1/replies/check", data={"code": slips["swapped"]})
    assert as_json.status_code == 400 and as_json.json["error"] == "invalid_code"
    assert listed == [], "a refused code must not reach the store"
    followup = client.post("/api/v1/followups/form", data={"code": slips["changed"], "message": "x"})
    assert followup.status_code == 400 and "thứ 2" in followup.json["message"]
    page = client.post(
        "/api/v1/followups/form", data={"code": slips["changed"], "message": "x"}, headers={"Accept": "text/html"}
    )
    assert "<h1>Chưa gửi được thông tin bổ sung</h1>" in page.data.decode()
    assert not list(store.list("inbox/"))


def test_a_code_issued_without_check_characters_still_reads_its_answers(make_app, store_url):
    store = open_store(store_url)
    old = receipt.new_code()
    old = "-".join(group[:5] for group in old.split("-"))  # as codes were written before
    put_reply(store, old, "handling", "Văn phòng Ban đang xác minh.")
    client = make_app().test_client()
    page = client.post("/api/v1/replies/check", data={"code": old}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Văn phòng Ban đang xác minh." in page.data.decode()


def test_no_javascript_followup_says_whether_a_case_will_receive_it(make_app, store_url):
    store = open_store(store_url)
    client = make_app().test_client()
    known_code, unknown_code = receipt.new_code(), receipt.new_code()
    store.put(objects.outbox_marker_key(receipt.derive(known_code).lookup_id), b"")
    html = {"Accept": "text/html"}
    known = client.post("/api/v1/followups/form", data={"code": known_code, "message": "Thêm."}, headers=html)
    unknown = client.post("/api/v1/followups/form", data={"code": unknown_code, "message": "Thêm."}, headers=html)
    assert known.status_code == unknown.status_code == 201
    assert "xem cùng với phản ánh trước đó" in known.data.decode() and "đối chiếu" not in known.data.decode()
    assert "được giữ lại để Văn phòng Ban đối chiếu" in unknown.data.decode()
    assert "xem cùng với phản ánh trước đó" not in unknown.data.decode()
    as_json = client.post("/api/v1/followups/form", data={"code": unknown_code, "message": "Thêm."})
    assert as_json.json["known"] is False
    assert len(list(store.list("inbox/"))) == 3  # kept either way


def test_no_javascript_text_arrives_with_the_line_ends_of_the_page_script(make_app, store_url, office_key):
    client = make_app().test_client()
    code = receipt.new_code()
    client.post(
        "/api/v1/submissions/form",
        data={"category": "waste", "description": "Dòng một\r\nDòng hai\rDòng ba", "consent": "yes"},
    )
    client.post("/api/v1/followups/form", data={"code": code, "message": "Một\r\nHai"})
    store = open_store(store_url)
    identities = envelope.load_identities(office_key[0], lambda: "")
    texts = []
    for info in store.list("inbox/"):
        plaintext = envelope.decrypt(store.get(info.key), identities)
        document = report.parse(plaintext, accept=(report.SCHEMA_ID, report.FOLLOWUP_ID))
        texts.append(document.get("description") or document["message"])
    assert sorted(texts) == ["Dòng một\nDòng hai\nDòng ba", "Một\nHai"]
