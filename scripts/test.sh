#!/usr/bin/env bash
# The whole suite: lint, then tests on the embedded SQLite, then on PostgreSQL when one is reachable.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
status=0
.venv/bin/ruff check . || status=1
.venv/bin/mypy lianxin || status=1
echo "== tests on SQLite"
LIANXIN_VAR_DIR="$(mktemp -d)" DATABASE_URL="" $PY -m pytest "$@" || status=1
PG_URL="${LIANXIN_TEST_POSTGRES_URL:-}"
if [ -z "$PG_URL" ] && command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  PG_URL="postgres://postgres@127.0.0.1:5432/postgres"
fi
if [ -n "$PG_URL" ]; then
  echo "== tests on PostgreSQL ($PG_URL)"
  # The slow public-data evaluation ran in the SQLite pass; it does not touch the database.
  LIANXIN_VAR_DIR="$(mktemp -d)" DATABASE_URL="$PG_URL" $PY -m pytest -m "not slow" "$@" || status=1
else
  echo "== PostgreSQL not reachable: skipped the PostgreSQL run"
fi
exit $status
