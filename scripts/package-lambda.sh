#!/usr/bin/env bash
# Build the AWS Lambda zip of the intake function from pinned requirements.
#
#   scripts/package-lambda.sh [--arch arm64|x86_64] [--python-version 3.12] [--out DIR]
#                             [--budget-mib N] [--without-boto3] [--recipients FILE]
#
# --arch            the function's architecture (default arm64, as in infra/template.yaml)
# --python-version  the Lambda runtime's Python (default 3.12: runtime python3.12)
# --out             where the zip goes (default dist): DIR/intake-function.zip, which is the
#                   CodeUri of infra/template.yaml
# --budget-mib      fail when the unzipped size passes this many MiB (default 48 with boto3,
#                   24 without; measured for arm64: 41.6 and 18.9 MiB unzipped, 22.7 and 6.0 MiB
#                   zipped, of which cryptography, for the hybrid post-quantum envelopes, is about 13)
# --without-boto3   leave boto3/botocore out and rely on the runtime's copy (not recommended:
#                   see infra/requirements-lambda.txt)
# --recipients      the Office's recipients file (one public key a line, the primary first), put in
#                   the zip as office-recipients.txt: the template's OfficeRecipients then names that
#                   file. Needed for hybrid keys (age1pq1..., 1,959 characters each): Lambda keeps a
#                   function's whole environment in 4 KB, less than two of them.
#
# The packages are the binary wheels for the Lambda platform (manylinux, glibc of the runtime's
# Amazon Linux), installed with --no-deps from infra/requirements-lambda.txt, where every
# package is pinned. Then intake_function/ (with its schemas and templates) is copied beside
# them, and the zip is written with sorted entries and fixed dates, so the same inputs give the
# same bytes. Needs network access to PyPI (or a pip cache that holds the wheels).
set -euo pipefail
here=$PWD
cd "$(dirname "$0")/.."
root=$PWD

absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$here/$1" ;; esac; }
fail() { echo "package-lambda: $*" >&2; exit 1; }

arch=arm64
pyver=3.12
out="$root/dist"
recipients_file=
budget_mib=
with_boto3=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --without-boto3) with_boto3=no; shift; continue ;;
  esac
  [ $# -ge 2 ] || { echo "package-lambda: $1 needs a value" >&2; exit 2; }
  case "$1" in
    --arch) arch=$2 ;;
    --python-version) pyver=$2 ;;
    --out) out=$(absolute "$2") ;;
    --budget-mib) budget_mib=$2 ;;
    --recipients) recipients_file=$(absolute "$2") ;;
    *) echo "package-lambda: unknown option $1 (see the comment at the top of this script)" >&2; exit 2 ;;
  esac
  shift 2
done

case "$arch" in
  arm64 | aarch64) arch=arm64; machine=aarch64 ;;
  x86_64 | amd64) arch=x86_64; machine=x86_64 ;;
  *) echo "package-lambda: --arch must be arm64 or x86_64, not $arch" >&2; exit 2 ;;
esac
# The C library of the runtime's operating system bounds the wheels it can load:
# python3.12 and later run on Amazon Linux 2023 (glibc 2.34), python3.11 on Amazon Linux 2 (2.26).
case "$pyver" in
  3.11) glibc=26 ;;
  3.12 | 3.13 | 3.14) glibc=34 ;;
  *) echo "package-lambda: --python-version must be 3.11 to 3.14, not $pyver" >&2; exit 2 ;;
esac
[ -n "$budget_mib" ] || { [ "$with_boto3" = yes ] && budget_mib=48 || budget_mib=24; }
[[ "$budget_mib" =~ ^[0-9]+$ ]] || { echo "package-lambda: --budget-mib must be a whole number" >&2; exit 2; }
# pip takes each accepted platform tag by name: every manylinux level up to the runtime's glibc.
platforms=(--platform "manylinux2014_$machine")
for minor in $(seq 17 "$glibc"); do platforms+=(--platform "manylinux_2_${minor}_$machine"); done

python=${PYTHON:-$root/.venv/bin/python}
[ -x "$python" ] || command -v "$python" >/dev/null || fail "no Python at $python (run scripts/setup.sh, or set PYTHON)"
requirements="$root/infra/requirements-lambda.txt"
[ -f "$requirements" ] || fail "missing $requirements"

if [ -n "$recipients_file" ]; then
  # Checked as the function will read it (valid keys, one kind), before anything is written.
  "$python" - "$recipients_file" <<'PY' || exit 1
import sys
from intake_function import config
try:
    config.from_env({"INTAKE_STORE": "file:///tmp/x", "INTAKE_RECIPIENTS": sys.argv[1], "INTAKE_SECRET": "x" * 40})
except config.ConfigError as exc:
    sys.exit(f"package-lambda: {exc}")
PY
fi

build=$(mktemp -d "${TMPDIR:-/tmp}/package-lambda.XXXXXX")
trap 'rm -rf "$build"' EXIT
mkdir -p "$build/package"

wanted="$build/requirements.txt"
if [ "$with_boto3" = yes ]; then
  grep -vE '^\s*(#|$)' "$requirements" > "$wanted"
else
  # Everything above the S3 block (boto3 and its own dependencies) of the requirements file.
  sed '/^# S3 (intake_function\/store_s3.py)/,$d' "$requirements" | grep -vE '^\s*(#|$)' > "$wanted"
fi

echo "package-lambda: installing $(wc -l < "$wanted") pinned packages for python$pyver on $arch (manylinux, glibc 2.$glibc or older)"
"$python" -m pip install --quiet --disable-pip-version-check --no-compile --no-deps \
  --only-binary=:all: --implementation cp --python-version "$pyver" \
  "${platforms[@]}" \
  --target "$build/package" -r "$wanted" \
  || fail "pip could not install the pinned wheels (is PyPI reachable? does every package have a wheel for $machine?)"

# Console scripts pip wrote for the target are of no use in Lambda.
rm -rf "$build/package/bin"

# The function itself, with its schemas, templates and OpenAPI document; no caches.
(cd "$root" && tar -cf - --exclude='__pycache__' --exclude='*.pyc' intake_function) | (cd "$build/package" && tar -xf -)

[ -z "$recipients_file" ] || cp "$recipients_file" "$build/package/office-recipients.txt"

cat > "$build/package/BUILD-INFO.txt" <<EOF
intake function for AWS Lambda
architecture: $arch
python: $pyver (wheels for manylinux, glibc 2.$glibc or older, $machine)
boto3 included: $with_boto3
recipients file: $([ -n "$recipients_file" ] && echo "office-recipients.txt (INTAKE_RECIPIENTS=office-recipients.txt)" || echo none)
requirements sha256: $(sha256sum "$wanted" | cut -d' ' -f1)
handler: intake_function.lambda_handler.handler
EOF

mkdir -p "$out"
zip="$out/intake-function.zip"
"$python" - "$build/package" "$zip" "$budget_mib" <<'PY'
"""Write the zip reproducibly (sorted entries, fixed dates, fixed modes) and check the budget."""
import os
import sys
import zipfile
from pathlib import Path

source, target, budget_mib = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
files = sorted(p for p in source.rglob("*") if p.is_file())
unzipped = sum(p.stat().st_size for p in files)
partial = target.with_suffix(".zip.part")
with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for path in files:
        info = zipfile.ZipInfo(path.relative_to(source).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = (0o100755 if os.access(path, os.X_OK) else 0o100644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, path.read_bytes(), compresslevel=9)
mib = 1024 * 1024
print(
    f"package-lambda: {target} ({len(files)} files): {partial.stat().st_size / mib:.1f} MiB zipped, "
    f"{unzipped / mib:.1f} MiB unzipped (budget {budget_mib} MiB unzipped; Lambda allows 250)"
)
if unzipped > budget_mib * mib:
    partial.unlink()
    print(f"package-lambda: over the budget of {budget_mib} MiB unzipped: no zip written", file=sys.stderr)
    sys.exit(1)
os.replace(partial, target)
PY
