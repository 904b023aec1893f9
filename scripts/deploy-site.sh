#!/usr/bin/env bash
# Publish a release of the portal to the site bucket behind CloudFront: a tagged commit, built
# cleanly, checked byte for byte.
#
#   scripts/deploy-site.sh --bucket NAME [--distribution ID] [--tag TAG] [--site DIR] [--dry-run]
#                          [build options: --data FILE --api-url URL --site-url URL --recipients KEYS]
#
# --bucket        the site bucket: the stack's output SiteBucketName
# --distribution  the CloudFront distribution to refresh: the stack's output DistributionId
# --tag           the release to publish (default: the tag of the checked-out commit); untagged
#                 commits are not published
# --site          publish this already built folder, after checking that it is exactly what a clean
#                 build of the tag writes (its site-manifest.json names the inputs; --data gives the
#                 data file when it is not the tag's docs/data/portal.yml)
# --dry-run       build and check, then only say what would be uploaded or deleted
# Without --site the tag is built from the repository's own copy of it (never from the working
# folder): python -m portal_site.release rebuild. The build options are those of
# scripts/build-site.sh (defaults: the tag's docs/data/portal.yml and its api_url, /api/v1, the
# same origin as the site, which is what infra/template.yaml serves).
#
# Uploads go through scripts/publish_site.py: each file with its content type (.ics as
# text/calendar), pages last, stale files deleted, then one CloudFront invalidation. The release
# manifest (site-manifest.json) is published too; give it to the Office, whose
# `office check-site` compares the live site with it every day.
# Needs AWS credentials allowed by the stack's SiteDeployPolicy (group SiteDeployGroupName).
set -euo pipefail
here=$PWD
cd "$(dirname "$0")/.."
root=$PWD
absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$here/$1" ;; esac; }

bucket=""
distribution=""
tag=""
site=""
data=()
dry_run=()
build_options=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=(--dry-run); shift; continue ;;
  esac
  [ $# -ge 2 ] || { echo "deploy-site: $1 needs a value" >&2; exit 2; }
  case "$1" in
    --bucket) bucket=$2 ;;
    --distribution) distribution=$2 ;;
    --site) site=$(absolute "$2") ;;
    --tag) tag=$2 ;;
    --data) data=(--data "$(absolute "$2")") ;;
    --site-url | --api-url | --recipients) build_options+=("$1" "$2") ;;
    *) echo "deploy-site: unknown option $1 (see the comment at the top of this script)" >&2; exit 2 ;;
  esac
  shift 2
done
[ -n "$bucket" ] || { echo "deploy-site: --bucket is required (the stack's output SiteBucketName)" >&2; exit 2; }
if [ -n "$site" ] && [ ${#build_options[@]} -gt 0 ]; then
  echo "deploy-site: --site publishes a built folder; build options make no sense with it" >&2; exit 2
fi
if [ -n "$site" ] && [ ! -f "$site/site-manifest.json" ]; then
  echo "deploy-site: $site has no site-manifest.json: build it with scripts/build-site.sh" >&2; exit 2
fi
if [ -z "$tag" ]; then
  tag=$(git -C "$root" describe --exact-match --tags HEAD 2>/dev/null) || {
    echo "deploy-site: the checked-out commit has no tag: only a tagged commit is released." >&2
    echo "  Tag it (git tag -a site-$(date +%Y-%m-%d) -m \"...\") or name one with --tag." >&2
    exit 2
  }
fi
git -C "$root" rev-parse --verify --quiet "$tag^{commit}" >/dev/null ||
  { echo "deploy-site: no tag or commit $tag in $root" >&2; exit 2; }

python=${PYTHON:-$root/.venv/bin/python}
if [ -z "$site" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/deploy-site.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  site="$work/site"
  (cd "$root" && "$python" -m portal_site.release rebuild "$tag" --out "$site" "${data[@]}" "${build_options[@]}")
else
  # Refuse any folder that is not byte for byte what a clean build of the tag writes.
  (cd "$root" && "$python" -m portal_site.release verify "$site" --commit "$tag" "${data[@]}") ||
    { echo "deploy-site: refusing to publish $site: it is not a clean build of $tag" >&2; exit 1; }
fi

options=(--site "$site" --bucket "$bucket")
[ -n "$distribution" ] && options+=(--distribution "$distribution")
"$python" "$root/scripts/publish_site.py" "${options[@]}" "${dry_run[@]}"
(cd "$root" && "$python" -m portal_site.release summary "$site")
