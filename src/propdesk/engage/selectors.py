"""Reads of the callback plan, scoped to the user through propdesk.org.access."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone

from propdesk.archive.models import Customer
from propdesk.org.access import get_scoped, has_role, scope

from .models import CallbackTask, CareFlag
from .services import CALLERS

TASK_JOINS = ("project", "customer", "unit__building", "work_order", "assignee")


def my_callbacks(user, day: dt.date | None = None):
    """A staff member's daily list: open tasks due on `day` (default today) or overdue, oldest first.

    Tasks assigned to the user, and for callers (front desk, butlers, managers) also the unassigned
    tasks of their projects. A work order's task disappears once its callback was recorded at the desk.
    """
    day = day or timezone.localdate()
    mine = Q(assignee=user)
    if has_role(user, CALLERS):
        mine |= Q(assignee__isnull=True)
    qs = scope(CallbackTask.objects.filter(status=CallbackTask.Status.OPEN, due_date__lte=day), user).filter(mine)
    qs = qs.filter(Q(work_order__isnull=True) | Q(work_order__called_back_at__isnull=True))
    return qs.select_related(*TASK_JOINS).prefetch_related("customer__phones").order_by("due_date", "id")


def get_task(user, task_id: int) -> CallbackTask:
    return get_scoped(CallbackTask.objects.select_related(*TASK_JOINS), user, pk=task_id)


def get_customer(user, customer_id: int) -> Customer:
    return get_scoped(Customer.objects.select_related("project"), user, pk=customer_id)


def care_flags_of(customer: Customer):
    """Every care flag of a customer already fetched through the user's scope, current ones first."""
    return CareFlag.objects.filter(customer=customer).select_related("created_by")


def get_care_flag(user, flag_id: int) -> CareFlag:
    return get_scoped(CareFlag.objects.select_related("customer"), user, pk=flag_id)


def tasks_of_customer(customer: Customer):
    return CallbackTask.objects.filter(customer=customer).select_related("done_by", "work_order").order_by(
        "-due_date", "-id")


def callback_coverage(project_ids: Iterable[int] | None, start: dt.date, end: dt.date) -> tuple[int, int]:
    """Callback coverage for the KPIs: (tasks done and reached, tasks due) with a due date in
    [start, end], both inclusive, over the given projects (None: every project).

    Skipped tasks (a work order's callback recorded at the desk instead) count in neither figure.
    Unscoped: the caller passes the projects the reader may see (org.access.visible_project_ids).
    """
    qs = CallbackTask.objects.filter(due_date__range=(start, end)).exclude(status=CallbackTask.Status.SKIPPED)
    if project_ids is not None:
        qs = qs.filter(project_id__in=list(project_ids))
    figures = qs.aggregate(due=Count("id"), done=Count("id", filter=Q(status=CallbackTask.Status.DONE,
                                                                      reached=True)))
    return figures["done"], figures["due"]
