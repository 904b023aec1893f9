#!/usr/bin/env bash
# Build the portal for its API and data file, and publish it to the site bucket behind CloudFront.
#
#   scripts/deploy-site.sh --bucket NAME [--distribution ID] [--site DIR] [--dry-run]
#                          [build options: --data FILE --api-url URL --site-url URL --recipients KEYS]
#
# --bucket        the site bucket: the stack's output SiteBucketName
# --distribution  the CloudFront distribution to refresh: the stack's output DistributionId
# --site          publish this already built folder instead of building one
# --dry-run       build, then only say what would be uploaded or deleted
# The build options are those of scripts/build-site.sh (defaults: docs/data/portal.yml and its
# api_url, /api/v1, the same origin as the site, which is what infra/template.yaml serves).
#
# Uploads go through scripts/publish_site.py: each file with its content type (.ics as
# text/calendar), pages last, stale files deleted, then one CloudFront invalidation.
# Needs AWS credentials allowed by the stack's SiteDeployPolicy (group SiteDeployGroupName).
set -euo pipefail
here=$PWD
cd "$(dirname "$0")/.."
root=$PWD
absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$here/$1" ;; esac; }

bucket=""
distribution=""
site=""
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
    --data | --site-url | --api-url | --recipients) build_options+=("$1" "$2") ;;
    *) echo "deploy-site: unknown option $1 (see the comment at the top of this script)" >&2; exit 2 ;;
  esac
  shift 2
done
[ -n "$bucket" ] || { echo "deploy-site: --bucket is required (the stack's output SiteBucketName)" >&2; exit 2; }
if [ -n "$site" ] && [ ${#build_options[@]} -gt 0 ]; then
  echo "deploy-site: --site publishes a built folder; build options make no sense with it" >&2; exit 2
fi

if [ -z "$site" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/deploy-site.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  site="$work/site"
  (cd "$here" && "$root/scripts/build-site.sh" --out "$site" "${build_options[@]}")
fi

python=${PYTHON:-$root/.venv/bin/python}
options=(--site "$site" --bucket "$bucket")
[ -n "$distribution" ] && options+=(--distribution "$distribution")
"$python" "$root/scripts/publish_site.py" "${options[@]}" "${dry_run[@]}"
