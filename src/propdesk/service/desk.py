"""Reads the service desk's pages need beside the queue: how urgent each row is, who work can be
dispatched to, and the response promise to read out to a caller (PRODUCT.md area 2).

Kept here, not in the console, so the rule "amber once warned, red once late" has one home.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from propdesk.org.access import scope, visible_project_ids
from propdesk.org.models import Department, User

from . import sla
from .models import SlaTimer, WorkOrder


class Level:
    OK = "ok"          # a limit is running, with time to spare
    WARNED = "warned"  # past the warning point (80 % of the limit by default)
    LATE = "late"      # past the due time
    PAUSED = "paused"  # on hold: the clock stands still
    NONE = "none"      # nothing running (resolved, closed…)


@dataclass
class Urgency:
    level: str
    due_at: datetime | None = None
    warn_at: datetime | None = None


def urgency_of(timers, now: datetime | None = None) -> Urgency:
    """The colour of a work order's countdown from its timers: the nearest running limit decides."""
    now = now or timezone.now()
    running = [t for t in timers if t.running]
    if not running:
        paused = any(t.stopped_at is None and t.paused_at is not None for t in timers)
        return Urgency(Level.PAUSED if paused else Level.NONE)
    nearest = min(running, key=lambda t: t.due_at)
    warn_at = min(t.warn_at for t in running)
    if any(t.breached_at is not None or t.due_at <= now for t in running):
        level = Level.LATE
    elif any(t.warned_at is not None or t.warn_at <= now for t in running):
        level = Level.WARNED
    else:
        level = Level.OK
    return Urgency(level, nearest.due_at, warn_at)


def with_urgency(work_orders, now: datetime | None = None) -> list[tuple[WorkOrder, Urgency]]:
    """(work order, urgency) for a page of work orders, with one query for all their open timers."""
    work_orders = list(work_orders)
    timers: dict[int, list[SlaTimer]] = {}
    if work_orders:
        for t in SlaTimer.objects.filter(work_order_id__in=[w.pk for w in work_orders], stopped_at__isnull=True):
            timers.setdefault(t.work_order_id, []).append(t)
    now = now or timezone.now()
    return [(w, urgency_of(timers.get(w.pk, []), now)) for w in work_orders]


def dispatch_staff(user, project_id: int | None = None):
    """Active staff of the user's projects (or of one project) that work can be dispatched to."""
    qs = User.objects.filter(is_active=True).exclude(role=User.Role.COMPANY_ADMIN)
    ids = visible_project_ids(user)
    if project_id is not None:
        qs = qs.filter(projects=project_id)
    elif ids is not None:
        qs = qs.filter(projects__in=ids)
    return qs.distinct().order_by("role", "username")


def departments_for(user, project_id: int | None = None):
    qs = scope(Department.objects.select_related("project"), user)
    return qs.filter(project_id=project_id) if project_id is not None else qs


def response_promise(project, emergency: bool) -> int:
    """Minutes within which the caller is promised a response (the project's own limits)."""
    policy = sla.policy_for(project)
    return policy.emergency_response_minutes if emergency else policy.normal_response_minutes

