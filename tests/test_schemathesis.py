"""schemathesis drives the live function from ``openapi.yaml``: no server error, no answer the document
does not describe.

The real server (``python -m intake_function``: waitress, the function, a folder store or the S3
endpoint of moto's server) gets the requests schemathesis writes from the document, valid and
invalid, in its coverage and fuzzing phases. The checks are those about the answers: not a 5xx
(other than the documented 503s), a status, content type, headers and body that the document
lists for the operation, an Allow header that names exactly the documented methods, and
invalid data refused. (positive_data_acceptance is left out: a request the document calls valid
still needs a solved proof-of-work, which a generator cannot make.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.conftest import ROOT, TEST_SECRET, new_bucket
from tests.infra.servers import free_port, running, venv_tool

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["file", "s3"])
def test_the_live_function_conforms_to_its_document(kind, tmp_path, office_key, request):
    if kind == "file":
        store_url = (tmp_path / "store").as_uri()
    else:
        store_url = f"s3://{new_bucket(request.getfixturevalue('moto_endpoint'))}/portal"
    port = free_port()
    env = {
        "PORT": str(port),
        "INTAKE_STORE": store_url,
        "INTAKE_RECIPIENTS": office_key[1],
        "INTAKE_SECRET": TEST_SECRET,
        "INTAKE_POW_MAX": "5",
        "INTAKE_POW_COST": "10",
    }
    junit = tmp_path / "schemathesis.xml"
    with running([sys.executable, "-m", "intake_function"], env, port) as base:
        result = subprocess.run(
            [
                str(venv_tool("schemathesis")),
                "run",
                str(ROOT / "intake_function" / "openapi.yaml"),
                "--url",
                f"{base}/api/v1",
                "--checks",
                ",".join(CHECKS),
                "--phases",
                "coverage,fuzzing",
                "--max-examples",
                "40",
                "--seed",
                "20261130",
                "--generation-deterministic",
                "--report",
                "junit",
                "--report-junit-path",
                str(junit),
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=540,
            env={"SCHEMATHESIS_HOOKS": "", "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"},
        )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    suites = ElementTree.parse(junit).getroot()  # noqa: S314 (the report schemathesis just wrote)
    cases = suites.findall(".//testcase")
    assert len(cases) == 13  # every operation of the document was exercised
    assert not suites.findall(".//failure") and not suites.findall(".//error")
    assert "generated" in result.stdout
