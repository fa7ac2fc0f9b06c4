#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it: lint, then pytest against SQLite and,
# where this machine can start one, a throwaway PostgreSQL cluster (stopped afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

"$VENV/bin/ruff" check deptbudget tests benchmarks scripts

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if [ "$(id -u)" = 0 ] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    eval "$(bash scripts/pg-test.sh start)"
    trap 'bash scripts/pg-test.sh stop' EXIT
    echo "PostgreSQL test cluster: $TEST_DATABASE_URL"
  else
    echo "注意：未启动 PostgreSQL，数据库测试只在 SQLite 上运行 (PostgreSQL not started: not root or not installed)" >&2
  fi
fi
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-}
"$VENV/bin/python" -m pytest "$@"
