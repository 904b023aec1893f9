#!/usr/bin/env bash
# Run the benchmarks; each prints its figure and the ratio against a floor measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh bench
.venv/bin/python -m bench.backbone
.venv/bin/python -m bench.flood
.venv/bin/python -m bench.site_sizes
.venv/bin/python -m bench.browser
.venv/bin/python -m bench.desk
.venv/bin/python -m bench.desk_window
.venv/bin/python -m bench.bombs
.venv/bin/python -m bench.site_check
.venv/bin/python -m bench.phone
