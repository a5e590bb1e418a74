"""The SLA sweep: warn before a limit, escalate after it, each exactly once, catching up after downtime.

Run by the worker whenever the scheduler enqueues it (every 30 s). Timers are taken in batches:
read with a row lock that skips rows another sweep holds, marked (`warned_at` / `breached_at`), recorded
on the timeline and told, all in one transaction (a batch's timeline in two inserts, its notifications in one), so two sweeps running at once, or a sweep retried
after a crash, cannot warn twice, and a sweep that dies half-way leaves nothing marked that was not
also recorded and told.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.timeline import Message
from propdesk.notify.services import send

from . import notices
from .models import SlaTimer
from .services import subjects

BATCH = 200

WARNINGS = {
    SlaTimer.Kind.RESPOND: gettext_noop("Warning: %(number)s must be responded to by %(due)s"),
    SlaTimer.Kind.RESOLVE: gettext_noop("Warning: %(number)s must be resolved by %(due)s"),
    SlaTimer.Kind.TRANSFER: gettext_noop("Warning: the department must answer %(number)s by %(due)s"),
}
BREACHES = {
    SlaTimer.Kind.RESPOND: gettext_noop("Response limit of %(number)s passed: escalated to the project manager"),
    SlaTimer.Kind.RESOLVE: gettext_noop("Resolution limit of %(number)s passed: escalated to the project manager"),
    SlaTimer.Kind.TRANSFER: gettext_noop(
        "The department did not answer %(number)s in time: escalated to the project manager"),
}


@dataclass
class SweepReport:
    warned: int = 0
    breached: int = 0


def _running(**lookup):
    return SlaTimer.objects.filter(stopped_at__isnull=True, paused_at__isnull=True, **lookup)


def sweep_sla(now=None) -> SweepReport:
    """Warn every timer past its warning time and escalate every timer past its due time, once."""
    now = now or timezone.now()
    report = SweepReport()
    staff = {}  # (project id, role) -> the staff to tell, read once per sweep
    while (done := _sweep_batch("warned_at", "warn_at", now, staff)):
        report.warned += done
    while (done := _sweep_batch("breached_at", "due_at", now, staff)):
        report.breached += done
    return report


def _sweep_batch(mark: str, moment: str, now, staff) -> int:
    """Claim up to BATCH timers that fell due and act on all of them, in one transaction.

    The rows are locked as they are read (skip_locked: a concurrent sweep takes other rows; on SQLite
    the immediate transaction serialises sweeps), then marked, recorded and told, so each timer is
    handled exactly once and a crash half-way leaves nothing marked that was not also told. The
    batch's timeline entries are stored together: one insert for the events, one for their links.
    """
    # A cheap index-only look first: most sweeps find nothing, and the locked read below joins three tables.
    due = list(_running(**{f"{mark}__isnull": True, f"{moment}__lte": now}).order_by(moment)
               .values_list("pk", flat=True)[:BATCH])
    if not due:
        return 0
    act = _warn if mark == "warned_at" else _breach
    with transaction.atomic():
        timers = list(
            _running(pk__in=due, **{f"{mark}__isnull": True})
            .select_for_update(skip_locked=True, of=("self",))
            # What the warning and the escalation use: the work order and the staff to tell (the
            # timeline names the unit and the requester by id).
            .select_related("work_order__assignee", "work_order__first_receiver")
            .order_by(moment)
        )
        if not timers:
            return 0  # another sweep holds or took them: it handles them
        SlaTimer.objects.filter(pk__in=[t.pk for t in timers]).update(**{mark: now})
        told: list = []
        timeline.record_many([act(timer, now, staff, told) for timer in timers])
        send(told)  # the whole batch's notifications in one insert
    return len(timers)


def _warn(timer, now, staff, told):
    """Prepare the warning's notifications into `told`; returns its timeline entry (event, subjects)."""
    wo = timer.work_order
    told += notices.sla_warning(wo, timer, staff)
    return timeline.new_event(None, "service.sla_warning", Message(WARNINGS[timer.kind], {
        "number": wo.number, "due": timezone.localtime(timer.due_at).strftime("%Y-%m-%d %H:%M")}),
        internal=True, at=now), [wo]


def _breach(timer, now, staff, told):
    wo = timer.work_order
    told += notices.sla_escalation(wo, timer, staff)
    return timeline.new_event(None, "service.sla_breached", Message(BREACHES[timer.kind], {"number": wo.number}),
                              internal=True, at=now), subjects(wo)
