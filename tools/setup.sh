#!/usr/bin/env bash
# Sets up everything CQMS Desktop needs on a Debian/Ubuntu machine: the system libraries Qt and
# the PDF checks use, a virtual environment in .venv, and the program with its test tools.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# Qt's xcb/offscreen platforms, fonts for Chinese on screen, poppler (pdftotext/pdffonts for
# the form tests) and python3-venv.
APT_PACKAGES="python3-venv python3-pip libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libglib2.0-0 \
fonts-wqy-microhei poppler-utils"
if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $APT_PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "Installing system packages:$missing"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
  fi
fi

# For the tests only (tools/test.sh passes --for-tests): LibreOffice Calc proves that a
# spreadsheet program opens our workbooks without repair.
if [ "${1:-}" = "--for-tests" ] && command -v apt-get >/dev/null 2>&1 \
    && ! command -v soffice >/dev/null 2>&1; then
  echo "Installing LibreOffice Calc for the workbook tests"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    libreoffice-calc
fi

# For the tests only: NSIS builds the Windows installer and Wine (64-bit only: the installer and
# the bundled Python are 64-bit) runs it (tests/test_windows_installer.py).
if [ "${1:-}" = "--for-tests" ] && command -v apt-get >/dev/null 2>&1 \
    && ! { command -v makensis && command -v wine; } >/dev/null 2>&1; then
  echo "Installing NSIS and Wine for the Windows installer test"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    nsis wine wine64
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
