"""The intake function end to end, on both stores, with the age CLI as the reference."""

from __future__ import annotations

import io
import json

import pytest

from intake_function import create_app, envelope, objects, report
from intake_function.store import open_store
from tests.conftest import age_decrypt, age_encrypt, all_objects, pow_header, run_office

REPORT = {
    "schema": "report/1",
    "category": "corruption",
    "description": "Cán bộ đòi tiền để giải quyết hồ sơ cấp phép xây dựng nhà xưởng.",
    "occurred": "tháng 10/2026",
    "place": "Khu kinh tế cửa khẩu Tịnh Biên",
    "language": "vi",
}


def post_envelope(client, body: bytes, **headers):
    """Post an envelope as the page does: with a freshly solved proof-of-work."""
    headers = {**pow_header(client), **headers}
    return client.post("/api/v1/submissions", data=body, content_type="application/octet-stream", headers=headers)


def test_age_cli_report_arrives_and_office_shows_it_byte_for_byte(make_app, store_url, office_key, tmp_path):
    plaintext = report.padded(REPORT)
    response = post_envelope(make_app().test_client(), age_encrypt(plaintext, office_key[1]))
    assert response.status_code == 201
    object_id = response.json["id"]
    assert objects.INBOX_KEY_RE.match(objects.inbox_key(object_id))
    assert response.json["received_at"].endswith("Z")

    env = {"OFFICE_STORE": store_url, "OFFICE_IDENTITY": str(office_key[0]), "OFFICE_DATA": str(tmp_path / "desk")}
    pulled = run_office("pull", "--init", "--recipients", office_key[1], env=env)
    assert pulled.returncode == 0, pulled.stderr.decode()
    shown = run_office("show", object_id, "--format", "json", env=env)
    assert shown.returncode == 0, shown.stderr.decode()
    assert shown.stdout == plaintext
    listed = json.loads(run_office("list", "--format", "json", env=env).stdout)
    assert [(c["category"], c["anonymous"], c["channel"]) for c in listed] == [("corruption", True, "online")]
    assert list(open_store(store_url).list(objects.INBOX)) == []


def test_form_report_decrypts_with_age_cli(make_app, store_url, office_key):
    client = make_app().test_client()
    response = client.post(
        "/api/v1/submissions/form",
        data={
            "category": "obstruction",
            "description": "Hồ sơ bị trả lại nhiều lần không rõ lý do.",
            "reporter.name": "Trần Thị Bình",
            "reporter.phone": "0912 345 678",
            "reporter.contact": "phone",
            "consent": "yes",
            "attachments": [(io.BytesIO("biên bản".encode()), "biên-bản.txt", "text/plain")],
        },
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 201
    page = response.data.decode()
    assert "Phản ánh của Ông/Bà đã được gửi và lưu an toàn" in page and "Trần Thị Bình" not in page
    store = open_store(store_url)
    (inbox,) = list(store.list(objects.INBOX))
    document = json.loads(age_decrypt(store.get(inbox.key), office_key[0]))
    assert document["reporter"] == {"name": "Trần Thị Bình", "phone": "0912 345 678", "contact": "phone"}
    assert len(age_decrypt(store.get(inbox.key), office_key[0])) in report.PAD_BUCKETS
    (attachment,) = document["attachments"]
    assert age_decrypt(store.get(attachment["key"]), office_key[0]) == "biên bản".encode()
    assert attachment["name"] == "biên-bản.txt" and attachment["size"] == len("biên bản".encode())


def test_every_stored_object_is_an_age_envelope(make_app, store_url, office_key):
    client = make_app().test_client()
    secret = "BÍ-MẬT-Không-được-lưu-rõ"
    for n in range(3):
        post_envelope(client, age_encrypt(report.padded({**REPORT, "description": secret}), office_key[1]))
        client.post(
            "/api/v1/submissions/form",
            data={
                "category": "waste",
                "description": f"{secret} {n}",
                "consent": "yes",
                "attachments": [(io.BytesIO(secret.encode() * 50), f"{secret}.txt", "text/plain")],
            },
        )
    stored = all_objects(open_store(store_url))
    markers = [
        data for key, data in stored if key.startswith("pow/") and not key.startswith(("pow/budget-", "pow/form-"))
    ]
    assert len(markers) == 3 and all(len(m) == 32 for m in markers)  # spent proofs hold a hash, nothing else
    # A no-JavaScript post sent again is known by its markers (resubmit.py): an id and a time, nothing else.
    submissions = [json.loads(data) for key, data in stored if key.startswith("pow/form-")]
    assert len(submissions) == 6 and all(set(m) <= {"id", "at"} for m in submissions)
    slots = [data for key, data in stored if key.startswith("pow/budget-form-")]
    assert slots == [b""] * 3  # the no-JavaScript budget: one empty marker per accepted form
    stored = [(key, data) for key, data in stored if not key.startswith("pow/")]
    assert len(stored) == 9
    for _, data in stored:
        envelope.check_envelope(data)
        assert secret.encode() not in data and secret.encode("utf-16-le") not in data
        assert age_decrypt(data, office_key[0])


def test_security_headers_on_every_response(make_app):
    client = make_app().test_client()
    for response in (
        client.get("/api/v1/health"),
        client.get("/api/v1/nowhere"),
        post_envelope(client, b"junk"),
        client.post("/api/v1/submissions/form", data={}, headers={"Accept": "text/html"}),
    ):
        headers = response.headers
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert headers["Cache-Control"] == "no-store"
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp


def test_cors_only_for_the_site_origin(make_app):
    client = make_app(INTAKE_SITE_ORIGIN="https://tocao.example.gov.vn").test_client()
    ok = client.options("/api/v1/submissions", headers={"Origin": "https://tocao.example.gov.vn"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://tocao.example.gov.vn"
    other = client.options("/api/v1/submissions", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    plain = make_app().test_client().get("/api/v1/health", headers={"Origin": "https://tocao.example.gov.vn"})
    assert "Access-Control-Allow-Origin" not in plain.headers


def test_log_has_route_status_size_duration_and_nothing_else(make_app, office_key, intake_log):
    client = make_app().test_client()
    marker = "Nguyễn-Văn-Marker-42"
    post_envelope(
        client,
        age_encrypt(report.padded({**REPORT, "description": marker}), office_key[1]),
        **{"User-Agent": "UA-Marker/1.0", "X-Forwarded-For": "203.0.113.77", "X-Real-IP": "198.51.100.9"},
    )
    client.post(
        "/api/v1/submissions/form",
        data={"category": "waste", "description": marker, "consent": "yes", "reporter.email": "marker@example.vn"},
        headers={"User-Agent": "UA-Marker/1.0", "X-Forwarded-For": "203.0.113.77"},
        environ_base={"REMOTE_ADDR": "192.0.2.55"},
    )
    client.get("/api/v1/health", environ_base={"REMOTE_ADDR": "192.0.2.55"})
    log = intake_log.getvalue()
    assert "POST /api/v1/submissions 201" in log and "POST /api/v1/submissions/form 201" in log
    assert len(log.strip().splitlines()) == 4  # challenge, submission, form, health
    for leak in (marker, "UA-Marker", "203.0.113.77", "198.51.100.9", "192.0.2.55", "marker@example.vn", "127.0.0.1"):
        assert leak not in log


def test_store_failure_is_503_with_retry_after_and_nothing_partial(office_key, tmp_path, moto_endpoint):
    from intake_function import create_app
    from tests.conftest import make_config, new_bucket

    bucket = new_bucket(moto_endpoint)
    app = create_app(make_config(f"s3://{bucket}/p", [office_key[1]]))
    import boto3

    boto3.client("s3", endpoint_url=moto_endpoint).delete_bucket(Bucket=bucket)
    client = app.test_client()
    response = post_envelope(client, age_encrypt(b"{}", office_key[1]))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.json["error"] == "store_unavailable"
    form = client.post("/api/v1/submissions/form", data={"category": "waste", "description": "x", "consent": "yes"})
    assert form.status_code == 503


def test_form_path_can_be_switched_off(make_app, store_url):
    client = make_app(INTAKE_FORM="off", INTAKE_CONTACTS_URL="/lien-he/").test_client()
    response = client.post(
        "/api/v1/submissions/form",
        data={"category": "waste", "description": "x", "consent": "yes"},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 503
    assert "/lien-he/" in response.data.decode()  # the other channels, once they are published
    assert list(open_store(store_url).list("")) == []


def test_health_lists_the_keys_and_fingerprints(make_app, office_key):
    body = make_app().test_client().get("/api/v1/health").json
    assert body["recipients"] == [{"recipient": office_key[1], "fingerprint": envelope.fingerprint(office_key[1])}]


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"INTAKE_RECIPIENTS": ""}, "INTAKE_RECIPIENTS is not set"),
        ({"INTAKE_RECIPIENTS": "age1nope"}, "INTAKE_RECIPIENTS"),
        ({"INTAKE_MAX_BYTES": "lots"}, "INTAKE_MAX_BYTES"),
        ({"INTAKE_STORE": "http://bucket"}, "INTAKE_STORE"),
        ({"INTAKE_SITE_ORIGIN": "tocao.gov.vn"}, "INTAKE_SITE_ORIGIN"),
        ({"INTAKE_FORM": "maybe"}, "INTAKE_FORM"),
    ],
)
def test_bad_configuration_is_named(env, fragment, office_key):
    from intake_function import config

    base = {"INTAKE_RECIPIENTS": office_key[1], "INTAKE_STORE": "file:///tmp/x"}
    with pytest.raises(config.ConfigError, match=fragment):
        config.from_env({**base, **env})


def test_hybrid_keys_from_a_recipients_file_and_never_mixed(tmp_path, office_key):
    """Two hybrid keys do not fit in Lambda's 4 KB of environment: INTAKE_RECIPIENTS may name a file."""
    from intake_function import config

    keys = [str(envelope.generate_identity().to_public()) for _ in range(2)]
    (tmp_path / "office-recipients.txt").write_text(f"# khóa chính\n{keys[0]}\n\n{keys[1]}  # dự phòng\n")
    base = {"INTAKE_STORE": "file:///tmp/x", "LAMBDA_TASK_ROOT": str(tmp_path)}
    loaded = config.from_env({**base, "INTAKE_RECIPIENTS": "office-recipients.txt"})
    assert loaded.recipient_strings == keys
    assert config.from_env({**base, "INTAKE_RECIPIENTS": ",".join(keys)}).recipient_strings == keys
    with pytest.raises(config.ConfigError, match="cannot be mixed"):
        config.from_env({**base, "INTAKE_RECIPIENTS": f"{keys[0]},{office_key[1]}"})
    with pytest.raises(config.ConfigError, match=r"cannot read the recipients file 'missing\.txt'"):
        config.from_env({**base, "INTAKE_RECIPIENTS": "missing.txt"})
    app = create_app(loaded)
    body = app.test_client().get("/api/v1/health").json
    assert [r["recipient"] for r in body["recipients"]] == keys
