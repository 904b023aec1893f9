#!/usr/bin/env bash
# Set up everything this project needs on a fresh Debian machine. Idempotent: a second run
# only checks, and reinstalls Python or npm packages when their pins have changed.
#
#   scripts/setup.sh run    what running the portal needs (Python packages, browser code)
#   scripts/setup.sh bench  test's, plus Lighthouse for bench.phone (bench/lighthouse/package-lock.json)
#   scripts/setup.sh test   that, plus the tools the tests drive: age, Chromium, ChromeDriver, exiftool,
#                           nginx (the on-premises guide's example, run in front of the function)
#                           LibreOffice Writer and poppler (the half-year report rendered to PDF, page by
#                           page) and Liberation Serif 2 (metric-compatible with Times New Roman, free to ship)
#                           faketime (the reproducible build is built again under another clock)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

debian_packages=()
if [ "$mode" = test ] || [ "$mode" = bench ]; then
  debian_packages=(age chromium chromium-driver libimage-exiftool-perl nginx faketime
    libreoffice-writer-nogui poppler-utils fonts-liberation2)
fi
missing=()
for pkg in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages (as root): apt-get install ${missing[*]}" >&2
    [ "$mode" != run ] && [ "${CI:-}" = true ] && exit 1
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating the virtual environment .venv"
  "$python" -m venv .venv
fi
stamp=.venv/.installed
want="$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages (pinned by requirements.lock)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check \
    -c requirements.lock -e ".[lambda,server,office,site,dev]"
  echo "$want" > "$stamp"
fi

if [ -f web/package-lock.json ]; then
  web_stamp=web/node_modules/.installed
  web_want="$(sha256sum web/package-lock.json | cut -c1-16)"
  if [ "$(cat "$web_stamp" 2>/dev/null)" != "$web_want" ]; then
    command -v npm >/dev/null || { echo "setup: npm is missing (apt-get install nodejs npm)" >&2; exit 1; }
    echo "setup: installing browser packages (web/package-lock.json)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    echo "$web_want" > "$web_stamp"
  fi
fi

# Lighthouse (about 110 MB) only for the benchmarks, never for the tests or the site.
if [ "$mode" = bench ]; then
  bench_stamp=bench/lighthouse/node_modules/.installed
  bench_want="$(sha256sum bench/lighthouse/package-lock.json | cut -c1-16)"
  if [ "$(cat "$bench_stamp" 2>/dev/null)" != "$bench_want" ]; then
    echo "setup: installing Lighthouse for the benchmarks (bench/lighthouse/package-lock.json)"
    (cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error)
    echo "$bench_want" > "$bench_stamp"
  fi
fi
