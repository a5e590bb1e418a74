"""The SLA sweep: warn before a limit, escalate after it, each exactly once, catching up after downtime.

Run every minute by the scheduler (tasks.py). Each timer is claimed with a conditional UPDATE
(`warned_at IS NULL` / `breached_at IS NULL`) in the same transaction as its timeline entry and its
notifications, so two sweeps running at once, or a sweep retried after a crash, cannot warn twice,
and a sweep that dies half-way leaves nothing claimed that was not also recorded and told.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.timeline import Message

from . import notices
from .models import SlaTimer
from .services import subjects

BATCH = 500

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
    while True:
        due = list(_running(warned_at__isnull=True, warn_at__lte=now).order_by("warn_at")
                   .values_list("pk", flat=True)[:BATCH])
        report.warned += sum(_warn(pk, now) for pk in due)
        if len(due) < BATCH:
            break
    while True:
        due = list(_running(breached_at__isnull=True, due_at__lte=now).order_by("due_at")
                   .values_list("pk", flat=True)[:BATCH])
        report.breached += sum(_breach(pk, now) for pk in due)
        if len(due) < BATCH:
            break
    return report


def _claim(pk, field, now) -> SlaTimer | None:
    claimed = _running(pk=pk, **{f"{field}__isnull": True}).update(**{field: now})
    if not claimed:
        return None
    return SlaTimer.objects.select_related(
        "work_order__project", "work_order__unit__building", "work_order__requester", "work_order__assignee",
        "work_order__first_receiver").get(pk=pk)


def _warn(pk, now) -> int:
    with transaction.atomic():
        timer = _claim(pk, "warned_at", now)
        if timer is None:
            return 0
        wo = timer.work_order
        timeline.record(None, "service.sla_warning", Message(WARNINGS[timer.kind], {
            "number": wo.number, "due": timezone.localtime(timer.due_at).strftime("%Y-%m-%d %H:%M")}),
            subjects=[wo], internal=True, at=now)
        notices.sla_warning(wo, timer)
    return 1


def _breach(pk, now) -> int:
    with transaction.atomic():
        timer = _claim(pk, "breached_at", now)
        if timer is None:
            return 0
        wo = timer.work_order
        timeline.record(None, "service.sla_breached", Message(BREACHES[timer.kind], {"number": wo.number}),
            subjects=subjects(wo), internal=True, at=now)
        notices.sla_escalation(wo, timer)
    return 1
