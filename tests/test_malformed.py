"""Hundreds of malformed requests: each gets a 4xx JSON error and nothing is written.

The same requests go through the Flask app and through the Lambda handler (as
API Gateway HTTP API v2 events), which must answer them the same way.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import random
import subprocess

import pytest
from urllib3 import encode_multipart_formdata

from intake_function import envelope, report
from intake_function.store import open_store
from tests.conftest import TEST_SECRET, age_encrypt

MAX_BYTES = 64 * 1024
SUBMIT = "/api/v1/submissions"
FORM = "/api/v1/submissions/form"


def _multipart(fields) -> tuple[bytes, dict[str, str]]:
    body, content_type = encode_multipart_formdata(fields)
    return body, {"Content-Type": content_type}


def _form(**fields) -> tuple[bytes, dict[str, str]]:
    base = {"category": "waste", "description": "Có dấu hiệu lãng phí", "consent": "yes"}
    merged = {k: v for k, v in {**base, **fields}.items() if v is not None}
    return _multipart(merged)


def malformed_requests(recipient: str) -> list[tuple[str, str, str, bytes, dict[str, str]]]:
    """(name, method, path, body, headers) for every malformed request."""
    rng = random.Random(20261126)
    octet = {"Content-Type": "application/octet-stream"}
    good = age_encrypt(report.padded({"schema": "report/1", "category": "waste", "description": "x"}), recipient)
    header_size = envelope.parse_header(good).size
    cases: list[tuple[str, str, str, bytes, dict[str, str]]] = []

    for n in range(60):
        cases.append((f"random-{n}", "POST", SUBMIT, rng.randbytes(rng.randint(1, 5000)), octet))
    for n in range(10):
        junk = envelope.MAGIC + rng.randbytes(rng.randint(0, 300))
        cases.append((f"magic-then-junk-{n}", "POST", SUBMIT, junk, octet))
    for cut in range(1, header_size, max(1, header_size // 40)):
        cases.append((f"truncated-header-{cut}", "POST", SUBMIT, good[:cut], octet))
    for n, cut in enumerate((header_size, header_size + 5, header_size + 16, header_size + 31)):
        cases.append((f"truncated-payload-{n}", "POST", SUBMIT, good[:cut], octet))
    armored = subprocess.run(["age", "-a", "-r", recipient], input=b"x", capture_output=True, check=True).stdout
    cases.append(("armored", "POST", SUBMIT, armored, octet))
    cases.append(("armored-with-space", "POST", SUBMIT, b"\n  " + armored, octet))
    cases.append(("passphrase", "POST", SUBMIT, envelope.protect_with_passphrase("x", "a passphrase"), octet))
    cases.append(("plain-json", "POST", SUBMIT, b'{"schema":"report/1"}', octet))
    for n in range(3):
        cases.append((f"empty-{n}", "POST", SUBMIT, b"", octet))
    cases.append(("oversize", "POST", SUBMIT, good + rng.randbytes(MAX_BYTES), octet))
    cases.append(("oversize-junk", "POST", SUBMIT, rng.randbytes(MAX_BYTES + 1), octet))
    for n, ctype in enumerate(
        [
            "text/plain",
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/age",
            "image/png",
            "text/html",
            "application/octet-stream-x",
            "",
        ]
    ):
        headers = {"Content-Type": ctype} if ctype else {}
        cases.append((f"content-type-{n}", "POST", SUBMIT, good, headers))
    for n, path in enumerate(
        [
            "/api/v1/submissions/../health",
            "/api/v1//submissions",
            "/api/v1/submissions%2F..%2Fhealth",
            "/api/v1/submissions/",
            "/api/v1/submissions/x",
            "/api/v1/%2e%2e/%2e%2e/etc/passwd",
            "/api/v2/submissions",
            "/api/v1/inbox/01M8BG1A7X7HH4C5VDY5ZG7E7H.age",
            "/api/v1/submissions/form/../../x",
            "/../../etc/passwd",
            "/api/v1/submissions%00",
            "/api/v1/SUBMISSIONS",
        ]
    ):
        cases.append((f"path-{n}", "POST", path, good, octet))
    for method in ("GET", "PUT", "DELETE", "PATCH"):
        cases.append((f"method-{method}", method, SUBMIT, good, octet))
        cases.append((f"form-method-{method}", method, FORM, b"", {}))
    cases.append(("health-post", "POST", "/api/v1/health", b"", {}))

    # The no-JavaScript form.
    form_cases = {
        "no-consent": _form(consent=None),
        "consent-wrong": _form(consent="no"),
        "no-category": _form(category=None),
        "bad-category": _form(category="bribery"),
        "category-sql": _form(category="waste' OR 1=1 --"),
        "no-description": _form(description=None),
        "blank-description": _form(description="   \n "),
        "huge-description": _form(description="ả" * 20_001),
        "huge-place": _form(place="x" * 501),
        "huge-occurred": _form(occurred="x" * 201),
        "huge-persons": _form(persons_involved="x" * 2001),
        "huge-name": _form(**{"reporter.name": "x" * 201}),
        "huge-address": _form(**{"reporter.address": "x" * 501}),
        "bad-email": _form(**{"reporter.email": "khong-phai-email"}),
        "bad-phone": _form(**{"reporter.phone": "gọi cho tôi"}),
        "bad-contact": _form(**{"reporter.contact": "pigeon", "reporter.name": "A"}),
        "bad-language": _form(language="fr"),
        "too-many-files": _multipart(
            [("category", "waste"), ("description", "x"), ("consent", "yes")]
            + [("attachments", (f"f{i}.txt", b"x", "text/plain")) for i in range(21)]
        ),
        "field-over-memory": _form(description="x" * (MAX_BYTES + 10)),
        "file-over-limit": _multipart(
            [
                ("category", "waste"),
                ("description", "x"),
                ("consent", "yes"),
                ("attachments", ("big.bin", rng.randbytes(MAX_BYTES + 10), "application/octet-stream")),
            ]
        ),
        "nul-in-category": _form(category="waste\x00"),
        "script-category": _form(category="<script>alert(1)</script>"),
    }
    for name, (body, headers) in form_cases.items():
        cases.append((f"form-{name}", "POST", FORM, body, headers))
    for n in range(20):
        body, headers = _form(description=None, category=None, **{f"reporter.{rng.choice(['email', 'phone'])}": "?!"})
        cases.append((f"form-combined-{n}", "POST", FORM, body, headers))
    for n, ctype in enumerate(["application/json", "text/plain", "application/octet-stream", ""]):
        cases.append((f"form-content-type-{n}", "POST", FORM, b'{"category":"waste"}', {"Content-Type": ctype}))
    cases.append(("form-broken-multipart", "POST", FORM, b"--x\r\nnonsense", {"Content-Type": "multipart/form-data"}))
    cases.append(
        (
            "form-no-boundary-end",
            "POST",
            FORM,
            b'--b\r\nContent-Disposition: form-data; name="category"\r\n\r\nwaste',
            {"Content-Type": "multipart/form-data; boundary=b"},
        )
    )
    for n in range(10):
        body = rng.randbytes(rng.randint(1, 3000))
        cases.append((f"form-random-{n}", "POST", FORM, body, {"Content-Type": "multipart/form-data; boundary=zz"}))
    return cases


def _check(name: str, status: int, body: bytes, content_type: str) -> None:
    assert 400 <= status < 500, f"{name}: status {status}"
    assert content_type.startswith("application/json"), f"{name}: {content_type}"
    parsed = json.loads(body)
    assert parsed["error"] and parsed["message"], name


@pytest.fixture
def malformed(office_key):
    cases = malformed_requests(office_key[1])
    assert len(cases) >= 200
    return cases


def test_app_refuses_every_malformed_request_and_writes_nothing(make_app, store_url, malformed):
    client = make_app(INTAKE_MAX_BYTES=str(MAX_BYTES)).test_client()
    for name, method, path, body, headers in malformed:
        response = client.open(path, method=method, data=body, headers=headers)
        _check(name, response.status_code, response.data, response.content_type)
    assert list(open_store(store_url).list("")) == []


def _event(method: str, path: str, body: bytes, headers: dict[str, str]) -> dict:
    ip = "203.0.113.9"
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            **{k.lower(): v for k, v in headers.items()},
            "user-agent": "Mozilla/5.0 (Marker)",
            "x-forwarded-for": ip,
            "x-forwarded-proto": "https",
            "host": "abc.execute-api.ap-southeast-1.amazonaws.com",
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc",
            "domainName": "abc.execute-api.ap-southeast-1.amazonaws.com",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": ip,
                "userAgent": "Mozilla/5.0 (Marker)",
            },
            "requestId": "req",
            "routeKey": "$default",
            "stage": "$default",
            "time": "26/Nov/2026:08:00:00 +0000",
            "timeEpoch": 1795680000000,
        },
        "body": base64.b64encode(body).decode(),
        "isBase64Encoded": True,
    }


def load_handler(env: dict[str, str]):
    """Import the Lambda handler afresh under this environment, as a cold start would."""
    env = {"INTAKE_SECRET": TEST_SECRET, "INTAKE_POW_MAX": "5", "INTAKE_POW_COST": "10", **env}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        import intake_function.lambda_handler as module

        return importlib.reload(module)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_lambda_handler_answers_the_same_way(store_url, office_key, malformed, make_app):
    module = load_handler(
        {"INTAKE_STORE": store_url, "INTAKE_RECIPIENTS": office_key[1], "INTAKE_MAX_BYTES": str(MAX_BYTES)}
    )
    client = make_app(INTAKE_MAX_BYTES=str(MAX_BYTES)).test_client()
    for name, method, path, body, headers in malformed:
        result = module.handler(_event(method, path, body, headers), None)
        raw = base64.b64decode(result["body"]) if result.get("isBase64Encoded") else result["body"].encode()
        headers_out = {k.lower(): v for k, v in result["headers"].items()}
        _check(name, result["statusCode"], raw, headers_out["content-type"])
        direct = client.open(path, method=method, data=body, headers=headers)
        assert result["statusCode"] == direct.status_code, name
        assert json.loads(raw)["error"] == direct.json["error"], name
    assert list(open_store(store_url).list("")) == []
