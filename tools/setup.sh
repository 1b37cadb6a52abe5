#!/usr/bin/env bash
# Sets up everything CQMS Desktop needs on a Debian/Ubuntu machine: the system libraries Qt and
# the PDF checks use, a virtual environment in .venv, and the program with its test tools.
#
#   bash tools/setup.sh              # what tools/run.sh needs (and pytest, ruff)
#   bash tools/setup.sh --for-tests  # also LibreOffice, NSIS and Wine (tools/test.sh, CI)
#
# Safe and fast to run again (tools/run.sh runs it before every start): it touches neither the
# network nor pip when nothing is missing and pyproject.toml has not changed since the last
# install (a stamp in .venv holds pyproject.toml's hash). Without root and without sudo it
# prints the apt-get line to run instead of failing.
set -euo pipefail
cd "$(dirname "$0")/.."

FOR_TESTS=0
if [ "${1:-}" = "--for-tests" ]; then FOR_TESTS=1; fi

SUDO=""
CAN_INSTALL=1
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else CAN_INSTALL=0; fi
fi

# installed_debs NAME…: prints the names among NAME… that are installed. A name also counts
# as installed under its "t64" rename (Debian 13 / Ubuntu 24.04: libglib2.0-0 became
# libglib2.0-0t64), so the check does not fail — and reinstall — on every start there.
installed_debs() {
  local args=() p
  for p in "$@"; do args+=("$p" "${p}t64"); done
  dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${args[@]}" 2>/dev/null \
    | awk '$2 == "installed" { sub(/t64$/, "", $1); print $1 }' || true
}

# apt_install REASON NAME…: installs the Debian packages among NAME… that are missing (under
# their t64 name where the distribution renamed them); without root or sudo, says what to run.
APT_UPDATED=0
apt_install() {
  local reason=$1 p missing=() names=()
  shift
  command -v dpkg-query >/dev/null 2>&1 || return 0  # not Debian/Ubuntu: nothing to check
  local have
  have=" $(installed_debs "$@" | tr '\n' ' ') "
  for p in "$@"; do
    case "$have" in *" $p "*) ;; *) missing+=("$p") ;; esac
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$CAN_INSTALL" = 0 ]; then
    echo "CQMS Desktop needs these system packages ($reason). Please run as root:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    echo "(on Debian 13 / Ubuntu 24.04 a name may end in t64, e.g. libglib2.0-0t64)" >&2
    return 0
  fi
  if [ "$APT_UPDATED" = 0 ]; then
    $SUDO apt-get update -q
    APT_UPDATED=1
  fi
  for p in "${missing[@]}"; do
    if apt-cache show "${p}t64" >/dev/null 2>&1; then names+=("${p}t64"); else names+=("$p"); fi
  done
  echo "Installing system packages ($reason): ${names[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${names[@]}"
}

# Qt's xcb/offscreen platforms, fonts for Chinese on screen, poppler (pdftotext/pdffonts for
# the form tests).
apt_install "Qt, fonts, PDF tools" libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
  libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
  libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libglib2.0-0 \
  fonts-wqy-microhei poppler-utils

if [ "$FOR_TESTS" = 1 ]; then
  # LibreOffice Calc proves that a spreadsheet program opens our workbooks without repair.
  command -v soffice >/dev/null 2>&1 || apt_install "workbook tests" libreoffice-calc
  # NSIS builds the Windows installer and Wine (64-bit only: the installer and the bundled
  # Python are 64-bit) runs it (tests/test_windows_installer.py).
  { command -v makensis && command -v wine; } >/dev/null 2>&1 \
    || apt_install "Windows installer test" nsis wine wine64
fi

# Python 3.11 or newer (the program's requires-python).
py_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }
if [ ! -x .venv/bin/python ] || ! py_ok .venv/bin/python; then
  PY=${PYTHON:-}
  if [ -z "$PY" ]; then
    for candidate in python3 python3.13 python3.12 python3.11; do
      if command -v "$candidate" >/dev/null 2>&1 && py_ok "$candidate"; then
        PY=$candidate
        break
      fi
    done
  fi
  if [ -z "$PY" ] || ! py_ok "$PY"; then
    found=$("${PY:-python3}" --version 2>&1 || echo "no ${PY:-python3}")
    cat >&2 <<EOF
CQMS Desktop needs Python 3.11 or newer; this system has: $found.
- Debian 12 / 13, Ubuntu 24.04: apt-get install python3 python3-venv
- Ubuntu 22.04 (Python 3.10): install Python 3.11 from the deadsnakes archive, then set up with it:
    sudo apt-get install software-properties-common
    sudo add-apt-repository ppa:deadsnakes/ppa
    sudo apt-get install python3.11 python3.11-venv
    PYTHON=python3.11 bash tools/setup.sh
EOF
    exit 1
  fi
  if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    version=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "virtual environments" "python${version}-venv"
  fi
  rm -rf .venv
  "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi

# The program itself: only when it is not installed yet or pyproject.toml changed (its
# dependencies or entry points). The install is editable, so source changes need no reinstall.
STAMP=.venv/.cqms-setup
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$want" ] || [ ! -x .venv/bin/cqms-desktop ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
  echo "$want" > "$STAMP"
fi
