"""The periodic clock of the background worker: enqueue the jobs of settings.PERIODIC_JOBS.

The database queue has no cron of its own. This loop enqueues each periodic job every
SCHEDULER_INTERVAL seconds unless the previous one is still waiting, so a slow or stopped worker
does not pile up copies; when the worker comes back, one sweep catches up on everything that fell due.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


def periodic_jobs() -> list:
    """The tasks named in settings.PERIODIC_JOBS (the SLA sweep, notification retries, callback plan)."""
    return [import_string(path) for path in settings.PERIODIC_JOBS]


def enqueue_periodic_jobs() -> int:
    """Enqueue every periodic job that is not already waiting; return how many were enqueued."""
    from django_tasks_db.models import DBTaskResult

    enqueued = 0
    for job in periodic_jobs():
        waiting = DBTaskResult.objects.filter(task_path=job.module_path, status="READY").exists() \
            if _uses_db_backend() else False
        if not waiting:
            job.enqueue()
            enqueued += 1
    return enqueued


def _uses_db_backend() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (SLA sweep, notification retries) every SCHEDULER_INTERVAL seconds."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue once and exit")

    def handle(self, *args, once=False, **options):
        while True:
            enqueue_periodic_jobs()
            if once:
                return
            time.sleep(settings.SCHEDULER_INTERVAL)
