"""Upload a built site to its S3 bucket with the right content types, then refresh CloudFront.

    python scripts/publish_site.py --site DIR --bucket NAME [--distribution ID] [--dry-run]

Usually run through ``scripts/deploy-site.sh``. Every file gets an explicit Content-Type (never
S3's guess): ``.ics`` is ``text/calendar; charset=utf-8``, so phones offer to add the schedule
to the calendar; pages, styles and scripts are UTF-8. Unchanged files (same MD5 as the object's
ETag) are not sent again; pages go last, so a page never links to a file not uploaded yet; files
no longer in the site are deleted from the bucket last of all. Credentials and region are
boto3's usual ones (``AWS_PROFILE``, ``AWS_REGION``...); ``AWS_ENDPOINT_URL_S3`` and
``AWS_ENDPOINT_URL_CLOUDFRONT`` point it elsewhere (the tests use a local S3 server).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

# Explicit types for everything MkDocs, Material and web/build.mjs produce.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".map": "application/json",
    ".json": "application/json",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".txt": "text/plain; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".webmanifest": "application/manifest+json",
}
# Pages and data change with each publication; CloudFront is invalidated anyway.
SHORT_LIVED = {".html", ".ics", ".json", ".xml", ".gz", ".txt"}


def content_type(path: Path) -> str:
    try:
        return CONTENT_TYPES[path.suffix.lower()]
    except KeyError:
        raise SystemExit(f"publish-site: no content type is known for {path.name}; add it to CONTENT_TYPES") from None


def cache_control(path: Path) -> str:
    return "public, max-age=300" if path.suffix.lower() in SHORT_LIVED else "public, max-age=86400"


def plan(site: Path, remote: dict[str, str]) -> tuple[list[tuple[str, Path]], list[str]]:
    """(files to upload, pages last; keys to delete), given the bucket's keys and ETags."""
    local = {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}
    changed = [
        (key, path)
        for key, path in local.items()
        if remote.get(key) != hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
    ]
    changed.sort(key=lambda item: (item[1].suffix == ".html", item[0]))
    return changed, sorted(set(remote) - set(local))


def publish(site: Path, bucket: str, distribution: str | None = None, dry_run: bool = False, s3=None, cdn=None) -> dict:
    import boto3

    if not (site / "index.html").is_file():
        raise SystemExit(f"publish-site: {site} has no index.html: build the site first (scripts/build-site.sh)")
    for path in site.rglob("*"):
        if path.is_file():
            content_type(path)  # fail before uploading anything
    s3 = s3 or boto3.client("s3")
    remote = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            remote[item["Key"]] = item["ETag"].strip('"')
    uploads, deletions = plan(site, remote)
    if not dry_run:
        for key, path in uploads:
            s3.put_object(
                Bucket=bucket,
                Key=key,
                Body=path.read_bytes(),
                ContentType=content_type(path),
                CacheControl=cache_control(path),
            )
        for start in range(0, len(deletions), 1000):
            chunk = deletions[start : start + 1000]
            s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True})
    invalidation = None
    if distribution and not dry_run and (uploads or deletions):
        cdn = cdn or boto3.client("cloudfront")
        answer = cdn.create_invalidation(
            DistributionId=distribution,
            InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time_ns())},
        )
        invalidation = answer["Invalidation"]["Id"]
    return {"uploaded": [k for k, _ in uploads], "deleted": deletions, "invalidation": invalidation}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="publish_site.py", description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="the built site folder")
    parser.add_argument("--bucket", required=True, help="the site bucket (stack output SiteBucketName)")
    parser.add_argument("--distribution", help="the CloudFront distribution to refresh (output DistributionId)")
    parser.add_argument("--dry-run", action="store_true", help="only say what would change")
    args = parser.parse_args(argv)
    result = publish(args.site, args.bucket, args.distribution, args.dry_run)
    verb = "would upload" if args.dry_run else "uploaded"
    print(
        f"publish-site: {verb} {len(result['uploaded'])} files, deleted {len(result['deleted'])} to s3://{args.bucket}"
    )
    if result["invalidation"]:
        print(f"publish-site: CloudFront invalidation {result['invalidation']} started (a few minutes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
