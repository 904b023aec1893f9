"""The Lambda handler with real-shaped API Gateway v2 events, against the moto S3 server."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

from apig_wsgi import make_lambda_handler
from flask import Flask, jsonify, request

from intake_function import objects, report
from intake_function.store import open_store
from tests.conftest import age_decrypt, age_encrypt, new_bucket, solve
from tests.test_malformed import _event, load_handler


def test_submission_through_lambda_reaches_s3(moto_endpoint, office_key):
    url = f"s3://{new_bucket(moto_endpoint)}/intake"
    module = load_handler({"INTAKE_STORE": url, "INTAKE_RECIPIENTS": office_key[1]})
    plaintext = report.padded({"schema": "report/1", "category": "negativity", "description": "Bao che vi phạm"})
    sealed = age_encrypt(plaintext, office_key[1])
    challenge = json.loads(module.handler(_event("GET", "/api/v1/challenge", b"", {}), None)["body"])
    headers = {"Content-Type": "application/octet-stream", "X-Altcha": solve(challenge)}
    result = module.handler(_event("POST", "/api/v1/submissions", sealed, headers), None)
    assert result["statusCode"] == 201
    object_id = json.loads(result["body"])["id"]
    stored = open_store(url).get(objects.inbox_key(object_id))
    assert stored == sealed
    assert age_decrypt(stored, office_key[0]) == plaintext

    health = module.handler(_event("GET", "/api/v1/health", b"", {}), None)
    assert health["statusCode"] == 200 and json.loads(health["body"])["status"] == "ok"


def test_form_through_lambda(moto_endpoint, office_key):
    from urllib3 import encode_multipart_formdata

    url = f"s3://{new_bucket(moto_endpoint)}/intake"
    module = load_handler({"INTAKE_STORE": url, "INTAKE_RECIPIENTS": office_key[1]})
    body, content_type = encode_multipart_formdata(
        {
            "category": "retaliation",
            "description": "Bị điều chuyển sau khi phản ánh",
            "consent": "yes",
            "attachments": ("ảnh.jpg", bytes(range(256)) * 40, "image/jpeg"),
        }
    )
    event = _event("POST", "/api/v1/submissions/form", body, {"Content-Type": content_type, "Accept": "text/html"})
    result = module.handler(event, None)
    assert result["statusCode"] == 201
    page = base64.b64decode(result["body"]).decode() if result.get("isBase64Encoded") else result["body"]
    assert "Phản ánh của Ông/Bà đã được gửi và lưu an toàn" in page
    store = open_store(url)
    (inbox,) = list(store.list(objects.INBOX))
    document = json.loads(age_decrypt(store.get(inbox.key), office_key[0]))
    assert age_decrypt(store.get(document["attachments"][0]["key"]), office_key[0]) == bytes(range(256)) * 40


def test_the_app_never_sees_an_address_or_user_agent(tmp_path, office_key, monkeypatch):
    """Run the real handler (event scrubbing + apig-wsgi) in front of a probe app."""
    module = load_handler({"INTAKE_STORE": (tmp_path / "s").as_uri(), "INTAKE_RECIPIENTS": office_key[1]})
    probe = Flask("probe")

    @probe.route("/api/v1/probe", methods=["POST"])
    def environ():
        seen = {k: str(v) for k, v in request.environ.items()}
        return jsonify(seen=seen, remote=request.remote_addr, access_route=request.access_route)

    monkeypatch.setattr(module, "_serve", make_lambda_handler(probe, binary_support=True))
    event = _event(
        "POST",
        "/api/v1/probe",
        b"{}",
        {
            "Content-Type": "application/json",
            "X-Real-IP": "198.51.100.7",
            "Forwarded": "for=198.51.100.8",
            "CF-Connecting-IP": "198.51.100.6",
        },
    )
    result = module.handler(event, None)
    body = json.loads(result["body"])
    assert body["remote"] == "0.0.0.0"  # noqa: S104 (an address string, not a bind)
    everything = json.dumps(body)
    for leak in ("203.0.113.9", "198.51.100.7", "198.51.100.8", "198.51.100.6", "Marker"):
        assert leak not in everything
    assert not any(k.startswith("HTTP_X_FORWARDED_FOR") or k == "HTTP_USER_AGENT" for k in body["seen"])


def test_importing_the_handler_with_a_folder_store_does_not_import_boto3(tmp_path, office_key):
    code = "import sys, intake_function.lambda_handler; assert 'boto3' not in sys.modules, 'boto3 imported'"
    env = {"INTAKE_STORE": (tmp_path / "s").as_uri(), "INTAKE_RECIPIENTS": office_key[1], "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_other_payload_versions_are_refused_clearly(tmp_path, office_key):
    module = load_handler({"INTAKE_STORE": (tmp_path / "s").as_uri(), "INTAKE_RECIPIENTS": office_key[1]})
    event = _event("GET", "/api/v1/health", b"", {})
    event["version"] = "1.0"
    try:
        module.handler(event, None)
    except ValueError as exc:
        assert "2.0" in str(exc)
    else:
        raise AssertionError("a v1 event was accepted")
