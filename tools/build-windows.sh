#!/usr/bin/env bash
# Builds the Windows installer dist/CQMS-Desktop-<version>-setup.exe on this Linux machine from
# the program's wheel, the Windows CPython embeddable distribution and Windows wheels from PyPI,
# with Debian's NSIS (see packaging/WINDOWS.md). Extra arguments go to packaging/windows/build.py
# (--wheel FILE uses a wheel already built).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v makensis >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nsis
  else
    echo "makensis is missing: install NSIS first (sudo apt-get install nsis)" >&2
    exit 1
  fi
fi
# The build needs CPython 3.11 with pip (the .pyc files are for the bundled Python 3.11): the
# project's .venv, made by tools/setup.sh, unless PYTHON names another one.
if [ -z "${PYTHON:-}" ] && [ ! -x .venv/bin/python ]; then
  bash tools/setup.sh
fi
exec "${PYTHON:-.venv/bin/python}" packaging/windows/build.py "$@"
