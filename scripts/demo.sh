#!/usr/bin/env bash
# Builds the demo city 海川市 and serves it on http://127.0.0.1:8000 — on a fresh Debian machine with python3.
# Options go to `leitai demo` (e.g. --port 8080, --reset, --no-serve); data lives in ./leitai-data
# unless LEITAI_DATA_DIR says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    # Debian ships venv support separately.
    rm -rf .venv
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv .venv
  fi
fi
# Install (again) when the package is missing or its metadata changed since the last install.
if [ ! -x .venv/bin/leitai ] || [ ! -f .venv/.leitai-installed ] || [ pyproject.toml -nt .venv/.leitai-installed ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e .
  touch .venv/.leitai-installed
fi
exec .venv/bin/leitai demo "$@"
