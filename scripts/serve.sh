#!/usr/bin/env bash
# Serve propdesk (granian, WSGI, 2 workers) with its background task worker and scheduler;
# Ctrl-C stops all three.
set -euo pipefail
host=${1:-127.0.0.1}; port=${2:-8000}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-propdesk.settings.dev}
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
.venv/bin/python manage.py db_worker --queue-name '*' --no-reload &
worker=$!
# The periodic clock: enqueues the SLA sweep and notification retries for the worker.
.venv/bin/python manage.py scheduler &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py demo_logins
echo "propdesk: http://$host:$port/  (API docs: http://$host:$port/api/v1/docs)"
.venv/bin/granian --interface wsgi --host "$host" --port "$port" --workers 2 \
  --static-path-route /static --static-path-mount var/static propdesk.wsgi:application
