"""Work orders (工单): receive, list the queue, read, and move one through its states.

Each view resolves the ids it is given through the scoped selectors (out of scope: 404, nothing
written) and calls one service. The allowed moves are the table of service.workflow: a move the
table does not allow in the current state, or one carrying a stale `version`, answers 409 with the
current state (see urls.py).
"""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from propdesk.archive import selectors as archive_selectors
from propdesk.org import selectors as org_selectors
from propdesk.service import selectors, services, transitions

from . import schemas
from .idempotency import KEY, REPLAYED
from .schemas import LIST_ERRORS, PathId, page
from .schemas_service import (
    ConflictOut,
    TransitionIn,
    WorkOrderFilter,
    WorkOrderIn,
    WorkOrderOut,
    WorkOrderPage,
)

ERRORS = {**schemas.ERRORS, 409: ConflictOut}
BODY_ERRORS = {**schemas.BODY_ERRORS, 409: ConflictOut}

router = Router(tags=["work orders"])


def _category(project, category_id: int | None):
    """A category the project may use (its own or a shared one), or a 422 on `category`."""
    if category_id is None:
        return None
    category = selectors.categories_for(project).filter(pk=category_id).first()
    if category is None:
        raise ValidationError({"category": _("Select a valid choice.")})
    return category


@router.get("/work-orders", response={200: WorkOrderPage, **LIST_ERRORS})
def list_work_orders(request, query: Query[WorkOrderFilter]):
    """The service center's queue, most urgent first: by time left on the nearest limit, then age."""
    f = selectors.QueueFilter(
        scope=query.scope, project=query.project, kind=query.kind, state=query.state,
        category=query.category, building=query.building, assignee=query.assignee,
        priority=query.priority, open_only=query.open, warranty=query.warranty)
    return page(selectors.queue(request.auth, f), query)


@router.post("/work-orders", response={200: WorkOrderOut, 201: WorkOrderOut, **BODY_ERRORS})
def create_work_order(request, payload: WorkOrderIn, response: HttpResponse,
                      idempotency_key: str | None = KEY):
    """Receive a request; the caller becomes its first receiver (首问负责制).

    The triage suggests the category and whether it is an emergency when they are not given.
    Answers 201 with the new work order, or 200 with the earlier one when this caller already sent
    the same Idempotency-Key (whatever the body of the retry).
    """
    user = request.auth
    # The unit comes with its project (and the project's limits): when it is the project named, that
    # project is in the caller's scope too (a unit is scoped by its project) and needs no read of its own.
    unit = selectors.intake_unit(user, payload.unit) if payload.unit is not None else None
    project = (unit.project if unit is not None and unit.project_id == payload.project
               else org_selectors.get_project(user, payload.project))
    building = org_selectors.get_building(user, payload.building) if payload.building is not None else None
    requester = (archive_selectors.get_customer(user, payload.requester)
                 if payload.requester is not None else None)
    wo, created = services.create_work_order(
        user, project=project, kind=payload.kind, channel=payload.channel, description=payload.description,
        unit=unit, building=building, location=payload.location, requester=requester,
        contact_name=payload.contact_name, contact_phone=payload.contact_phone,
        category=_category(project, payload.category), priority=payload.priority,
        complexity=payload.complexity or "", idempotency_key=idempotency_key or None)
    if not created:
        response[REPLAYED] = "true"
        return Status(200, selectors.get_work_order(user, wo.pk))
    return Status(201, wo)  # every relation the answer shows is already in hand


@router.get("/work-orders/{work_order_id}", response={200: WorkOrderOut, **ERRORS})
def get_work_order(request, work_order_id: PathId):
    return selectors.get_work_order(request.auth, work_order_id)


@router.post("/work-orders/{work_order_id}/transitions", response={200: WorkOrderOut, **BODY_ERRORS})
def transition_work_order(request, work_order_id: PathId, payload: TransitionIn):
    """Apply one action of the work order's `allowed_actions`; answers the updated work order.

    409 when the action is not allowed in the current state, or when `version` is given and the
    work order changed since (someone else acted first): the answer carries `code` ("not_allowed",
    "stale") and the current `state`. 422 when the action's own rule is not met (a note, a rating…).
    """
    wo = selectors.get_work_order(request.auth, work_order_id)
    params = payload.model_dump(exclude={"action", "version", "note"}, exclude_none=True)
    transitions.transition(request.auth, wo, payload.action, version=payload.version, note=payload.note,
                           **params)
    return selectors.get_work_order(request.auth, work_order_id)
