#!/usr/bin/env bash
# Builds the one-folder Linux program dist/cqms-desktop/ (cqms-desktop and cqms, no Python
# needed on the PC) with PyInstaller from packaging/cqms-desktop.spec.
#
#   bash tools/build-linux.sh [--dist DIR] [--work DIR]
#
# PyInstaller goes into its own virtual environment (build/pyinstaller-venv, or $PYI_VENV), not
# into .venv: the build tool is no dependency of the program. Needs the project's .venv (or
# $PYTHON with the program's dependencies) and PyPI once, for PyInstaller.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=dist
WORK=build/pyinstaller
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) DIST=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    *) echo "usage: bash tools/build-linux.sh [--dist DIR] [--work DIR]" >&2; exit 2 ;;
  esac
done
if [ -z "${PYTHON:-}" ] && [ ! -x .venv/bin/python ]; then
  bash tools/setup.sh
fi
PY=${PYTHON:-.venv/bin/python}
VENV=${PYI_VENV:-build/pyinstaller-venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
# The program's dependencies are those installed for $PY (the .venv): a .pth file puts its
# site-packages on the build venv's path, so nothing is downloaded twice. The program itself is
# taken from src/ (the spec's pathex).
site=$("$PY" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
"$VENV/bin/python" -c 'import sys, sysconfig, pathlib
pathlib.Path(sysconfig.get_path("purelib"), "cqms-deps.pth").write_text(sys.argv[1] + "\n")' \
  "$site"
"$VENV/bin/pyinstaller" --version >/dev/null 2>&1 \
  || "$VENV/bin/python" -m pip install -q "pyinstaller>=6.10,<7"
"$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK" \
  packaging/cqms-desktop.spec
echo "built $DIST/cqms-desktop ($(du -sh "$DIST/cqms-desktop" | cut -f1))"
