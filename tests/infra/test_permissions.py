"""Least privilege, proved on the template's own policy documents (evaluated by tests/infra/iam.py).

Two kinds of proof:

* what may NOT happen: the function can never read, list or delete ``inbox/`` or
  ``attachments/``; the Office can never write ``inbox/`` (or ``attachments/``, ``pow/``);
  nobody gets anything without TLS;
* what MUST work: every S3 call the real code makes (the intake function's every route, and the
  Office's ``pull``), recorded on its way to the moto server, is allowed by that principal's
  policy. So the policies are not only narrow but sufficient.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from intake_function import codes, objects, receipt, report
from tests.conftest import age_encrypt, make_config, new_bucket, pow_header
from tests.infra import cfn, iam
from tests.test_uploads import submit_with_files

BUCKET_ARN = f"arn:aws:s3:::{cfn.REPORTS_BUCKET}"
FUNCTION = cfn.NAMES["IntakeFunctionRole.Arn"]
OFFICE = f"arn:aws:iam::{cfn.ACCOUNT}:user/office"


def _documents(resource: str) -> list:
    props = cfn.resource(resource)["Properties"]
    if "Policies" in props:
        return [iam.statements(cfn.resolve(p["PolicyDocument"])) for p in props["Policies"]]
    return [iam.statements(cfn.resolve(props["PolicyDocument"]))]


FUNCTION_POLICY = [s for document in _documents("IntakeFunctionRole") for s in document]
OFFICE_POLICY = _documents("OfficePolicy")[0]
BUCKET_POLICY = _documents("ReportsBucketPolicy")[0]


def decide(
    principal: str,
    action: str,
    key: str | None = None,
    prefix: str | None = None,
    tls: bool = True,
    if_none_match: str | None = "*",
) -> str:
    """The decision for one S3 request on the reports bucket (an object ``key``, or the bucket).

    Writes are conditional (``If-None-Match: *``) unless ``if_none_match`` is None, as the
    store's ``create`` makes them.
    """
    identity = FUNCTION_POLICY if principal == FUNCTION else OFFICE_POLICY
    context = {"aws:SecureTransport": "true" if tls else "false"}
    if prefix is not None:
        context["s3:prefix"] = prefix
    if action == "s3:PutObject" and if_none_match is not None:
        context["s3:if-none-match"] = if_none_match
    resource = f"{BUCKET_ARN}/{key}" if key is not None else BUCKET_ARN
    return iam.evaluate(iam.Request(action, resource, context, principal), identity, BUCKET_POLICY)


# Fixed, of the shapes the function makes (a ULID, 32 hex digits): test ids must be the same in every
# process that collects them (pytest-xdist's workers).
OBJECT_ID = "01M3250V00SBYP3PY9T54HE0AB"
LOOKUP_ID = "5f0c3a9e2b7d41c6a8e9f0b1c2d3e4f5"
REPORT_KEYS = [objects.inbox_key(OBJECT_ID), objects.attachment_key(OBJECT_ID)]
# Every way of reading, listing or removing something that S3 offers on objects and buckets.
READ_ACTIONS = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:GetObjectAttributes",
    "s3:GetObjectAcl",
    "s3:GetObjectTagging",
    "s3:GetObjectVersionAttributes",
    "s3:GetObjectTorrent",
    "s3:RestoreObject",
]
DELETE_ACTIONS = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectAcl", "s3:PutObjectTagging"]
LIST_ACTIONS = ["s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"]
# Prefixes that would reveal reports, and the absent prefix (list everything).
REVEALING_PREFIXES = [None, "", "i", "a", "inbox", "inbox/", "attachments", "attachments/", "inbox/0", "outbox/"]


def test_the_function_role_grants_exactly_three_s3_actions():
    granted = {a for s in FUNCTION_POLICY if s["Effect"] == "Allow" for a in iam._as_list(s["Action"])}
    assert granted == {"s3:PutObject", "s3:GetObject", "s3:ListBucket", "logs:CreateLogStream", "logs:PutLogEvents"}
    assert not any("*" in a for s in FUNCTION_POLICY for a in iam._as_list(s["Action"]))


@pytest.mark.parametrize("key", REPORT_KEYS)
@pytest.mark.parametrize("action", READ_ACTIONS + DELETE_ACTIONS)
def test_the_function_cannot_read_or_delete_reports_or_attachments(action, key):
    assert decide(FUNCTION, action, key) != iam.ALLOW


@pytest.mark.parametrize("prefix", REVEALING_PREFIXES)
@pytest.mark.parametrize("action", LIST_ACTIONS)
def test_the_function_cannot_list_reports_or_all_answers(action, prefix):
    assert decide(FUNCTION, action, prefix=prefix) != iam.ALLOW


def test_even_a_broader_role_policy_could_not_let_the_function_read_reports():
    """The bucket policy denies it explicitly, whatever is attached to the role later."""
    everything = [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
    for key in REPORT_KEYS:
        for action in ("s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion"):
            request = iam.Request(action, f"{BUCKET_ARN}/{key}", {"aws:SecureTransport": "true"}, FUNCTION)
            assert iam.evaluate(request, everything, BUCKET_POLICY) == iam.DENY


def test_the_function_can_do_what_its_code_does():
    assert decide(FUNCTION, "s3:PutObject", objects.inbox_key(OBJECT_ID)) == iam.ALLOW
    assert decide(FUNCTION, "s3:PutObject", objects.attachment_key(OBJECT_ID)) == iam.ALLOW
    assert decide(FUNCTION, "s3:PutObject", f"pow/{hashlib.sha256(b'x').hexdigest()}") == iam.ALLOW
    assert decide(FUNCTION, "s3:GetObject", f"pow/{hashlib.sha256(b'x').hexdigest()}") == iam.ALLOW
    assert decide(FUNCTION, "s3:GetObject", objects.outbox_key(LOOKUP_ID, OBJECT_ID)) == iam.ALLOW
    assert decide(FUNCTION, "s3:ListBucket", prefix=objects.outbox_prefix(LOOKUP_ID)) == iam.ALLOW


@pytest.mark.parametrize("key", [objects.inbox_key(OBJECT_ID), f"pow/{hashlib.sha256(b'x').hexdigest()}"])
def test_the_function_cannot_overwrite_a_waiting_report_or_a_spent_marker(key):
    assert decide(FUNCTION, "s3:PutObject", key, if_none_match=None) != iam.ALLOW


def test_the_function_cannot_write_answers_or_elsewhere():
    for key in (objects.outbox_key(LOOKUP_ID, OBJECT_ID), "inboxes/x", "index.html", "x/inbox/y"):
        assert decide(FUNCTION, "s3:PutObject", key) != iam.ALLOW
    for action in ("s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:*"):
        assert decide(FUNCTION, action) != iam.ALLOW


@pytest.mark.parametrize("key", [*REPORT_KEYS, "pow/abc"])
def test_the_office_cannot_write_inbox_attachments_or_markers(key):
    assert decide(OFFICE, "s3:PutObject", key) != iam.ALLOW
    assert decide(OFFICE, "s3:PutObjectAcl", key) != iam.ALLOW


def test_the_office_takes_reports_and_puts_answers_only():
    for key in REPORT_KEYS:
        assert decide(OFFICE, "s3:GetObject", key) == iam.ALLOW
        assert decide(OFFICE, "s3:DeleteObject", key) == iam.ALLOW
        assert decide(OFFICE, "s3:DeleteObjectVersion", key) != iam.ALLOW  # old versions are kept
    for prefix in (objects.INBOX, objects.ATTACHMENTS):
        assert decide(OFFICE, "s3:ListBucket", prefix=prefix) == iam.ALLOW
    assert decide(OFFICE, "s3:PutObject", objects.outbox_key(LOOKUP_ID, OBJECT_ID)) == iam.ALLOW
    for prefix in (None, "", "outbox/", "pow/"):
        assert decide(OFFICE, "s3:ListBucket", prefix=prefix) != iam.ALLOW
    assert decide(OFFICE, "s3:GetObject", "pow/abc") != iam.ALLOW
    assert decide(OFFICE, "s3:GetObject", objects.outbox_key(LOOKUP_ID, OBJECT_ID)) != iam.ALLOW


def test_the_register_marker_is_the_offices_alone():
    """office init marks the store; the function can neither read, overwrite nor delete the marker."""
    marker = objects.REGISTER_MARKER
    assert decide(OFFICE, "s3:GetObject", marker) == iam.ALLOW
    assert decide(OFFICE, "s3:PutObject", marker) == iam.ALLOW
    assert decide(OFFICE, "s3:ListBucket", prefix=marker) == iam.ALLOW  # so that a missing marker is a 404
    for action in DELETE_ACTIONS:
        assert decide(OFFICE, action, marker) != iam.ALLOW
    for action in (*READ_ACTIONS, *DELETE_ACTIONS, "s3:PutObject"):
        assert decide(FUNCTION, action, marker) != iam.ALLOW
        assert decide(FUNCTION, action, marker, if_none_match=None) != iam.ALLOW


@pytest.mark.parametrize("principal", [FUNCTION, OFFICE])
def test_nothing_without_tls(principal):
    assert decide(principal, "s3:PutObject", objects.inbox_key(OBJECT_ID), tls=False) == iam.DENY
    assert decide(principal, "s3:GetObject", objects.outbox_key(LOOKUP_ID, OBJECT_ID), tls=False) == iam.DENY
    assert decide(principal, "s3:ListBucket", prefix=objects.INBOX, tls=False) == iam.DENY


def test_the_evaluator_refuses_what_it_does_not_model():
    request = iam.Request("s3:GetObject", f"{BUCKET_ARN}/x", {})
    with pytest.raises(iam.Unsupported):
        iam.evaluate(request, [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"IpAddress": {}}}])
    with pytest.raises(iam.Unsupported):
        iam.evaluate(request, [{"Effect": "Allow", "Action": "*", "Resource": "${aws:username}"}])


# ------------------------------------------------------------------------------------------------
# The real calls, recorded.


class Recorder:
    """Notes every S3 operation an ``S3Store`` makes (the function's and the Office's), with its key."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None, str | None, str | None]] = []

    def hook(self, params, model, **_) -> None:
        name = model.name
        if name == "CreateBucket":
            # Not the store's (it never creates buckets): moto's server, in this same process,
            # handles the presigned POST through botocore, whose clients share one event system.
            return
        if name == "DeleteObjects":
            for item in params["Delete"]["Objects"]:
                self.calls.append(("DeleteObject", item["Key"], None, None))
        else:
            self.calls.append((name, params.get("Key"), params.get("Prefix"), params.get("IfNoneMatch")))

    def install(self, monkeypatch) -> None:
        from intake_function.store_s3 import S3Store

        real_init = S3Store.__init__

        def init(store, *args, **kwargs):
            real_init(store, *args, **kwargs)
            # boto3's clients share one event system: registered once, removed by ``remove``.
            store.client.meta.events.register("before-parameter-build.s3", self.hook, unique_id=id(self))
            self.events = store.client.meta.events

        monkeypatch.setattr(S3Store, "__init__", init)

    def remove(self) -> None:
        if getattr(self, "events", None) is not None:
            self.events.unregister("before-parameter-build.s3", unique_id=id(self))

    def requests(self) -> list[tuple[str, str | None, str | None, str | None]]:
        """As IAM sees them: (action, key, prefix, If-None-Match)."""
        actions = {
            "PutObject": "s3:PutObject",
            "GetObject": "s3:GetObject",
            "HeadObject": "s3:GetObject",
            "ListObjectsV2": "s3:ListBucket",
            "DeleteObject": "s3:DeleteObject",
        }
        out = []
        for name, key, prefix, if_none_match in self.calls:
            assert name in actions, f"an S3 operation the template does not consider: {name}"
            out.append((actions[name], key, prefix, if_none_match))
        return out


@pytest.fixture
def recorder(monkeypatch, moto_endpoint):
    recording = Recorder()
    recording.install(monkeypatch)
    yield recording
    recording.remove()


def test_every_call_of_the_function_is_allowed_by_its_role(recorder, moto_endpoint, office_key):
    from urllib3 import encode_multipart_formdata

    from intake_function import create_app

    bucket = new_bucket(moto_endpoint)
    app = create_app(make_config(f"s3://{bucket}", [office_key[1]]))
    client = app.test_client()
    recorder.calls.clear()  # from here on, only the function's own calls
    # health, challenge, a report without files
    assert client.get("/api/v1/health").status_code == 200
    sealed = age_encrypt(report.padded({"schema": "report/1", "category": "waste", "description": "x"}), office_key[1])
    headers = pow_header(client)
    for _ in range(2):  # the second time is a retry: reads the spent marker back
        answer = client.post(
            "/api/v1/submissions", data=sealed, content_type="application/octet-stream", headers=headers
        )
        assert answer.status_code == 201
    # a report with files: slots (presigned POSTs, signed with the role's credentials), ticket
    granted, _ = submit_with_files(client, office_key[1], [b"tep 1", b"tep 2"])
    presigned_puts = [("s3:PutObject", slot["key"], None, None) for slot in granted["slots"]]
    # the no-JavaScript form with a file
    body, content_type = encode_multipart_formdata(
        {"category": "waste", "description": "Không có JavaScript", "consent": "yes", "attachments": ("a.txt", b"abc")}
    )
    assert client.post("/api/v1/submissions/form", data=body, content_type=content_type).status_code == 201
    # answers: the Office puts one, the reporter reads it by code, with and without JavaScript
    code = receipt.new_code()
    derived = receipt.derive(code)
    answer_key = objects.outbox_key(derived.lookup_id, codes.new_object_id())
    app.extensions["intake"]["store"].client.put_object(
        Bucket=bucket, Key=answer_key, Body=age_encrypt(b"{}", derived.reply_recipient)
    )
    found = client.post("/api/v1/replies", json={"lookup_id": derived.lookup_id})
    assert found.status_code == 200 and len(found.json["replies"]) == 1, found.json
    checked = client.post("/api/v1/replies/check", data={"code": code}, headers={"Accept": "text/html"})
    assert checked.status_code == 200

    calls = [c for c in recorder.requests() if c[1] != answer_key or c[0] != "s3:PutObject"] + presigned_puts
    kinds = {(action, (key or prefix or "").split("/")[0]) for action, key, prefix, _ in calls}
    assert {("s3:PutObject", "inbox"), ("s3:PutObject", "attachments"), ("s3:PutObject", "pow")} <= kinds
    assert {("s3:GetObject", "pow"), ("s3:GetObject", "outbox"), ("s3:ListBucket", "outbox")} <= kinds
    refused = [c for c in calls if decide(FUNCTION, c[0], c[1], c[2], if_none_match=c[3]) != iam.ALLOW]
    assert refused == []


def test_every_call_of_the_office_pull_is_allowed_by_its_policy(recorder, moto_endpoint, office_key, tmp_path):
    from intake_function import create_app
    from office.commands.cli import cli

    bucket = new_bucket(moto_endpoint)
    client = create_app(make_config(f"s3://{bucket}", [office_key[1]])).test_client()
    submit_with_files(client, office_key[1], [b"tep"])
    recorder.calls.clear()  # from here on, only the Office's calls
    env = {"OFFICE_STORE": f"s3://{bucket}", "OFFICE_IDENTITY": str(office_key[0])}
    for args in (
        ["pull", "--encrypted-only", "--to", str(tmp_path / "transfer")],  # the online half of the offline way
        ["pull", "--init", "--recipients", office_key[1], "--data", str(tmp_path / "office")],
    ):
        result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    calls = recorder.requests()
    kinds = {(action, (key or prefix or "").split("/")[0]) for action, key, prefix, _ in calls}
    assert {("s3:ListBucket", "inbox"), ("s3:GetObject", "inbox"), ("s3:DeleteObject", "attachments")} <= kinds
    refused = [c for c in calls if decide(OFFICE, c[0], c[1], c[2], if_none_match=c[3]) != iam.ALLOW]
    assert refused == []
    assert json.loads(CliRunner().invoke(cli, ["list", "--format", "json", "--data", str(tmp_path / "office")]).output)
