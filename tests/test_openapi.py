"""The OpenAPI document describes the app: same routes, and real responses validate against it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.test import EnvironBuilder

from intake_function import report
from tests.conftest import age_encrypt, pow_header

SPEC_PATH = Path(__file__).resolve().parents[1] / "intake_function" / "openapi.yaml"


@pytest.fixture(scope="module")
def spec() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH))


def test_every_route_is_documented_and_every_documented_path_exists(make_app):
    app = make_app()
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1")), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    document = yaml.safe_load(SPEC_PATH.read_text())
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == documented


def test_the_document_asks_for_no_more_files_than_a_report_may_attach():
    document = yaml.safe_load(SPEC_PATH.read_text())
    files = document["paths"]["/uploads"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert files["properties"]["files"]["maxItems"] == report.max_attachments()


def test_real_responses_match_the_document(make_app, office_key, spec):
    client = make_app().test_client()
    sealed = age_encrypt(report.padded({"schema": "report/1", "category": "other", "description": "x"}), office_key[1])
    responses = [
        client.get("/api/v1/health"),
        client.post(
            "/api/v1/submissions", data=sealed, content_type="application/octet-stream", headers=pow_header(client)
        ),
        client.post("/api/v1/submissions", data=b"junk", content_type="application/octet-stream"),
        client.post("/api/v1/submissions", data=sealed, content_type="text/plain"),
        client.post(
            "/api/v1/submissions/form",
            data={
                "category": "waste",
                "description": "Có lãng phí",
                "consent": "yes",
                "attachments": [(io.BytesIO(b"x"), "a.txt", "text/plain")],
            },
        ),
        client.post("/api/v1/submissions/form", data={"category": "waste"}),
    ]
    responses += [
        client.get("/api/v1/challenge"),
        client.post("/api/v1/uploads", json={"files": [{"size": 500}]}, headers=pow_header(client)),
        client.post("/api/v1/replies", json={"lookup_id": "a" * 32}),
        client.post("/api/v1/replies/check", data={"code": "QTA99-J7HJR-XBVMX-DAWSM"}),
        client.post("/api/v1/followups/form", data={"code": "QTA99-J7HJR-XBVMX-DAWSM", "message": "Bổ sung"}),
    ]
    slot = responses[-4].json["slots"][0]
    if slot["method"] == "PUT":
        responses.append(
            client.put(
                slot["url"], data=age_encrypt(b"x" * 200, office_key[1])[:500], content_type="application/octet-stream"
            )
        )
    responses.append(client.get(f"/api/v1/replies/{'a' * 32}"))  # a page from before: told to reload
    assert [r.status_code for r in responses][:11] == [200, 201, 400, 415, 201, 400, 200, 201, 200, 200, 201]
    assert responses[-1].status_code == 410
    for response in responses:
        # The app consumed the request body; response validation needs only its method and path.
        sent = response.request
        request = EnvironBuilder(path=sent.path, method=sent.method, content_type=sent.content_type).get_request()
        spec.validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))
