#!/usr/bin/env bash
# Build the static portal, both languages, with `mkdocs build --strict` (any warning fails).
#   scripts/build-site.sh [--out DIR] [--recipients age1...,age1...] [--data FILE] [--api-url URL]
#                         [--site-url URL]
# --out          where the site goes (default: site); its old content is replaced
# --recipients   the Office's public keys for this build, instead of those in the data file
#                (the local run passes its demo key this way)              -> PORTAL_RECIPIENTS
# --data         another data file instead of docs/data/portal.yml         -> PORTAL_DATA
# --api-url      the intake API's URL instead of the data file's          -> PORTAL_API_URL
# --site-url     the site's public address, e.g. https://portal.example.gov.vn/, for canonical
#                links and the sitemap (without it the sitemap is empty)  -> PORTAL_SITE_URL
# Relative paths are taken from the directory the command is run in.
#
# The build is reproducible: the same commit and data file give the same bytes, in any folder, on
# any machine, at any time. Every date in it is the commit's (SOURCE_DATE_EPOCH); the last step
# adds Subresource Integrity to the pages and writes site-manifest.json, every file with its
# SHA-256 (python -m portal_site.release seal). Outside a git checkout, set PORTAL_COMMIT and
# SOURCE_DATE_EPOCH (python -m portal_site.release rebuild does).
set -euo pipefail
here=$PWD
cd "$(dirname "$0")/.."
root=$PWD

absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$here/$1" ;; esac; }

out="$root/site"
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "build-site: $1 needs a value" >&2; exit 2; }
  case "$1" in
    --out) out=$(absolute "$2") ;;
    --recipients) export PORTAL_RECIPIENTS=$2 ;;
    --data) PORTAL_DATA=$(absolute "$2"); export PORTAL_DATA ;;
    --api-url) export PORTAL_API_URL=$2 ;;
    --site-url) export PORTAL_SITE_URL=$2 ;;
    *) echo "build-site: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done

# mkdocs empties the output folder first: never let that be the repository or one of its sources.
mkdir -p "$(dirname "$out")"
case "$(cd "$(dirname "$out")" && pwd -P)/$(basename "$out")" in
  "$root" | "$root/docs" | "$root/overrides" | "$root/portal_site" | / )
    echo "build-site: refusing to build into $out" >&2; exit 2 ;;
esac

if [ -z "${PORTAL_COMMIT:-}" ]; then
  PORTAL_COMMIT=$(git -C "$root" rev-parse --verify HEAD 2>/dev/null) ||
    { echo "build-site: not a git checkout: set PORTAL_COMMIT and SOURCE_DATE_EPOCH" >&2; exit 2; }
  if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    echo "build-site: note: the working tree has changes not in ${PORTAL_COMMIT:0:12}; this build is not that commit's" >&2
  fi
fi
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct "$PORTAL_COMMIT")
fi
export PORTAL_COMMIT SOURCE_DATE_EPOCH
# Nothing of the machine may leak into the output: hash order, time zone, locale.
export PYTHONHASHSEED=0 TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
export NO_MKDOCS_2_WARNING=1
python=${PYTHON:-$root/.venv/bin/python}
meta=$(mktemp "${TMPDIR:-/tmp}/esbuild-meta.XXXXXX")
trap 'rm -f "$meta"' EXIT
"$python" -m mkdocs build --strict --clean --config-file "$root/mkdocs.yml" --site-dir "$out"
# The browser code (encryption, proof-of-work, receipt codes), bundled by esbuild into the site.
(cd "$root/web" && node build.mjs "$out" "$meta")
# Integrity on every script and stylesheet, then the release manifest.
(cd "$root" && "$python" -m portal_site.release seal "$out" --esbuild-meta "$meta")
