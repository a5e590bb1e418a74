"""The periodic clock of the background worker: enqueue the jobs of settings.PERIODIC_JOBS.

The database queue has no cron of its own. This loop enqueues each periodic job every
SCHEDULER_INTERVAL seconds (or every N seconds for an entry `(path, N)` of PERIODIC_JOBS: the daily
jobs, which need not run twice a minute) unless the previous one is still waiting, so a slow or stopped
worker does not pile up copies; when the worker comes back, one run catches up on everything that fell
due. A restarted scheduler enqueues every job at once: each job is idempotent.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


def periodic_jobs() -> list[tuple]:
    """(task, seconds between runs) for each entry of settings.PERIODIC_JOBS (the SLA sweep, notification
    retries, the daily plans and reports)."""
    jobs = []
    for entry in settings.PERIODIC_JOBS:
        path, every = (entry, settings.SCHEDULER_INTERVAL) if isinstance(entry, str) else entry
        jobs.append((import_string(path), every))
    return jobs


def enqueue_periodic_jobs(last: dict | None = None, clock=time.monotonic) -> int:
    """Enqueue every periodic job that is due (by `last`, when each was enqueued; updated) and not already
    waiting; return how many were enqueued. Without `last`, every job is due."""
    from django_tasks_db.models import DBTaskResult

    last = {} if last is None else last
    enqueued = 0
    for job, every in periodic_jobs():
        if job.module_path in last and clock() - last[job.module_path] < every:
            continue
        waiting = DBTaskResult.objects.filter(task_path=job.module_path, status="READY").exists() \
            if _uses_db_backend() else False
        if not waiting:
            job.enqueue()
            last[job.module_path] = clock()
            enqueued += 1
    return enqueued


def _uses_db_backend() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (SLA sweep, notification retries) every SCHEDULER_INTERVAL seconds."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue once and exit")

    def handle(self, *args, once=False, **options):
        last: dict = {}
        while True:
            enqueue_periodic_jobs(last)
            if once:
                return
            time.sleep(settings.SCHEDULER_INTERVAL)
