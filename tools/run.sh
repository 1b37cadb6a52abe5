#!/usr/bin/env bash
# Set everything up, then open CQMS Desktop (on its default SQLite database unless --db,
# CQMS_DB or the preset for this PC says otherwise). Extra arguments go to the program.
# Once set up, tools/setup.sh checks in a few milliseconds without the network.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec .venv/bin/cqms-desktop "$@"
