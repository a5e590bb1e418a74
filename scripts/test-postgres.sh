#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL server on loopback for the test suite.
#   scripts/test-postgres.sh start DIR   -> prints the DATABASE_URL to use
#   scripts/test-postgres.sh stop DIR
#   scripts/test-postgres.sh crash DIR     (immediate shutdown, as a power cut: for the fault harness)
#   scripts/test-postgres.sh restart DIR   (start the stopped server again on the same port)
set -euo pipefail
cmd=$1; dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found; run scripts/system-deps.sh" >&2; exit 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# Durability is traded for speed unless PG_DURABLE=1 (the fault harness crashes the server on purpose).
options() {
  local o="-c listen_addresses=127.0.0.1 -p $2 -k $1 -c max_connections=100"
  [ "${PG_DURABLE:-0}" = 1 ] || o="$o -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  echo "$o"
}
case "$cmd" in
  start)
    rm -rf "$dir"; mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "$port" >"$dir/port"
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$(options "$dir" "$port")" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/propdesk"
    ;;
  crash)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
    ;;
  restart)
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$(options "$dir" "$(cat "$dir/port")")" start >/dev/null
    ;;
  stop)
    [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop|crash|restart DIR" >&2; exit 2 ;;
esac
