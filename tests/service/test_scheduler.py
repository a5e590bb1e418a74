"""The scheduler enqueues the sweep for the database-backed worker, without piling up copies."""

import datetime as dt

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from propdesk.service.management.commands.scheduler import enqueue_periodic_jobs, periodic_jobs
from propdesk.service.models import SlaTimer
from tests.service.test_sla import new


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_enqueued_sweep_and_catches_up(occupancy, staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    wo = new(staff, occupancy.unit, when=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), priority="emergency")
    jobs = len(periodic_jobs())
    assert enqueue_periodic_jobs() == jobs
    assert enqueue_periodic_jobs() == 0  # the first ones are still waiting for the worker
    assert DBTaskResult.objects.count() == jobs
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    timer = SlaTimer.objects.get(work_order=wo, kind="respond")
    assert timer.warned_at is not None and timer.breached_at is not None
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert enqueue_periodic_jobs() == jobs


@pytest.mark.django_db
def test_daily_jobs_are_enqueued_at_their_own_pace_not_at_every_tick(settings):
    """A tick every few seconds runs the sweep each time, the daily jobs once an hour (they are idempotent:
    the scheduler's restart runs them all at once)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SCHEDULER_INTERVAL = 5
    settings.PERIODIC_JOBS = ["propdesk.service.tasks.sla_sweep",
                              ("propdesk.quality.tasks.send_monthly_reports", 3600)]
    now = [1000.0]
    last: dict = {}
    assert enqueue_periodic_jobs(last, clock=lambda: now[0]) == 2  # a fresh scheduler: everything
    now[0] += 5
    assert enqueue_periodic_jobs(last, clock=lambda: now[0]) == 1  # the sweep only
    now[0] += 3600
    assert enqueue_periodic_jobs(last, clock=lambda: now[0]) == 2
