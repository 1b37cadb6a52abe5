#!/usr/bin/env bash
# Set everything up, then run the lint and the whole test suite (SQLite, PostgreSQL, MariaDB,
# GUI offscreen). With CI=true the server-backend tests fail instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --for-tests
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
