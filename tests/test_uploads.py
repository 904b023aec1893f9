"""Proof-of-work, upload slots and tickets, on both stores; the Office checks what S3 cannot."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time

import pytest
import requests

from intake_function import envelope, objects, proof, report
from intake_function.store import open_store
from tests.conftest import TEST_SECRET, age_encrypt, pow_header, run_office, solve


def encrypted(recipient: str, data: bytes) -> bytes:
    return age_encrypt(data, recipient)


def upload(slot: dict, body: bytes, client=None):
    """Put one envelope into its slot, the way the page does."""
    if slot["method"] == "POST":  # S3 presigned POST, straight to the (moto) endpoint
        response = requests.post(slot["url"], data=slot["fields"], files={"file": ("blob", body)}, timeout=30)
        assert response.status_code in (200, 201, 204), response.text
        return response
    response = client.put(slot["url"], data=body, headers=slot["headers"])
    assert response.status_code in (200, 201), response.json
    return response


def submit_with_files(client, recipient: str, files: list[bytes], **fields) -> tuple[dict, bytes]:
    sealed = [encrypted(recipient, data) for data in files]
    granted = client.post(
        "/api/v1/uploads", json={"files": [{"size": len(s)} for s in sealed]}, headers=pow_header(client)
    )
    assert granted.status_code == 201, granted.json
    references = []
    for n, (slot, body, data) in enumerate(zip(granted.json["slots"], sealed, files, strict=True)):
        upload(slot, body, client)
        references.append(
            {
                "key": slot["key"],
                "name": f"tệp-{n}.bin",
                "type": "application/octet-stream",
                "size": len(data),
                "sha256": hashlib.sha256(body).hexdigest(),
            }
        )
    document = {
        "schema": "report/1",
        "category": "waste",
        "description": "Kèm tệp",
        "attachments": references,
        **fields,
    }
    plaintext = report.padded(document)
    response = client.post(
        "/api/v1/submissions",
        data=encrypted(recipient, plaintext),
        content_type="application/octet-stream",
        headers={"X-Upload-Ticket": granted.json["ticket"]},
    )
    assert response.status_code == 201, response.json
    return granted.json, plaintext


def test_report_with_files_arrives_whole(make_app, store_url, office_key, tmp_path):
    client = make_app().test_client()
    files = [os.urandom(300_000), "Biên bản".encode()]
    _, plaintext = submit_with_files(client, office_key[1], files)
    env = {"OFFICE_STORE": store_url, "OFFICE_IDENTITY": str(office_key[0]), "OFFICE_DATA": str(tmp_path / "d")}
    assert run_office("pull", "--init", "--recipients", office_key[1], env=env).returncode == 0
    (case,) = json.loads(run_office("list", "--format", "json", env=env).stdout)
    assert run_office("show", case["number"], "--format", "json", env=env).stdout == plaintext
    assert run_office("extract", case["number"], "--out", str(tmp_path / "x"), env=env).returncode == 0
    assert sorted(p.read_bytes() for p in (tmp_path / "x").iterdir()) == sorted(files)


def test_replayed_proof_of_work_is_refused_clearly(make_app, office_key):
    client = make_app().test_client()
    header = pow_header(client)
    first = encrypted(office_key[1], b"mot")
    ok = client.post("/api/v1/submissions", data=first, content_type="application/octet-stream", headers=header)
    assert ok.status_code == 201
    again = client.post("/api/v1/submissions", data=first, content_type="application/octet-stream", headers=header)
    assert again.status_code == 201 and again.json["id"] == ok.json["id"]  # a retry: same answer, one report
    other = encrypted(office_key[1], b"hai")
    refused = client.post("/api/v1/submissions", data=other, content_type="application/octet-stream", headers=header)
    assert refused.status_code == 429
    assert refused.json["error"] == "pow_reused" and "đã được dùng" in refused.json["message"]


def test_expired_missing_and_forged_proofs_are_refused(make_app, office_key):
    client = make_app().test_client()
    body = encrypted(office_key[1], b"x")
    expired = proof.new_challenge(TEST_SECRET.encode(), 10, 5, ttl=-5)
    response = client.post(
        "/api/v1/submissions", data=body, content_type="application/octet-stream", headers={"X-Altcha": solve(expired)}
    )
    assert response.status_code == 400 and response.json["error"] == "pow_expired"
    assert "hết hạn" in response.json["message"]
    missing = client.post("/api/v1/submissions", data=body, content_type="application/octet-stream")
    assert missing.status_code == 400 and missing.json["error"] == "pow_required"
    forged = proof.new_challenge(b"another-secret-another-secret-xx", 10, 5, ttl=60)
    response = client.post(
        "/api/v1/submissions", data=body, content_type="application/octet-stream", headers={"X-Altcha": solve(forged)}
    )
    assert response.status_code == 400 and response.json["error"] == "pow_invalid"


def test_s3_slots_are_presigned_posts_with_a_tight_policy(moto_endpoint, office_key):
    from intake_function import create_app
    from tests.conftest import make_config, new_bucket

    bucket = new_bucket(moto_endpoint)
    client = create_app(make_config(f"s3://{bucket}/p", [office_key[1]], INTAKE_UPLOAD_TTL="600")).test_client()
    started = time.time()
    granted = client.post(
        "/api/v1/uploads", json={"files": [{"size": 1234}, {"size": 99}]}, headers=pow_header(client)
    ).json
    for slot, size in zip(granted["slots"], (1234, 99), strict=True):
        assert slot["method"] == "POST" and slot["url"].startswith(moto_endpoint)
        policy = json.loads(base64.b64decode(slot["fields"]["policy"]))
        expires = time.mktime(time.strptime(policy["expiration"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        assert started + 590 <= expires <= time.time() + 610
        conditions = policy["conditions"]
        assert ["content-length-range", size, size] in conditions
        assert {"key": f"p/{slot['key']}"} in conditions and {"bucket": bucket} in conditions
        assert {"Content-Type": "application/octet-stream"} in conditions
        assert {"x-amz-server-side-encryption": "AES256"} in conditions
        assert objects.ATTACHMENT_KEY_RE.match(slot["key"])
        assert slot["fields"]["x-amz-server-side-encryption"] == "AES256"
    # The function receives no file bytes on S3: its own upload route is absent.
    assert client.put("/api/v1/uploads/x", data=b"x", content_type="application/octet-stream").status_code == 404


def test_the_office_catches_what_an_unenforced_policy_lets_through(moto_endpoint, office_key, tmp_path):
    """moto ignores POST policies; a file of the wrong size or content still ends in quarantine."""
    from intake_function import create_app
    from tests.conftest import make_config, new_bucket

    url = f"s3://{new_bucket(moto_endpoint)}/p"
    client = create_app(make_config(url, [office_key[1]])).test_client()
    real = encrypted(office_key[1], b"bang chung")
    granted = client.post("/api/v1/uploads", json={"files": [{"size": len(real)}]}, headers=pow_header(client)).json
    (slot,) = granted["slots"]
    upload(slot, encrypted(office_key[1], b"something else entirely, and longer"))
    document = {
        "schema": "report/1",
        "category": "waste",
        "description": "x",
        "attachments": [
            {
                "key": slot["key"],
                "name": "a",
                "type": "text/plain",
                "size": 10,
                "sha256": hashlib.sha256(real).hexdigest(),
            }
        ],
    }
    response = client.post(
        "/api/v1/submissions",
        data=encrypted(office_key[1], report.padded(document)),
        content_type="application/octet-stream",
        headers={"X-Upload-Ticket": granted["ticket"]},
    )
    assert response.status_code == 201
    env = {"OFFICE_STORE": url, "OFFICE_IDENTITY": str(office_key[0]), "OFFICE_DATA": str(tmp_path / "d")}
    assert run_office("pull", "--init", "--recipients", office_key[1], env=env).returncode == 0
    assert "SHA-256" in run_office("quarantine", env=env).stdout.decode()
    assert any(info.key == slot["key"] for info in open_store(url).list("attachments/"))


def test_folder_slots_bound_and_check_what_they_receive(tmp_path, office_key):
    from intake_function import create_app
    from tests.conftest import make_config

    store_url = (tmp_path / "s").as_uri()
    client = create_app(make_config(store_url, [office_key[1]])).test_client()
    good = encrypted(office_key[1], os.urandom(70_000))
    junk = os.urandom(len(good))
    granted = client.post("/api/v1/uploads", json={"files": [{"size": len(good)}] * 2}, headers=pow_header(client)).json
    first, second = granted["slots"]
    put = lambda slot, body: client.put(slot["url"], data=body, headers={"Content-Type": "application/octet-stream"})  # noqa: E731
    assert put(first, junk).status_code == 400 and put(first, junk).json["error"] == "invalid_envelope"
    assert put(first, good[:-1]).json["error"] == "size_mismatch"
    assert put(first, good + b"x").json["error"] == "size_mismatch"
    assert put(first, good).status_code == 201
    assert put(first, good).status_code == 200  # a retry after success is harmless
    assert client.put(first["url"] + "x", data=good, content_type="application/octet-stream").json["error"] == (
        "token_invalid"
    )
    store = open_store(store_url)
    assert [i.key for i in store.list("attachments/")] == [first["key"]]
    assert store.get(first["key"]) == good
    assert list((tmp_path / "s" / ".tmp").iterdir()) == []
    assert second["key"] != first["key"]


@pytest.mark.parametrize(
    ("files", "error"),
    [
        ([], "too_many_files"),
        ([{"size": 10}] * 21, "too_many_files"),
        ([{"size": 0}], "bad_request"),
        ([{"size": "10"}], "bad_request"),
        ([{"size": 60 * 1024 * 1024}], "file_too_large"),
        ([{"size": 45 * 1024 * 1024}] * 5, "report_too_large"),
    ],
)
def test_slot_requests_out_of_bounds_are_refused(make_app, files, error):
    client = make_app().test_client()
    response = client.post("/api/v1/uploads", json={"files": files}, headers=pow_header(client))
    assert 400 <= response.status_code < 500 and response.json["error"] == error


def test_spent_markers_are_cleaned_after_a_day(tmp_path):
    store = open_store((tmp_path / "s").as_uri())
    store.create("pow/old", b"x" * 32)
    store.create("pow/new", b"y" * 32)
    past = time.time() - proof.MARKER_LIFETIME - 60
    os.utime(tmp_path / "s" / "pow" / "old", (past, past))
    assert proof.remove_old_markers(store) == 1
    assert [i.key for i in store.list("pow/")] == ["pow/new"]


def test_form_path_gives_a_receipt_code_it_does_not_keep(make_app, store_url, office_key, intake_log):
    from intake_function import receipt

    client = make_app().test_client()
    response = client.post(
        "/api/v1/submissions/form",
        data={"category": "waste", "description": "x", "consent": "yes"},
        headers={"Accept": "text/html"},
    )
    page = response.data.decode()
    written = page.split('id="receipt-code">')[1].split("</p>")[0]
    code = re.sub(r"<[^>]+>", "", written)  # its groups, each in its own element
    assert [len(group) for group in code.split("-")] == [6, 6, 6, 6]
    derived = receipt.derive(code)
    store = open_store(store_url)
    (inbox,) = list(store.list("inbox/"))
    identities = envelope.load_identities(office_key[0], lambda: "")
    document = json.loads(envelope.decrypt(store.get(inbox.key), identities))
    assert document["reply"] == {
        "recipient": derived.reply_recipient,
        "lookup_id": derived.lookup_id,
        "followup_commitment": derived.followup_commitment,  # what a follow-up's proof must match
    }
    everything = b"".join(store.get(i.key) for i in store.list(""))
    for secret in (code, code.replace("-", ""), derived.lookup_id):
        assert secret.encode() not in everything
        assert secret not in intake_log.getvalue()
