"""Reads of work orders, scoped to the user through propdesk.org.access."""

from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from propdesk.core import timeline
from propdesk.core.errors import NotFound
from propdesk.core.prepared import PreparedGet
from propdesk.org.access import can_see_project, get_scoped, scope
from propdesk.org.models import Unit

from .models import Category, PriceItem, WorkOrder
from .workflow import AWAITING_OWNER_STATES, OPEN_STATES, allowed_actions

QUEUE_COLUMNS = ("project", "unit__building", "building", "category__parent", "assignee", "requester", "department")
QUEUE_JOINS = ("project", "unit__building", "assignee", "requester")
QUEUE_PREFETCH = ("building", "category__parent", "department")


class QueueScope:
    MINE = "mine"
    TEAM = "team"
    PROJECT = "project"


@dataclass
class QueueFilter:
    scope: str = QueueScope.PROJECT
    project: int | None = None
    kind: str | None = None
    state: str | None = None
    category: int | None = None
    building: int | None = None
    assignee: int | None = None
    priority: str | None = None
    unit: int | None = None
    requester: int | None = None
    warranty: bool = False
    open_only: bool = True
    # Exactly these work orders (ids or a subquery of ids), e.g. the ones behind a KPI figure.
    ids: object = None


def work_orders_for(user):
    return scope(WorkOrder.objects.all(), user)


def queue(user, f: QueueFilter | None = None):
    """The service center's queue, most urgent first: by time left on the nearest limit, then age."""
    f = f or QueueFilter()
    # Few joins, small lookups prefetched: on PostgreSQL planning a nine-table join cost more (18 ms)
    # than running it (5 ms).
    qs = work_orders_for(user).select_related(*QUEUE_JOINS).prefetch_related(*QUEUE_PREFETCH)
    if f.open_only and not f.state:
        qs = qs.filter(state__in=OPEN_STATES)
    if f.scope == QueueScope.MINE:
        qs = qs.filter(Q(assignee=user) | Q(first_receiver=user, assignee__isnull=True))
    elif f.scope == QueueScope.TEAM:
        qs = qs.filter(department__in=user.departments.all())
    for field, value in (("project_id", f.project), ("kind", f.kind), ("state", f.state),
                         ("building_id", f.building), ("assignee_id", f.assignee), ("priority", f.priority),
                         ("unit_id", f.unit), ("requester_id", f.requester)):
        if value:
            qs = qs.filter(**{field: value})
    if f.category:
        qs = qs.filter(Q(category_id=f.category) | Q(category__parent_id=f.category))
    if f.warranty:
        qs = qs.filter(is_warranty=True)
    if f.ids is not None:
        qs = qs.filter(pk__in=f.ids)
    return qs.order_by(F("next_due_at").asc(nulls_last=True), "received_at", "id")


def jobs_for_technician(user):
    """A technician's own open jobs, most urgent first (their phone-sized page)."""
    return queue(user, QueueFilter(scope=QueueScope.MINE))


_INTAKE_UNIT = PreparedGet(Unit, "building", "project__sla_policy")


def intake_unit(user, unit_id: int) -> Unit:
    """The unit a new work order is for, with its building, and its project with the project's limits
    (sla.policy_for reads them from it): one query where the project, the unit and the limits took three,
    compiled once (core.prepared). Out of the user's scope (org.access: the unit's project) it is not found."""
    unit = _INTAKE_UNIT.get(unit_id, using=Unit.objects.db)
    if unit is None or not can_see_project(user, unit.project_id):
        raise NotFound
    return unit


def get_work_order(user, work_order_id: int) -> WorkOrder:
    return get_scoped(WorkOrder.objects.select_related(*QUEUE_COLUMNS, "first_receiver", "parent"), user,
                      pk=work_order_id)


def get_work_order_photo(user, work_order_id: int, photo_id: int):
    """A photo of a work order the user may see (NotFound otherwise): served by the console, never as a
    public media URL (uploads are not served from /media/ at all)."""
    wo = get_work_order(user, work_order_id)
    photo = wo.attachments.filter(pk=photo_id).first()
    if photo is None:
        raise NotFound
    return photo


@dataclass
class WorkOrderPage:
    work_order: WorkOrder
    timers: list
    actions: list
    timeline: list
    quote: object
    measures: list
    callbacks: list
    attachments: list
    duplicates: list
    duplicate_candidates: list


def work_order_page(user, work_order_id: int) -> WorkOrderPage:
    wo = get_work_order(user, work_order_id)
    return WorkOrderPage(
        work_order=wo,
        timers=list(wo.timers.order_by("started_at", "id")),
        actions=allowed_actions(wo.state),
        timeline=list(timeline.events_for(wo)[:100]),
        quote=getattr(wo, "quote", None) if wo.is_chargeable else None,
        measures=list(wo.measures.select_related("by")),
        callbacks=list(wo.callbacks.select_related("by")),
        attachments=list(wo.attachments.all()),
        duplicates=list(wo.duplicates.select_related("requester")),
        duplicate_candidates=duplicate_candidates(wo),
    )


def duplicate_candidates(wo: WorkOrder) -> list[WorkOrder]:
    """Open reports of the same public-area fault: same building and category, within the window."""
    from .sla import policy_for

    if wo.unit_id or not wo.building_id or not wo.category_id or wo.parent_id or wo.state not in OPEN_STATES:
        return []
    window = timezone.timedelta(hours=policy_for(wo.project).duplicate_window_hours)
    return list(
        WorkOrder.objects.filter(
            project_id=wo.project_id, building_id=wo.building_id, category_id=wo.category_id, unit__isnull=True,
            parent__isnull=True, state__in=OPEN_STATES,
            received_at__gte=wo.received_at - window, received_at__lte=wo.received_at + window,
        ).exclude(pk=wo.pk).order_by("received_at")[:20]
    )


def unit_history(user, unit_id: int):
    """Every work order of a unit, newest first: the repair history that settles a dispute."""
    return work_orders_for(user).filter(unit_id=unit_id).select_related("category", "assignee").order_by(
        "-received_at")


def customer_history(user, customer_id: int):
    return work_orders_for(user).filter(requester_id=customer_id).select_related(
        "category", "assignee", "unit__building").order_by("-received_at")


def callbacks_due(user, project_id: int | None = None):
    """Resolved work orders whose callback is still to be made, oldest resolution first."""
    qs = work_orders_for(user).filter(
        Q(state__in=AWAITING_OWNER_STATES, called_back_at__isnull=True)
        | Q(state=WorkOrder.State.CLOSED, called_back_at__isnull=True)
    ).select_related(*QUEUE_COLUMNS)
    if project_id:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("resolved_at", "id")


def needing_manager(user):
    return work_orders_for(user).filter(needs_manager_attention=True).select_related(*QUEUE_COLUMNS).order_by(
        "-called_back_at")


def categories_for(project):
    return Category.objects.filter(Q(project__isnull=True) | Q(project=project), is_active=True).select_related(
        "parent").order_by("parent_id", "sort", "code")


def price_list(project, kind: str | None = None):
    qs = PriceItem.objects.filter(project=project, is_published=True)
    return qs.filter(kind=kind) if kind else qs
