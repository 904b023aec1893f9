"""infra/template.yaml: it lints, and its settings are the ones the design asks for.

The permissions themselves are proved in test_permissions.py, the headers in test_headers.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from intake_function import config as config_module
from intake_function import proof
from tests.conftest import require_tool
from tests.infra import cfn
from tests.test_malformed import load_handler

RESOURCES = cfn.template()["Resources"]
GUIDE_COMMANDS = [".venv/bin/cfn-lint infra/template.yaml"]  # run by test_cfn_lint_passes


def test_cfn_lint_passes():
    """The command the guide gives (cfn-lint is a dev dependency: never skipped)."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("cfn-lint")), str(cfn.TEMPLATE)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_reports_bucket_is_private_encrypted_versioned_and_kept():
    bucket = RESOURCES["ReportsBucket"]
    assert bucket["DeletionPolicy"] == "Retain" and bucket["UpdateReplacePolicy"] == "Retain"
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"  # what INTAKE_STORE asks per object
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}


def test_lifecycle_expires_orphans_markers_and_old_versions_but_never_inbox():
    rules = {r["Id"]: r for r in RESOURCES["ReportsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]}
    assert all(r["Status"] == "Enabled" for r in rules.values())
    assert rules["expire-orphaned-attachments"]["Prefix"] == "attachments/"
    assert rules["expire-orphaned-attachments"]["ExpirationInDays"] == {"Ref": "OrphanAttachmentDays"}
    assert rules["expire-spent-proof-of-work-markers"]["Prefix"] == "pow/"
    assert rules["expire-spent-proof-of-work-markers"]["ExpirationInDays"] == {"Ref": "PowMarkerDays"}
    assert rules["remove-old-versions"]["NoncurrentVersionExpiration"] == {
        "NoncurrentDays": {"Ref": "NoncurrentVersionDays"}
    }
    # Nothing ever expires a report waiting in inbox/ (or an answer in outbox/).
    expiring = [r.get("Prefix", "") for r in rules.values() if "ExpirationInDays" in r]
    assert sorted(expiring) == ["attachments/", "pow/"]


def test_markers_outlive_every_credential():
    params = cfn.template()["Parameters"]
    longest_credential = max(params["PowTtl"]["MaxValue"], params["UploadTtl"]["MaxValue"])
    assert proof.MARKER_LIFETIME >= longest_credential
    # S3 expires objects at the next midnight (UTC) after the given number of days.
    assert params["PowMarkerDays"]["MinValue"] * 86400 >= longest_credential + 86400


def test_bucket_cors_lets_only_the_site_post_files():
    (rule,) = RESOURCES["ReportsBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert cfn.resolve(rule["AllowedOrigins"]) == ["https://tocao.example.gov.vn"]
    assert rule["AllowedMethods"] == ["POST"]


def test_the_function_runs_on_arm64_python_with_limits_and_every_setting():
    props = RESOURCES["IntakeFunction"]["Properties"]
    assert props["Handler"] == "intake_function.lambda_handler.handler"
    assert props["Runtime"] in ("python3.11", "python3.12")
    assert cfn.template()["Parameters"]["Architecture"]["Default"] == "arm64"
    assert props["CodeUri"] == "../dist/intake-function.zip"
    assert props["Timeout"] < 30  # API Gateway's integration limit
    assert "ReservedConcurrentExecutions" in props and props["MemorySize"] == {"Ref": "MemorySize"}
    # An explicit role: SAM adds no role or policy of its own.
    assert props["Role"] == {"Fn::GetAtt": ["IntakeFunctionRole", "Arn"]} and "Policies" not in props
    variables = props["Environment"]["Variables"]
    documented = set(config_module.__doc__.split("| variable", 1)[1].split("S3 credentials", 1)[0].split())
    documented = {word for word in documented if word.startswith("INTAKE_")}
    assert documented <= set(variables), f"not set by the template: {sorted(documented - set(variables))}"
    assert variables["INTAKE_STORE"] == {"Fn::Sub": "s3://${ReportsBucket}"}
    assert cfn.resolve(variables["INTAKE_SITE_ORIGIN"]) == "https://tocao.example.gov.vn"
    assert cfn.template()["Parameters"]["MaxBytes"]["MaxValue"] <= config_module.LAMBDA_BODY_CEILING


def test_the_secret_is_generated_not_typed():
    props = RESOURCES["IntakeFunction"]["Properties"]["Environment"]["Variables"]
    assert props["INTAKE_SECRET"] == {"Fn::Sub": "{{resolve:secretsmanager:${IntakeSecret}:SecretString}}"}
    generate = RESOURCES["IntakeSecret"]["Properties"]["GenerateSecretString"]
    assert generate["PasswordLength"] >= 32  # config.py refuses shorter secrets
    assert not any("Secret" in name and "Version" not in name for name in cfn.template()["Parameters"])


def test_the_recipients_parameter_accepts_real_keys_only(office_key, second_key):
    import re

    pattern = cfn.template()["Parameters"]["OfficeRecipients"]["AllowedPattern"]
    assert re.fullmatch(pattern, office_key[1])
    assert re.fullmatch(pattern, f"{office_key[1]},{second_key[1]}")
    assert not re.fullmatch(pattern, f"{office_key[1]}, {second_key[1]}")
    assert not re.fullmatch(pattern, "AGE-SECRET-KEY-1" + "Q" * 58)
    # Hybrid keys travel in the zip (scripts/package-lambda.sh --recipients): the parameter names the file.
    assert re.fullmatch(pattern, "office-recipients.txt")
    assert not re.fullmatch(pattern, "../office-recipients.txt") and not re.fullmatch(
        pattern, "office-recipients.txt,x"
    )


def test_no_access_log_records_an_address():
    api = RESOURCES["HttpApi"]["Properties"]
    assert "AccessLogSettings" not in api  # no access log at all
    assert "Logging" not in RESOURCES["SiteDistribution"]["Properties"]["DistributionConfig"]
    kinds = {r["Type"] for r in RESOURCES.values()}
    assert "AWS::CloudFront::RealtimeLogConfig" not in kinds
    assert "AWS::ApiGatewayV2::Stage" not in kinds  # no second stage with its own log settings
    lines = [line.split("#", 1)[0] for line in cfn.TEMPLATE.read_text().splitlines()]
    assert not any("sourceIp" in line or "identity." in line for line in lines)


def test_the_api_is_throttled_and_allows_only_the_site_origin():
    api = RESOURCES["HttpApi"]["Properties"]
    assert set(api["DefaultRouteSettings"]) == {"ThrottlingRateLimit", "ThrottlingBurstLimit"}
    assert cfn.resolve(api["CorsConfiguration"]["AllowOrigins"]) == ["https://tocao.example.gov.vn"]
    event = RESOURCES["IntakeFunction"]["Properties"]["Events"]["Api"]
    assert event["Type"] == "HttpApi" and event["Properties"]["PayloadFormatVersion"] == "2.0"
    assert event["Properties"]["Path"] == "/api/{proxy+}"


def test_site_and_api_share_one_origin_and_the_api_is_never_cached(tmp_path, office_key):
    config = RESOURCES["SiteDistribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert "OriginAccessControlId" in origins["site"]
    assert origins["site"]["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert cfn.resolve(origins["api"]["DomainName"]) == "abc123def4.execute-api.ap-southeast-1.amazonaws.com"
    (api,) = config["CacheBehaviors"]
    assert api["PathPattern"] == "/api/*" and api["TargetOriginId"] == "api"
    assert set(api["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}
    assert api["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # Managed-CachingDisabled
    forwarded = RESOURCES["ApiOriginRequestPolicy"]["Properties"]["OriginRequestPolicyConfig"]
    headers = {h.lower() for h in forwarded["HeadersConfig"]["Headers"]}
    handler = load_handler({"INTAKE_STORE": tmp_path.as_uri(), "INTAKE_RECIPIENTS": office_key[1]})

    # Only headers the handler lets through (or reads itself), and every one the app needs from a browser.
    assert headers <= handler.ALLOWED_HEADERS | handler.READ_BY_HANDLER
    assert "cloudfront-viewer-address" in headers  # the viewer's address, for the limits per client
    assert {"content-type", "x-altcha", "x-upload-ticket", "accept", "origin"} <= headers
    assert forwarded["CookiesConfig"] == {"CookieBehavior": "none"}
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"


def test_only_cloudfront_reads_the_site_bucket():
    document = cfn.resolve(RESOURCES["SiteBucketPolicy"]["Properties"]["PolicyDocument"])
    allows = [s for s in document["Statement"] if s["Effect"] == "Allow"]
    assert allows == [
        {
            "Sid": "CloudFrontReadsTheSite",
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{cfn.SITE_BUCKET}/*",
            "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E2EXAMPLE"}},
        }
    ]
    assert RESOURCES["SiteBucket"]["Properties"]["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] is True


def test_the_api_never_answers_403_which_cloudfront_turns_into_the_404_page():
    """CloudFront maps 403 (S3: no such page) to /404.html for the whole distribution."""
    config = RESOURCES["SiteDistribution"]["Properties"]["DistributionConfig"]
    assert [e["ErrorCode"] for e in config["CustomErrorResponses"]] == [403]
    source = "\n".join(p.read_text() for p in (cfn.ROOT / "intake_function").glob("*.py"))
    assert "403" not in source and "Forbidden" not in source


def test_the_directory_index_function(tmp_path):
    """Run the CloudFront Function's code with Node on the cases it handles."""
    node = require_tool("node")
    code = RESOURCES["DirectoryIndexFunction"]["Properties"]["FunctionCode"]
    cases = ["/", "/lien-he/", "/lien-he", "/en/bao-mat", "/assets/x.css", "/lich-tiep-cong-dan.ics"]
    script = tmp_path / "run.js"
    script.write_text(
        code
        + "\nconst out = {};\n"
        + f"for (const uri of {json.dumps(cases)}) {{ out[uri] = handler({{request: {{uri}}}}); }}\n"
        + "console.log(JSON.stringify(out));\n"
    )
    result = json.loads(subprocess.run([node, str(script)], check=True, capture_output=True, text=True).stdout)
    assert result["/"]["uri"] == "/index.html"
    assert result["/lien-he/"]["uri"] == "/lien-he/index.html"
    assert result["/lien-he"] == {
        "statusCode": 301,
        "statusDescription": "Moved Permanently",
        "headers": {"location": {"value": "/lien-he/"}},
    }
    assert result["/en/bao-mat"]["headers"]["location"]["value"] == "/en/bao-mat/"
    assert result["/assets/x.css"]["uri"] == "/assets/x.css"
    assert result["/lich-tiep-cong-dan.ics"]["uri"] == "/lich-tiep-cong-dan.ics"


def test_every_parameter_is_used_and_described():
    text = cfn.TEMPLATE.read_text()
    for name, spec in cfn.template()["Parameters"].items():
        assert spec.get("Description"), name
        uses = text.count(f"!Ref {name}") + text.count(f"${{{name}}}") + text.count(f"[!Ref {name}]")
        assert uses or name in text.split("Resources:", 1)[1], f"parameter {name} is never used"


def test_the_edge_firewall_limits_each_address_and_keeps_none(tmp_path, office_key):
    """AWS WAF at CloudFront: a rate per address on the API, a tighter one on the paths without
    proof-of-work, the function's own 429 body, and no sampled requests (they keep addresses)."""
    from intake_function.app import create_app
    from intake_function.errors import HTTP_MESSAGES
    from tests.conftest import make_config

    firewall = RESOURCES["EdgeFirewall"]
    assert firewall["Condition"] == "MakesEdgeFirewall"
    props = firewall["Properties"]
    assert props["Scope"] == "CLOUDFRONT" and props["DefaultAction"] == {"Allow": {}}
    visibility = [props["VisibilityConfig"]] + [rule["VisibilityConfig"] for rule in props["Rules"]]
    assert all(v["SampledRequestsEnabled"] is False for v in visibility)
    code, message = HTTP_MESSAGES[429]
    (body,) = props["CustomResponseBodies"].values()
    assert json.loads(body["Content"]) == {"error": code, "message": message}
    rules = {rule["Name"]: rule for rule in props["Rules"]}
    for rule in rules.values():
        rate = rule["Statement"]["RateBasedStatement"]
        assert rate["AggregateKeyType"] == "IP" and rate["EvaluationWindowSec"] == 300
        assert rule["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    api = rules["api-per-address"]["Statement"]["RateBasedStatement"]
    assert (
        api["Limit"] == {"Ref": "EdgeApiRateLimit"}
        and api["ScopeDownStatement"]["ByteMatchStatement"]["SearchString"] == "/api/"
    )
    unpaid = rules["no-proof-of-work-per-address"]["Statement"]["RateBasedStatement"]
    assert unpaid["Limit"] == {"Ref": "EdgeUnpaidRateLimit"}
    prefixes = {
        s["ByteMatchStatement"]["SearchString"] for s in unpaid["ScopeDownStatement"]["OrStatement"]["Statements"]
    }
    # Every route of the function that asks no proof-of-work starts with one of these prefixes.
    app = create_app(make_config(tmp_path.as_uri(), [office_key[1]]))
    unpaid_routes = {"/api/v1/submissions/form", "/api/v1/followups/form", "/api/v1/replies", "/api/v1/replies/check"}
    assert unpaid_routes <= {rule.rule for rule in app.url_map.iter_rules()}
    assert all(any(route.startswith(prefix) for prefix in prefixes) for route in unpaid_routes)
    paid = ("/api/v1/submissions", "/api/v1/uploads", "/api/v1/challenge", "/api/v1/health")
    assert not any(route.startswith(prefix) for route in paid for prefix in prefixes)
    params = cfn.template()["Parameters"]
    assert params["EdgeApiRateLimit"]["Default"] > params["EdgeUnpaidRateLimit"]["Default"] >= 10
    distribution = RESOURCES["SiteDistribution"]["Properties"]["DistributionConfig"]
    assert distribution["WebACLId"]["Fn::If"][0] == "MakesEdgeFirewall"


def test_cloudfront_proves_itself_to_the_function_with_a_generated_secret():
    """The viewer's address is believed only from CloudFront: it sends X-Intake-Edge, the same
    generated secret as the function's INTAKE_EDGE_SECRET."""
    from intake_function import clients

    config = RESOURCES["SiteDistribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    (header,) = origins["api"]["OriginCustomHeaders"]
    assert header["HeaderName"].lower() == clients.EDGE_HEADER
    secret = {"Fn::Sub": "{{resolve:secretsmanager:${EdgeSecret}:SecretString}}"}
    assert header["HeaderValue"] == secret
    variables = RESOURCES["IntakeFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["INTAKE_EDGE_SECRET"] == secret and variables["INTAKE_TRUSTED_PROXIES"] == ""
    assert RESOURCES["EdgeSecret"]["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32


def test_outside_us_east_1_the_same_firewall_is_cut_out_for_its_own_stack(tmp_path):
    """scripts/edge-firewall.py: the EdgeFirewall resource, unchanged, with its parameters; cfn-lint clean."""
    result = subprocess.run(
        [sys.executable, str(cfn.ROOT / "scripts" / "edge-firewall.py")], capture_output=True, text=True, check=True
    )
    edge = json.loads(result.stdout)
    original = {k: v for k, v in RESOURCES["EdgeFirewall"].items() if k != "Condition"}
    assert edge["Resources"] == {"EdgeFirewall": original}
    assert set(edge["Parameters"]) == {"EdgeApiRateLimit", "EdgeUnpaidRateLimit"}
    assert edge["Outputs"]["EdgeWebAclArn"]["Value"] == {"Fn::GetAtt": ["EdgeFirewall", "Arn"]}
    path = tmp_path / "edge-firewall.json"
    path.write_text(result.stdout, encoding="utf-8")
    lint = subprocess.run(
        [str(Path(sys.executable).with_name("cfn-lint")), "--regions", "us-east-1", "--", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
