"""The clock of every promise (PRODUCT.md area 2): limits per project, timers that pause on hold.

A work order carries up to three timers: respond (every work order), resolve (complaints) and
transfer (while another department owes an answer). Each stores its due time and its warning time
as columns; pausing and resuming push both later by the paused time, so "what is late now" is
always an indexed comparison with the clock. Nothing here sends anything: the sweep in sweep.py
does, through the notification interface.
"""

from datetime import datetime, timedelta

from .models import SlaPolicy, SlaTimer, WorkOrder

# The project's side of SlaPolicy.project: a project read with select_related("sla_policy") holds its
# limits (or None when it never tuned them) without another query.
_PROJECT_POLICY = SlaPolicy._meta.get_field("project").remote_field
_UNREAD = object()


def policy_for(project) -> SlaPolicy:
    """The project's limits; a project that never tuned them gets the defaults of PRODUCT.md."""
    policy = getattr(project, "_sla_policy_cache", None)
    if policy is None:
        policy = _PROJECT_POLICY.get_cached_value(project, default=_UNREAD)
        if policy is _UNREAD:
            policy = SlaPolicy.objects.filter(project=project).first()
        policy = policy or SlaPolicy(project=project)
        project._sla_policy_cache = policy
    return policy


def response_limit(policy: SlaPolicy, wo: WorkOrder) -> timedelta:
    if wo.priority == WorkOrder.Priority.EMERGENCY:
        return timedelta(minutes=policy.emergency_response_minutes)
    return timedelta(minutes=policy.normal_response_minutes)


def resolve_limit(policy: SlaPolicy, wo: WorkOrder) -> timedelta | None:
    """Only complaints carry a resolution limit: 24 h general, 72 h complex (by default)."""
    if wo.kind != WorkOrder.Kind.COMPLAINT:
        return None
    hours = policy.complaint_complex_hours if wo.complexity == WorkOrder.Complexity.COMPLEX \
        else policy.complaint_general_hours
    return timedelta(hours=hours)


def new_timer(wo: WorkOrder, kind: str, start: datetime, limit: timedelta, warn_percent: int) -> SlaTimer:
    seconds = int(limit.total_seconds())
    return SlaTimer(
        work_order=wo, kind=kind, started_at=start, limit_seconds=seconds,
        due_at=start + limit, warn_at=start + timedelta(seconds=seconds * warn_percent / 100),
    )


def timers_for_new(wo: WorkOrder) -> list[SlaTimer]:
    policy = policy_for(wo.project)
    timers = [new_timer(wo, SlaTimer.Kind.RESPOND, wo.received_at, response_limit(policy, wo),
                        policy.warn_at_percent)]
    limit = resolve_limit(policy, wo)
    if limit is not None:
        timers.append(new_timer(wo, SlaTimer.Kind.RESOLVE, wo.received_at, limit, policy.warn_at_percent))
    return timers


def retime(timer: SlaTimer, limit: timedelta, warn_percent: int) -> None:
    """Apply a new limit (priority or complexity changed) to a running timer, keeping paused time."""
    seconds = int(limit.total_seconds())
    base = timer.started_at + timedelta(seconds=timer.paused_seconds)
    timer.limit_seconds = seconds
    timer.due_at = base + limit
    timer.warn_at = base + timedelta(seconds=seconds * warn_percent / 100)
    # A new limit is a new promise: warn and escalate again if it is broken again.
    timer.warned_at = None
    timer.breached_at = None


def pause(timer: SlaTimer, now: datetime) -> None:
    if timer.stopped_at is None and timer.paused_at is None:
        timer.paused_at = now


def resume(timer: SlaTimer, now: datetime) -> None:
    """Push the due and warning times later by the time spent on hold."""
    if timer.paused_at is None:
        return
    held = now - timer.paused_at
    timer.paused_seconds += int(held.total_seconds())
    timer.due_at += held
    timer.warn_at += held
    timer.paused_at = None


def stop(timer: SlaTimer, now: datetime) -> None:
    if timer.stopped_at is None:
        if timer.paused_at is not None:
            resume(timer, now)
        timer.stopped_at = now


def timer_of(timers, kind: str) -> SlaTimer | None:
    """The work order's timer of `kind` among `timers` (already fetched), if any."""
    return next((t for t in timers if t.kind == kind), None)


def next_due(timers) -> datetime | None:
    """The earliest due time among running timers: the queue's 'time left'."""
    running = [t.due_at for t in timers if t.running]
    return min(running) if running else None
