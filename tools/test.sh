#!/usr/bin/env bash
# Set everything up, then run the lint and the whole test suite (SQLite, PostgreSQL, MariaDB,
# GUI offscreen), in a random order (pytest-randomly prints the seed to repeat it with
# -p randomly_seed=N). With CI=true the server-backend tests fail instead of skipping, and the
# suite runs twice more with the clock at the turn of the year (31 December 23:30 UTC, which is
# already 1 January in China, and 1 January 00:30 UTC), so that no test depends on the day it
# runs: the last and first day of a month and of a year (without the slow packaging tests, which
# build and install the program once in the first run, nor the type and import-contract checks,
# which do not depend on the day).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --for-tests
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m pytest -p randomly "$@"
if [ "${CI:-}" = "true" ]; then
  year=$(.venv/bin/python -c 'from cqms_desktop.domain import clock; print(clock.today().year)')
  for instant in "${year}-12-31T23:30" "$((year + 1))-01-01T00:30"; do
    echo "== the suite again with the clock at ${instant} UTC"
    CQMS_TEST_NOW="$instant" .venv/bin/python -m pytest -p randomly -q -m "not packaging and not static" "$@"
  done
fi
