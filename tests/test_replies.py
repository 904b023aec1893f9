"""The reporter's follow-up on the function: answers by lookup id, the no-JavaScript check, follow-ups."""

from __future__ import annotations

import base64
import json
import time

import pytest

from intake_function import envelope, objects, receipt, report
from intake_function.codes import new_object_id
from intake_function.store import open_store
from tests.conftest import pow_header


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
    found = client.get(f"/api/v1/replies/{lookup}", headers=pow_header(client)).json["replies"]
    assert len(found) == 2
    identity = envelope.parse_identities(receipt.derive(code).reply_identity)
    texts = [json.loads(envelope.decrypt(base64.b64decode(r["envelope"]), identity)) for r in found]
    assert [t["status"] for t in texts] == ["received", "handling"]

    never = receipt.derive(receipt.new_code()).lookup_id
    unknown = client.get(f"/api/v1/replies/{never}", headers=pow_header(client))
    empty_shape = client.get(f"/api/v1/replies/{'f' * 32}", headers=pow_header(client))
    assert unknown.status_code == empty_shape.status_code == 200
    assert unknown.data == empty_shape.data == b'{"replies":[]}\n'
    assert lookup not in intake_log.getvalue() and never not in intake_log.getvalue()
    assert "/api/v1/replies/<lookup:lookup_id>" in intake_log.getvalue()


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
    at all for a malformed id, which is refused before its proof-of-work is spent."""
    from intake_function import create_app
    from tests.conftest import make_config

    inner = open_store(store_url)
    code = receipt.new_code()
    for n in range(5):
        put_reply(inner, code, "handling", f"Tin nhắn {n}")
    store = CountingStore(inner)
    client = create_app(make_config(store_url, [office_key[1]]), store=store).test_client()
    calls = {}
    for name, lookup in {"full": receipt.derive(code).lookup_id, "unknown": "0123456789abcdef" * 2}.items():
        header = pow_header(client)
        store.calls.clear()
        assert client.get(f"/api/v1/replies/{lookup}", headers=header).status_code == 200
        calls[name] = list(store.calls)
    assert calls["unknown"] == ["create", "list"]
    assert calls["full"] == ["create", "list"] + ["get"] * 5
    header = pow_header(client)
    store.calls.clear()
    for malformed in ("xyz", "0123456789abcdef" * 2 + "%0a", "0123456789ABCDEF" * 2):
        refused = client.get(f"/api/v1/replies/{malformed}", headers=header)
        assert refused.status_code == 400 and refused.json["error"] == "invalid_lookup_id"
    assert store.calls == []
    assert client.get(f"/api/v1/replies/{'a' * 32}", headers=header).status_code == 200  # still unspent


def test_replies_need_a_fresh_proof_of_work(make_app):
    client = make_app().test_client()
    assert client.get(f"/api/v1/replies/{'a' * 32}").json["error"] == "pow_required"
    header = pow_header(client)
    assert client.get(f"/api/v1/replies/{'a' * 32}", headers=header).status_code == 200
    again = client.get(f"/api/v1/replies/{'b' * 32}", headers=header)
    assert again.status_code == 429 and again.json["error"] == "pow_reused"


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
    assert wrong.status_code == 400 and "nhóm ký tự thứ 4" in wrong.data.decode()
    never = client.post("/api/v1/replies/check", data={"code": receipt.new_code()}, headers={"Accept": "text/html"})
    assert never.status_code == 200 and "Chưa có thông tin nào" in never.data.decode()
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
    assert document["message"] == "Sự việc xảy ra vào sáng thứ Hai."
    bad = client.post("/api/v1/followups/form", data={"code": "nope", "message": "x"})
    assert bad.status_code == 400 and bad.json["error"] == "invalid_code"


@pytest.mark.parametrize("status", ["forwarded", "not_accepted"])
def test_reply_schema_requires_authority_or_reason(status):
    with pytest.raises(report.ReportError):
        report.validate({"schema": "reply/1", "status": status, "at": "2026-11-26T00:00:00Z"}, accept=("reply/1",))
