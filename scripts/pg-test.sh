#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1:5433 for the store and web tests (as root).
#   eval "$(bash scripts/pg-test.sh start)"   # prints: export TEST_DATABASE_URL=…
#   bash scripts/pg-test.sh stop
# PGTEST_DIR (default /tmp/pgci) and PGTEST_PORT (default 5433) may be overridden.
set -euo pipefail
dir=${PGTEST_DIR:-/tmp/pgci}
port=${PGTEST_PORT:-5433}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2
  exit 1
fi
as_pg() { if [ "$(id -un)" = postgres ]; then bash -c "$1"; else su postgres -c "$1"; fi; }
url="postgresql+psycopg://postgres@127.0.0.1:${port}/budget_test"

case "${1:-}" in
  start)
    if [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl -D $dir/data status" >/dev/null 2>&1; then
      echo "export TEST_DATABASE_URL=$url"
      exit 0
    fi
    rm -rf "$dir"
    install -d -o postgres -g postgres "$dir"
    as_pg "$bin/initdb -D $dir/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    as_pg "$bin/pg_ctl -D $dir/data -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off' \
      -l $dir/server.log -w start" >/dev/null
    as_pg "psql -h 127.0.0.1 -p $port -U postgres -qc 'CREATE DATABASE budget_test'" >/dev/null
    echo "export TEST_DATABASE_URL=$url"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_pg "$bin/pg_ctl -D $dir/data -m fast -w stop" >/dev/null 2>&1 || true
      rm -rf "$dir"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
