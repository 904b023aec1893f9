#!/usr/bin/env bash
# Run the whole test suite (after setting everything up). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check --quiet .
# Two workers, one test file each at a time (module fixtures stay in one process): the suite's
# browsers, servers and subprocesses leave a core idle most of the time otherwise.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist loadfile "$@"
