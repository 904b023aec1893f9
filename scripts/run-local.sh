#!/usr/bin/env bash
# Run the whole portal on this machine: the site, the intake function and a folder store,
# on http://127.0.0.1:${PORT:-8000}/ only. A demo Office key is made on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
mkdir -p var
identity=var/demo-office-identity.txt
if [ ! -f "$identity" ]; then
  .venv/bin/office keygen --no-passphrase --out "$identity" >/dev/null
  echo "run-local: made a DEMO Office key in $identity (for trying the portal only)"
fi
recipient=$(grep -o 'age1[0-9a-z]*' "$identity" | head -n 1)
export INTAKE_RECIPIENTS="$recipient"
export INTAKE_STORE="file://$PWD/var/store"
scripts/build-site.sh --out var/site --recipients "$recipient" >/dev/null
echo "run-local: reports are stored encrypted under var/store; read them with:"
echo "  .venv/bin/office pull --init --recipients ${identity%.txt}.pub --store $INTAKE_STORE --identity $identity --data var/office"
exec .venv/bin/python -m intake_function --site var/site
