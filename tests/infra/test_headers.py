"""CloudFront sends the same security headers as the local server (intake_function/headers.py).

The response-headers policies are rendered the way CloudFront writes them, then compared with
``SECURITY_HEADERS`` + ``SITE_CSP`` (pages) and ``SECURITY_HEADERS`` + ``API_CSP`` (API). The only
allowed difference: the pages' ``connect-src`` also names the reports bucket, where the page
POSTs encrypted attachments; and that bucket address is the one boto3 really signs.
"""

from __future__ import annotations

import pytest

from intake_function.headers import API_CSP, SECURITY_HEADERS, SITE_CSP
from tests.infra import cfn


def rendered(policy: str) -> tuple[dict[str, str], set[bool]]:
    """The headers a response-headers policy adds, as CloudFront writes them, and its Override flags."""
    config = cfn.resolve(cfn.resource(policy)["Properties"]["ResponseHeadersPolicyConfig"])
    security = config["SecurityHeadersConfig"]
    headers: dict[str, str] = {}
    overrides = set()
    hsts = security.pop("StrictTransportSecurity")
    value = f"max-age={hsts['AccessControlMaxAgeSec']}"
    value += "; includeSubDomains" if hsts.get("IncludeSubdomains") else ""
    value += "; preload" if hsts.get("Preload") else ""
    headers["Strict-Transport-Security"] = value
    overrides.add(hsts["Override"])
    headers["X-Content-Type-Options"] = "nosniff"
    overrides.add(security.pop("ContentTypeOptions")["Override"])
    referrer = security.pop("ReferrerPolicy")
    headers["Referrer-Policy"] = referrer["ReferrerPolicy"]
    overrides.add(referrer["Override"])
    frame = security.pop("FrameOptions")
    headers["X-Frame-Options"] = frame["FrameOption"]
    overrides.add(frame["Override"])
    csp = security.pop("ContentSecurityPolicy")
    headers["Content-Security-Policy"] = " ".join(csp["ContentSecurityPolicy"].split())
    overrides.add(csp["Override"])
    assert security == {}, f"headers this test does not render: {sorted(security)}"
    for item in config.get("CustomHeadersConfig", {}).get("Items", []):
        headers[item["Header"]] = item["Value"]
        overrides.add(item["Override"])
    return headers, overrides


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} twice"
        parsed[name] = sources
    return parsed


BUCKET_ORIGINS = [
    f"https://{cfn.REPORTS_BUCKET}.s3.amazonaws.com",
    f"https://{cfn.REPORTS_BUCKET}.s3.{cfn.REGION}.amazonaws.com",
]


def test_pages_get_the_local_servers_headers_with_the_bucket_in_connect_src():
    headers, overrides = rendered("SiteHeadersPolicy")
    assert overrides == {True}  # the site's own files carry no headers of their own
    expected = {**SECURITY_HEADERS, "Content-Security-Policy": SITE_CSP}
    assert {k.lower() for k in headers} == {k.lower() for k in expected}
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    sent, local = directives(headers["Content-Security-Policy"]), directives(SITE_CSP)
    assert sent.keys() == local.keys()
    for name in local:
        if name == "connect-src":
            assert sent[name] == local[name] + BUCKET_ORIGINS
        else:
            assert sent[name] == local[name], name


def test_api_answers_get_the_same_headers_without_overriding_the_functions():
    headers, overrides = rendered("ApiHeadersPolicy")
    assert overrides == {False}
    assert headers == {**SECURITY_HEADERS, "Content-Security-Policy": API_CSP}


@pytest.mark.parametrize("region", [cfn.REGION, "us-east-1", "ap-southeast-7", "eu-central-1"])
def test_the_presigned_upload_url_is_one_the_csp_allows(region, monkeypatch):
    """What boto3 (the version the zip carries) signs inside Lambda, for this bucket and region."""
    import boto3
    from botocore.config import Config

    for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    client = boto3.client(
        "s3",
        region_name=region,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(signature_version="s3v4"),
    )
    url = client.generate_presigned_post(cfn.REPORTS_BUCKET, "attachments/x.age", ExpiresIn=60)["url"]
    origin = url.rstrip("/")
    allowed = [o.replace(cfn.REGION, region) for o in BUCKET_ORIGINS]
    assert origin in allowed, f"{origin} is not in connect-src {allowed}"
