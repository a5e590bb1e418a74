"""The callback plan (回访计划): turn each project's active rules into callback tasks, once each.

Run daily by the scheduler (engage.tasks); safe to run again and again on the same day: every rule
excludes, in SQL, what is already planned, and the unique constraints of CallbackTask catch a race.
Each rule is one query per project returning only the customers or work orders that need a task.
"""

import datetime as dt
from collections import Counter

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from propdesk.archive.models import Customer, Occupancy
from propdesk.org.models import Project
from propdesk.service.models import WorkOrder

from .models import DEFAULT_RULES, CallbackRule, CallbackTask, CareFlag, RuleKind

# A day the planner did not run (worker down) is caught up on for this long.
CATCH_UP_DAYS = 7
# After an unanswered callback the household is tried again this many days later.
RETRY_DAYS = 7

T = CallbackTask.Status


def rules_for(project: Project) -> list[CallbackRule]:
    """The project's callback rules, creating the four defaults the first time they are asked for."""
    rules = {r.kind: r for r in CallbackRule.objects.filter(project=project)}
    missing = [CallbackRule(project=project, kind=kind, offset_days=days, channel=channel)
               for kind, (days, channel) in DEFAULT_RULES.items() if kind not in rules]
    if missing:
        CallbackRule.objects.bulk_create(missing, ignore_conflicts=True)
        rules = {r.kind: r for r in CallbackRule.objects.filter(project=project)}
    return [rules[kind] for kind in DEFAULT_RULES if kind in rules]


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def plan_callbacks(today: dt.date | None = None) -> dict[str, int]:
    """Create the callback tasks that are due by `today` (default: today) in every project.

    Returns how many tasks of each kind were created.
    """
    today = today or timezone.localdate()
    created: Counter = Counter()
    for project in Project.objects.order_by("pk"):
        for rule in rules_for(project):
            if rule.is_active:
                tasks = PLANNERS[rule.kind](project, rule, today)
                CallbackTask.objects.bulk_create(tasks, ignore_conflicts=True)
                created[rule.kind] += len(tasks)
    # A work order's callback recorded at the desk meanwhile makes its planned task unnecessary.
    CallbackTask.objects.filter(status=T.OPEN, work_order__called_back_at__isnull=False).update(
        status=T.SKIPPED)
    return {kind: created[kind] for kind in RuleKind.values}


def _current_unit(today):
    """The unit a customer lives in now (their earliest current occupancy), as a subquery."""
    return Subquery(Occupancy.objects.filter(customer=OuterRef("pk")).current(today)
                    .order_by("start_date", "pk").values("unit_id")[:1])


def _tasks_of(kind):
    return CallbackTask.objects.filter(customer=OuterRef("pk"), kind=kind)


def _new_owner(project, rule, today):
    """Owners whose ownership began `offset_days` ago (or up to CATCH_UP_DAYS before), who were no
    owner in the project before, and who have no new-owner task yet."""
    days = dt.timedelta(days=rule.offset_days)
    start_to = today - days
    start_from = start_to - dt.timedelta(days=CATCH_UP_DAYS)
    earlier = Occupancy.objects.filter(customer=OuterRef("customer_id"), role=Occupancy.Role.OWNER,
                                       start_date__lt=start_from)
    planned = CallbackTask.objects.filter(customer=OuterRef("customer_id"), kind=RuleKind.NEW_OWNER)
    rows = (
        Occupancy.objects.current(today)
        .filter(unit__project=project, customer__project=project, role=Occupancy.Role.OWNER,
                start_date__range=(start_from, start_to))
        .exclude(Exists(earlier)).exclude(Exists(planned))
        .order_by("start_date", "pk").values_list("customer_id", "unit_id", "start_date")
    )
    seen, tasks = set(), []
    for customer_id, unit_id, start in rows:
        if customer_id not in seen:
            seen.add(customer_id)
            tasks.append(_task(project, rule, customer_id, unit_id, start + days))
    return tasks


def _households(project, today, lived_since):
    """Owners and tenants living in the project now, since `lived_since` at the latest."""
    living = Occupancy.objects.filter(customer=OuterRef("pk"),
                                      role__in=[Occupancy.Role.OWNER, Occupancy.Role.TENANT]).current(today)
    return Customer.objects.filter(project=project).filter(Exists(living.filter(start_date__lte=lived_since)))


def _half_year(project, rule, today):
    """Households reached by no callback for `offset_days`, with no half-year task open or tried lately."""
    since = today - dt.timedelta(days=rule.offset_days)
    reached = CallbackTask.objects.filter(customer=OuterRef("pk"), status=T.DONE, reached=True,
                                          done_at__date__gt=since)
    handled = _tasks_of(RuleKind.HALF_YEAR).filter(
        Q(status=T.OPEN) | Q(due_date__gt=today - dt.timedelta(days=RETRY_DAYS))
        | Q(status=T.SKIPPED, due_date__gt=since))
    rows = (_households(project, today, since).exclude(Exists(reached)).exclude(Exists(handled))
            .annotate(unit_now=_current_unit(today)).values_list("pk", "unit_now"))
    return [_task(project, rule, customer_id, unit_id, today) for customer_id, unit_id in rows]


def _care_visit(project, rule, today):
    """Households flagged for care now, not visited (or skipped) this quarter, nor tried lately."""
    first = quarter_start(today)
    flagged = CareFlag.objects.filter(Q(until__isnull=True) | Q(until__gte=today), customer=OuterRef("pk"),
                                      since__lte=today)
    handled = _tasks_of(RuleKind.CARE_VISIT).filter(
        Q(status=T.OPEN) | Q(due_date__gt=today - dt.timedelta(days=RETRY_DAYS))
        | Q(due_date__gte=first) & (Q(reached=True) | Q(status=T.SKIPPED)))
    rows = (Customer.objects.filter(project=project).filter(Exists(flagged)).exclude(Exists(handled))
            .annotate(unit_now=_current_unit(today)).values_list("pk", "unit_now"))
    return [_task(project, rule, customer_id, unit_id, today) for customer_id, unit_id in rows]


def _closed_work_order(project, rule, today):
    """Work orders closed lately without a callback and without a task: due `offset_days` after closing."""
    planned = CallbackTask.objects.filter(work_order=OuterRef("pk"))
    rows = (
        WorkOrder.objects.filter(project=project, state=WorkOrder.State.CLOSED, called_back_at__isnull=True,
                                 closed_at__date__gte=today - dt.timedelta(days=CATCH_UP_DAYS))
        .exclude(Exists(planned)).values_list("pk", "requester_id", "unit_id", "closed_at")
    )
    days = dt.timedelta(days=rule.offset_days)
    return [_task(project, rule, requester_id, unit_id, timezone.localdate(closed_at) + days, work_order_id=pk)
            for pk, requester_id, unit_id, closed_at in rows]


def _task(project, rule, customer_id, unit_id, due, work_order_id=None) -> CallbackTask:
    return CallbackTask(project=project, kind=rule.kind, channel=rule.channel, customer_id=customer_id,
                        unit_id=unit_id, work_order_id=work_order_id, due_date=due)


PLANNERS = {
    RuleKind.NEW_OWNER: _new_owner,
    RuleKind.HALF_YEAR: _half_year,
    RuleKind.CARE_VISIT: _care_visit,
    RuleKind.CLOSED_WORK_ORDER: _closed_work_order,
}
