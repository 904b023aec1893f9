"""The site for a given API and data file: what its pages call, how it is published, which keys it serves."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest

from tests.conftest import RELEASE_TAG, ROOT, TAG_COMMAND, TEST_SECRET, new_bucket
from tests.infra.servers import free_port, running

API = "https://api.example.gov.vn/api/v1"
SITE_URL = "https://tocao.example.gov.vn/"
# The guide's commands; the tests write to a temporary folder instead of site/.
BUILD_FOR_API = f"scripts/build-site.sh --out site --api-url {API} --site-url {SITE_URL}"
ONE_PROCESS = ".venv/bin/python -m intake_function --site site"
# The release guide (phat-hanh-trang.md): build for the real address, compare with the tag, summary.
BUILD_RELEASE = f"scripts/build-site.sh --out site --site-url {SITE_URL}"
VERIFY = f".venv/bin/python -m portal_site.release verify site --commit {RELEASE_TAG}"
SUMMARY = ".venv/bin/python -m portal_site.release summary site"
GUIDE_COMMANDS = [BUILD_FOR_API, ONE_PROCESS, TAG_COMMAND, BUILD_RELEASE, VERIFY, SUMMARY]


def build(out: Path, *options: str) -> Path:
    result = subprocess.run(
        [str(ROOT / "scripts" / "build-site.sh"), "--out", str(out), *options],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def api_site(tmp_path_factory) -> Path:
    """The guide's build for a separate API address, exactly as written there."""
    out = tmp_path_factory.mktemp("api-site") / "site"
    _script, out_option, _folder, *options = BUILD_FOR_API.split()
    assert out_option == "--out"
    return build(out, *options)


class _Requests(HTMLParser):
    """Every URL an HTML page makes the browser fetch or send to (links people follow are not)."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[tuple[str, str]] = []
        self.config: list[str] = []
        self._in_config = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and not {"canonical", "alternate"} & set((a.get("rel") or "").split()):
            self.fetched.append(("link href", a.get("href") or ""))
        for name in ("src", "action", "data-api", "poster", "data"):
            if a.get(name) and not (tag == "object" and name != "data"):
                self.fetched.append((f"{tag} {name}", a[name]))
        for name in ("srcset", "imagesrcset"):
            for candidate in (a.get(name) or "").split(","):
                if candidate.strip():
                    self.fetched.append((f"{tag} {name}", candidate.split()[0]))
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.fetched.append(("meta refresh", (a.get("content") or "").partition("url=")[2]))
        self._in_config = tag == "script" and a.get("id") == "portal-config"

    def handle_data(self, data):
        if self._in_config:
            self.config.append(data)

    def handle_endtag(self, tag):
        self._in_config = False


def _absolute(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def test_pages_call_only_the_given_api(api_site):
    pages = sorted(api_site.rglob("*.html"))
    assert len(pages) > 20
    seen_forms, seen_configs = 0, 0
    for page in pages:
        parser = _Requests()
        parser.feed(page.read_text(encoding="utf-8"))
        for where, url in parser.fetched:
            if where in ("form action", "form data-api"):
                assert url.startswith(API + "/") or url == API, f"{page}: {where} {url}"
                seen_forms += 1
            else:
                assert not _absolute(url) or url.startswith("data:"), f"{page}: {where} {url}"
        for block in parser.config:
            assert json.loads(block)["api"] == API, page
            seen_configs += 1
    assert seen_forms >= 8 and seen_configs >= 4  # report and check pages, both languages
    for sheet in api_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text(encoding="utf-8")):
            assert not _absolute(url) or url.startswith("data:"), f"{sheet}: url({url})"


def test_no_script_hard_codes_an_api_address(api_site):
    """The browser code takes the API address from the page (above), never from its own text."""
    scripts = list(api_site.rglob("*.js"))
    assert scripts
    for path in scripts:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not re.findall(r"https?://[A-Za-z0-9.-]+(?::\d+)?/api/", text), path


# ------------------------------------------------------------------------------------------------
# Publishing to S3 + CloudFront (the moto server stands in for AWS).


@pytest.fixture
def distribution(moto_endpoint, monkeypatch) -> str:
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFRONT", moto_endpoint)
    cdn = boto3.client("cloudfront", endpoint_url=moto_endpoint)
    origin = {"Id": "site", "DomainName": "site.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}
    config = {
        "CallerReference": "test",
        "Comment": "",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https"},
    }
    return cdn.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


TAG = RELEASE_TAG


@pytest.fixture(scope="session")
def release_site(checkout, tmp_path_factory) -> Path:
    """The tagged commit built in the checkout for a separate API, as the guide's command does."""
    out = tmp_path_factory.mktemp("release-site") / "site"
    result = subprocess.run(
        [str(checkout / "scripts" / "build-site.sh"), "--out", str(out), "--api-url", API, "--site-url", SITE_URL],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHON": sys.executable},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def deploy(*args: str, root: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(root / "scripts" / "deploy-site.sh"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHON": sys.executable},
    )


def bucket_keys(s3, bucket: str) -> set[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {o["Key"] for p in pages for o in p.get("Contents", [])}


def test_deploy_site_uploads_a_verified_release_and_refreshes_cloudfront(
    checkout, release_site, moto_endpoint, distribution
):
    bucket = new_bucket(moto_endpoint)
    s3 = boto3.client("s3", endpoint_url=moto_endpoint)
    s3.put_object(Bucket=bucket, Key="old-page/index.html", Body=b"stale")
    first = deploy("--bucket", bucket, "--distribution", distribution, "--site", str(release_site), root=checkout)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"is a clean build of {TAG}" in first.stdout and "invalidation" in first.stdout
    manifest = (release_site / "site-manifest.json").read_bytes()
    assert hashlib.sha256(manifest).hexdigest() in first.stdout  # what the IT officer gives the Office
    calendar = s3.get_object(Bucket=bucket, Key="lich-tiep-cong-dan.ics")
    assert calendar["ContentType"] == "text/calendar; charset=utf-8"
    assert calendar["Body"].read() == (release_site / "lich-tiep-cong-dan.ics").read_bytes()
    page = s3.head_object(Bucket=bucket, Key="gui-phan-anh/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == "public, max-age=300"
    script = next(k for k in (p.relative_to(release_site).as_posix() for p in release_site.rglob("*.js")))
    assert s3.head_object(Bucket=bucket, Key=script)["ContentType"] == "text/javascript; charset=utf-8"
    assert bucket_keys(s3, bucket) == {
        p.relative_to(release_site).as_posix() for p in release_site.rglob("*") if p.is_file()
    }
    assert s3.get_object(Bucket=bucket, Key="site-manifest.json")["Body"].read() == manifest
    cdn = boto3.client("cloudfront", endpoint_url=moto_endpoint)
    assert cdn.list_invalidations(DistributionId=distribution)["InvalidationList"]["Quantity"] == 1

    again = deploy("--bucket", bucket, "--distribution", distribution, "--site", str(release_site), root=checkout)
    assert again.returncode == 0 and "uploaded 0 files, deleted 0" in again.stdout  # nothing changed


def test_deploy_site_refuses_a_build_that_is_not_the_clean_build_of_the_tag(
    checkout, release_site, moto_endpoint, tmp_path
):
    """A page changed after the build (or built from edited sources): nothing is uploaded."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(release_site, site)
    page = site / "gui-phan-anh" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</head>", '<script src="/x.js"></script></head>'))
    manifest = site / "site-manifest.json"  # even with a manifest rewritten to match the change
    text = manifest.read_text(encoding="utf-8")
    old = hashlib.sha256((release_site / "gui-phan-anh" / "index.html").read_bytes()).hexdigest()
    manifest.write_text(text.replace(old, hashlib.sha256(page.read_bytes()).hexdigest()), encoding="utf-8")
    bucket = new_bucket(moto_endpoint)
    refused = deploy("--bucket", bucket, "--site", str(site), root=checkout)
    assert refused.returncode == 1
    assert "gui-phan-anh/index.html: different content" in refused.stderr
    assert f"refusing to publish {site}: it is not a clean build of {TAG}" in refused.stderr
    assert bucket_keys(boto3.client("s3", endpoint_url=moto_endpoint), bucket) == set()


def test_deploy_site_refuses_an_untagged_commit(tmp_path, release_site, moto_endpoint):
    clone = tmp_path / "untagged"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    refused = deploy("--bucket", "b", "--site", str(release_site), root=clone)
    assert refused.returncode == 2 and "has no tag" in refused.stderr


def test_deploy_site_builds_the_tag_for_the_given_api_when_no_folder_is_given(checkout, moto_endpoint, office_key):
    bucket = new_bucket(moto_endpoint)
    result = deploy("--bucket", bucket, "--api-url", API, "--recipients", office_key[1], root=checkout)
    assert result.returncode == 0, result.stdout + result.stderr
    s3 = boto3.client("s3", endpoint_url=moto_endpoint)
    page = s3.get_object(Bucket=bucket, Key="gui-phan-anh/index.html")
    assert f'data-api="{API}"' in page["Body"].read().decode()
    manifest = json.loads(s3.get_object(Bucket=bucket, Key="site-manifest.json")["Body"].read())
    tagged = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", f"{TAG}^{{commit}}"], capture_output=True, text=True
    )
    assert manifest["commit"] == tagged.stdout.strip() and manifest["api_url"] == API


def test_the_guides_release_commands_run_as_written(checkout):
    """Tag (the checkout fixture ran it), build for the real address, compare, summary; then a page
    changed after the build no longer verifies."""
    import shlex

    run = {}
    for line in (BUILD_RELEASE, VERIFY, SUMMARY):
        result = subprocess.run(shlex.split(line), cwd=checkout, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        run[line] = result.stdout
    assert f"site is a clean build of {TAG}" in run[VERIFY]
    manifest = (checkout / "site" / "site-manifest.json").read_bytes()
    assert hashlib.sha256(manifest).hexdigest() in run[SUMMARY]
    assert json.loads(manifest)["site_url"] == SITE_URL
    page = checkout / "site" / "lien-he" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</h1>", b"!</h1>", 1))
    changed = subprocess.run(shlex.split(VERIFY), cwd=checkout, capture_output=True, text=True, timeout=600)
    assert (
        changed.returncode == 1 and "lien-he/index.html: the folder does not match its own manifest" in changed.stderr
    )


def test_deploy_site_refuses_unclear_requests(tmp_path):
    assert "--bucket is required" in deploy("--site", str(tmp_path)).stderr
    mixed = deploy("--bucket", "b", "--site", str(tmp_path), "--api-url", API)
    assert mixed.returncode == 2 and "make no sense" in mixed.stderr
    empty = deploy("--bucket", "b", "--site", str(tmp_path))
    assert empty.returncode != 0 and "no site-manifest.json" in empty.stderr


# ------------------------------------------------------------------------------------------------
# Which keys the portal serves: scripts/check-keys.py against the one-process local server.


@pytest.fixture(scope="session")
def local_site(tmp_path_factory, office_key, second_key) -> Path:
    out = tmp_path_factory.mktemp("local-site") / "site"
    return build(out, "--recipients", f"{office_key[1]},{second_key[1]}")


def check_keys(base: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check-keys.py"), base + "/", *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("served", ["same", "other"])
def test_check_keys_compares_pages_and_the_function(served, local_site, office_key, second_key, tmp_path):
    from intake_function.envelope import fingerprint

    keys = [office_key[1], second_key[1]] if served == "same" else [second_key[1]]
    port = free_port()
    env = {
        "PORT": str(port),
        "INTAKE_STORE": (tmp_path / "store").as_uri(),
        "INTAKE_RECIPIENTS": ",".join(keys),
        "INTAKE_SECRET": TEST_SECRET,
    }
    # ONE_PROCESS, with this Python (the project's) and the site just built.
    command = [sys.executable, *ONE_PROCESS.split()[1:-1], str(local_site)]
    with running(command, env, port) as base:
        result = check_keys(base)
    if served == "same":
        assert result.returncode == 0, result.stdout + result.stderr
        assert fingerprint(office_key[1]) in result.stdout and fingerprint(second_key[1]) in result.stdout
        assert "Khớp" in result.stdout
    else:
        assert result.returncode == 1 and "KHÔNG KHỚP" in result.stderr
