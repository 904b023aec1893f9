"""Limits per client that keep no address (intake_function/clients.py).

One client that floods the no-JavaScript form or the check is refused, and only that client: the
others go on being served, and the store-wide budget, a last resort, is not spent by the flood.
The client is found from the connection, from a trusted proxy's X-Forwarded-For, or on Lambda from
CloudFront's viewer address when CloudFront proves itself, and it is known only by a pseudonym under
a key that changes every hour.
"""

from __future__ import annotations

import json

import pytest

from intake_function import clients, receipt
from intake_function.errors import ApiError
from intake_function.store import open_store
from tests.conftest import TEST_SECRET, make_config
from tests.test_malformed import _event, load_handler

API = "/api/v1"
FORM = {"category": "waste", "description": "Có lãng phí ở công trình X", "consent": "yes"}


def from_address(address: str, **extra) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}, **extra}


def test_one_client_is_refused_the_others_are_served_and_the_store_budget_is_untouched(store_url, office_key):
    from intake_function import create_app

    config = make_config(
        store_url, [office_key[1]], INTAKE_CLIENT_FORM_LIMIT="6", INTAKE_CLIENT_CHECK_LIMIT="9", INTAKE_FORM_BUDGET="60"
    )
    client = create_app(config).test_client()
    store = open_store(store_url)
    flooder = from_address("203.0.113.5")
    posted = [client.post(f"{API}/submissions/form", data=FORM, **flooder).status_code for _ in range(6)]
    assert posted == [201, 201, 429, 429, 429, 429]  # a burst of two (6 an hour), then refused
    refused = client.post(f"{API}/followups/form", data={"code": receipt.new_code(), "message": "x"}, **flooder)
    assert refused.status_code == 429 and refused.json["error"] == "slow_down"
    assert 0 < int(refused.headers["Retry-After"]) <= 600 and "phút" in refused.json["message"]
    page = client.post(f"{API}/submissions/form", data=FORM, headers={"Accept": "text/html"}, **flooder)
    assert page.status_code == 429 and "nhiều yêu cầu" in page.data.decode()
    english = client.post(f"{API}/submissions/form?language=en", data=FORM, headers={"Accept": "text/html"}, **flooder)
    assert "Many requests have come from your network address" in english.data.decode()
    # Refused before its body was read: the store holds two reports and two budget slots, no more.
    assert len(list(store.list("inbox/"))) == 2
    assert len([i for i in store.list("pow/") if i.key.startswith("pow/budget-form-")]) == 2
    # Everyone else is served; and a neighbour in the same IPv6 /64 counts as the same network.
    for address in ("198.51.100.7", "2001:db8:1:2::10", "192.0.2.1"):
        assert client.post(f"{API}/submissions/form", data=FORM, **from_address(address)).status_code == 201
    assert client.post(f"{API}/submissions/form", data=FORM, **from_address("2001:db8:1:2::11")).status_code == 201
    assert client.post(f"{API}/submissions/form", data=FORM, **from_address("2001:db8:1:2::12")).status_code == 429
    assert client.post(f"{API}/submissions/form", data=FORM, **from_address("2001:db8:1:3::1")).status_code == 201
    # Checks have their own limit, spent only by well-formed requests.
    checker = from_address("203.0.113.9")
    for _ in range(5):
        assert client.post(f"{API}/replies", json={"lookup_id": "x"}, **checker).status_code == 400
    answers = [client.post(f"{API}/replies", json={"lookup_id": "a" * 32}, **checker).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    slip = client.post(f"{API}/replies/check", data={"code": receipt.new_code()}, **checker)
    assert slip.status_code == 429 and slip.json["error"] == "slow_down"
    assert client.post(f"{API}/replies/check", data={"code": receipt.new_code()}, **flooder).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(store_url, office_key):
    from intake_function import create_app

    config = make_config(store_url, [office_key[1]], INTAKE_CLIENT_CHECK_LIMIT="3", INTAKE_TRUSTED_PROXIES="127.0.0.1")
    client = create_app(config).test_client()

    def check(forwarded: str | None, peer: str = "127.0.0.1") -> int:
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        return client.post(
            f"{API}/replies", json={"lookup_id": "a" * 32}, headers=headers, **from_address(peer)
        ).status_code

    assert check("198.51.100.1") == 200
    assert check("198.51.100.1") == 429  # one check at once (3 an hour)
    assert check("198.51.100.2") == 200  # another citizen behind the same proxy
    # A client's own X-Forwarded-For, passed on by the proxy, cannot make it someone else.
    assert check("192.0.2.50, 198.51.100.1") == 429
    # Not from the proxy: the header is the client's own words and is ignored.
    assert check("198.51.100.3", peer="203.0.113.1") == 200
    assert check("198.51.100.4", peer="203.0.113.1") == 429


def test_addresses_are_found_only_where_a_proxy_vouches_for_them():
    trusted = clients.parse_networks("127.0.0.1, 10.0.0.0/8")
    assert clients.address_behind("203.0.113.1", "198.51.100.1", trusted) == "203.0.113.1"
    assert clients.address_behind("127.0.0.1", "198.51.100.1", trusted) == "198.51.100.1"
    assert clients.address_behind("127.0.0.1", "198.51.100.1, 10.1.2.3", trusted) == "198.51.100.1"
    assert clients.address_behind("127.0.0.1", "not-an-address", trusted) == "127.0.0.1"
    assert clients.address_behind("127.0.0.1", None, trusted) == "127.0.0.1"
    with pytest.raises(ValueError, match="not an IP"):
        clients.parse_networks("127.0.0.1, localhost")
    edge = "e" * 40
    through = {"x-intake-edge": edge, "cloudfront-viewer-address": "2001:db8::7:46532"}
    assert clients.address_at_edge("130.176.0.1", through, edge) == "2001:db8::7"
    assert clients.address_at_edge(
        "130.176.0.1", {**through, "cloudfront-viewer-address": "198.51.100.7:443"}, edge
    ) == ("198.51.100.7")
    # Without CloudFront's proof (a direct call to API Gateway), the connection's address counts.
    assert clients.address_at_edge("203.0.113.8", {**through, "x-intake-edge": "guess"}, edge) == "203.0.113.8"
    assert clients.address_at_edge("203.0.113.8", through, "") == "203.0.113.8"


def test_pseudonyms_change_every_hour_and_take_the_buckets_with_them():
    now = [1000.0]
    limits = clients.Clients([clients.Limit("form", 3)], clock=lambda: now[0])
    first = limits.pseudonym("198.51.100.1")
    assert first == limits.pseudonym("198.51.100.1") != limits.pseudonym("198.51.100.2")
    assert "198.51.100.1" not in first and len(first) == 32
    limits.take("form", first)
    with pytest.raises(ApiError) as refused:
        limits.take("form", first)
    assert refused.value.status == 429 and refused.value.retry_after == 1200
    now[0] += clients.KEY_LIFETIME
    second = limits.pseudonym("198.51.100.1")
    assert second != first  # a new key: nothing links this hour's name to the last one's
    limits.take("form", second)  # and the buckets went with the old key


def test_memory_stays_bounded_against_many_addresses(monkeypatch):
    monkeypatch.setattr(clients, "MAX_CLIENTS", 100)
    limit = clients.Limit("check", 3)
    for n in range(1000):
        assert limit.take(f"client-{n}", 0.0) == 0 or n >= 100
    assert len(limit._buckets) <= 101  # the newest share one bucket rather than grow the table
    # Buckets that have filled up again are forgotten first.
    assert limit.take("late-client", 10_000.0) == 0 and "late-client" in limit._buckets


def test_on_lambda_the_app_gets_a_pseudonym_and_cloudfront_is_believed_only_with_its_secret(tmp_path, office_key):
    edge = "s" * 40
    module = load_handler(
        {
            "INTAKE_STORE": (tmp_path / "s").as_uri(),
            "INTAKE_RECIPIENTS": office_key[1],
            "INTAKE_SECRET": TEST_SECRET,
            "INTAKE_EDGE_SECRET": edge,
            "INTAKE_CLIENT_CHECK_LIMIT": "3",
        }
    )

    def check(headers: dict, source: str = "130.176.0.1") -> int:
        event = _event("POST", f"{API}/replies", json.dumps({"lookup_id": "a" * 32}).encode(), headers)
        event["requestContext"]["http"]["sourceIp"] = source
        anonymised = module.anonymise_event(event)
        assert anonymised["requestContext"]["http"]["sourceIp"] == "0.0.0.0"  # noqa: S104
        assert source not in json.dumps(anonymised) and "198.51.100" not in json.dumps(anonymised)
        return module.handler(event, None)["statusCode"]

    json_type = {"Content-Type": "application/json"}
    viewer = {**json_type, "X-Intake-Edge": edge, "CloudFront-Viewer-Address": "198.51.100.1:5000"}
    assert check(viewer) == 200
    assert check(viewer) == 429
    assert check({**viewer, "CloudFront-Viewer-Address": "198.51.100.2:5000"}) == 200  # another viewer, same edge
    forged = {**json_type, "X-Intake-Edge": "forged" * 8, "CloudFront-Viewer-Address": "198.51.100.3:1"}
    assert check(forged, source="203.0.113.4") == 200
    assert check({**forged, "CloudFront-Viewer-Address": "198.51.100.4:1"}, source="203.0.113.4") == 429


def test_a_receipt_reloaded_spends_nothing_of_the_clients_limit(make_app):
    """A reload of the no-JavaScript receipt re-posts the same body: the same receipt (resubmit), and
    none of the client's posts spent, so the citizen's next report is still taken."""
    from tests.test_pages import _multipart

    client = make_app(INTAKE_CLIENT_FORM_LIMIT="6").test_client()  # two at once
    body, kind = _multipart(FORM, "----WebKitFormBoundaryQ3zX9kLm2pR7vT1w")
    first = client.post(f"{API}/submissions/form", data=body, content_type=kind)
    again = client.post(f"{API}/submissions/form", data=body, content_type=kind)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["receipt_code"] == again.json["receipt_code"]
    other, other_kind = _multipart(FORM, "----WebKitFormBoundaryZ9yX8wV7uT6sR5qP")
    assert client.post(f"{API}/submissions/form", data=other, content_type=other_kind).status_code == 201
    assert client.post(f"{API}/submissions/form", data=FORM).status_code == 429  # two spent, not three
