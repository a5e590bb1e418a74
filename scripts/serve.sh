#!/usr/bin/env bash
# Serve propdesk (granian, WSGI, 2 workers respawned if one dies) with its background task worker and
# scheduler, each restarted if it exits (as systemd's Restart=always would); Ctrl-C stops all three.
set -euo pipefail
host=${1:-127.0.0.1}; port=${2:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-propdesk.settings.dev}
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
keep_running() {  # run "$@" again a second after it exits, until this script stops
  local child=
  trap 'kill $child 2>/dev/null; exit 0' TERM INT
  while true; do "$@" & child=$!; wait $child || true; sleep 1; done
}
keep_running .venv/bin/python manage.py db_worker --queue-name '*' --no-reload &
worker=$!
# The periodic clock: enqueues the SLA sweep and notification retries for the worker.
keep_running .venv/bin/python manage.py scheduler &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py demo_logins
echo "propdesk: http://$host:$port/  (API docs: http://$host:$port/api/v1/docs)"
# Two threads per worker (granian's WSGI default is hundreds): on 2 cores more threads only queue on the
# GIL and on SQLite's write lock (docs/performance.md, intake under load).
.venv/bin/granian --interface wsgi --host "$host" --port "$port" --workers 2 \
  --blocking-threads "${WEB_THREADS:-2}" --respawn-failed-workers \
  --static-path-route /static --static-path-mount var/static propdesk.wsgi:application
