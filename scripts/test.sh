#!/usr/bin/env bash
# Installs everything the test suite needs, then runs it: checks, then the suite on SQLite, then on
# PostgreSQL (127.0.0.1:5432, database `test`), browser tests included. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# System packages for browser tests (Debian's Chromium and a CJK font; never `playwright install`).
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi

# Python environment.
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'
PY=.venv/bin/python
export PATH="$ROOT/.venv/bin:$PATH"
export LEITAI_DATA_DIR="${LEITAI_DATA_DIR:-$(mktemp -d)}"
export LEITAI_SECRET_KEY="test-secret-key-not-for-production"
# Test servers (live_server threads) must not keep database connections open past a test.
export LEITAI_DB_CONN_MAX_AGE=0

# PostgreSQL and Redis: start them if they are down.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 20); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.5; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
fi

echo "== checks: ruff, import contracts (core imports no Django; layers), mypy (core, live), migrations, translations"
ruff check src tests bench
lint-imports
mypy
DATABASE_URL= leitai manage makemigrations --check --dry-run >/dev/null
$PY -m leitai.i18n_check

# Tests run in parallel (pytest-xdist), one worker more than there are cores: browser tests and servers in
# subprocesses spend much of their time waiting. Each worker has its own test database; an idle worker takes
# queued tests from a busy one (worksteal), so the long browser tests do not leave the end of a run to one core.
WORKERS="${LEITAI_TEST_WORKERS:-$(( $(nproc) + 1 ))}"
set -- --dist worksteal "$@"

# On SQLite each worker's test database is built straight from the models (--nomigrations): the migrations hold
# no data or SQL of their own, and `makemigrations --check` above proves they match the models. They still run
# in full on PostgreSQL below, and on SQLite for every browser test's own server.
echo "== tests on SQLite"
DATABASE_URL= $PY -m pytest -n "$WORKERS" --nomigrations "$@"

# The PostgreSQL pass runs the tests that reach the test database; the others (the pure core, the spreadsheet
# reader, servers in subprocesses on their own SQLite file) do the same whatever the engine (tests/conftest.py).
echo "== tests on PostgreSQL (the tests that use the database)"
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not reachable on 127.0.0.1:5432"; exit 1; }
DATABASE_URL="postgres://postgres@127.0.0.1:5432/test" $PY -m pytest -n "$WORKERS" --db-tests-only "$@"
