#!/usr/bin/env bash
# Set everything up, then open CQMS Desktop (on its default SQLite database unless --db or
# CQMS_DB says otherwise). Extra arguments go to the program.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec .venv/bin/cqms-desktop "$@"
