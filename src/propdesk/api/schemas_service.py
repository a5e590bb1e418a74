"""Request and response shapes of the work-order API (PRODUCT.md area 2).

A work order names its requester by id and name only: the customer's ID number never leaves. The
list answers a lighter item than the detail (no timers, suggestion or timeline), so a page of the
queue is a fixed number of queries.
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import Strict

from propdesk.core import timeline
from propdesk.service.models import WorkOrder
from propdesk.service.selectors import QueueScope
from propdesk.service.workflow import ALL_ACTIONS, allowed_actions

from .schemas import NO_NUL, BodyId, Id, InSchema, PageQuery, Whole, page_of, text

Action = Literal[ALL_ACTIONS]  # type: ignore[valid-type]
DESCRIPTION_MAX = 5000  # what an owner reports; the column is unlimited, a request is not
NOTE_MAX = 2000  # a note, an explanation or a resolution written while acting on a work order


def person(user) -> dict | None:
    """A staff member as {id, name}: the full name, or the username when it is blank."""
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.username}


class Ref(Schema):
    """Another object named by its id and what a person reads."""

    id: int
    name: str


class UnitRef(Schema):
    id: int
    label: str


# -- input -------------------------------------------------------------------------------------

class WorkOrderIn(InSchema):
    project: BodyId
    kind: WorkOrder.Kind
    channel: WorkOrder.Channel
    description: str = Field(..., max_length=DESCRIPTION_MAX, pattern=NO_NUL,
                             description="What the owner reports, in their words.")
    unit: BodyId | None = Field(None, description="Required for a repair in the home.")
    building: BodyId | None = Field(None, description="For a public-area report; the unit's building by default.")
    location: str = text(WorkOrder, "location", "")
    requester: BodyId | None = Field(None, description="The customer of the archive who reports it.")
    contact_name: str = text(WorkOrder, "contact_name", "")
    contact_phone: str = text(WorkOrder, "contact_phone", "")
    category: BodyId | None = Field(None, description="Defaults to the triage's suggestion.")
    priority: WorkOrder.Priority | None = Field(None, description="Defaults to the triage's suggestion.")
    complexity: WorkOrder.Complexity | None = Field(None, description="Complaints only; general by default.")


class TransitionIn(InSchema):
    action: Action = Field(..., description="One of the work order's `allowed_actions`.")
    version: Whole | None = Field(
        None, ge=1, le=2**31 - 1,
        description="The version you read; when given and the work order changed since, 409.")
    note: str = Field("", max_length=NOTE_MAX, pattern=NO_NUL)
    assignee: BodyId | None = Field(None, description="dispatch, accept_transfer: a staff member's id.")
    department: BodyId | None = Field(None, description="dispatch, transfer: a department's id.")
    rating: Whole | None = Field(None, ge=1, le=5, description="callback: the owner's rating, 1 to 5.")
    reached: Annotated[bool, Strict()] | None = Field(None, description="callback: false when the owner did not answer.")
    late_explanation: str | None = Field(None, max_length=NOTE_MAX, pattern=NO_NUL,
                                         description="resolve: required after a complaint's limit.")
    parent: BodyId | None = Field(None, description="merge: the id of the work order it duplicates.")
    who: str | None = Field(None, max_length=100, pattern=NO_NUL,
                            description="confirm: who confirmed, when not the requester.")


class WorkOrderFilter(PageQuery):
    project: Id | None = None
    kind: WorkOrder.Kind | None = None
    state: WorkOrder.State | None = None
    category: Id | None = Field(None, description="A category, or a parent category with its children.")
    building: Id | None = None
    assignee: Id | None = None
    priority: WorkOrder.Priority | None = None
    scope: Literal[QueueScope.MINE, QueueScope.TEAM, QueueScope.PROJECT] = Field(
        QueueScope.PROJECT, description="mine: assigned to me (or received by me and unassigned); "
                                        "team: my departments'; project: every visible one.")
    open: bool = Field(True, description="true: only open work orders (the queue); false: every state. "
                                         "A `state` filter overrides it.")
    warranty: bool = Field(False, description="true: only warranty repairs (defects found at a unit's handover).")


# -- output ------------------------------------------------------------------------------------

class ConflictOut(Schema):
    """409: the action does not fit the current state, or someone else changed the work order first."""

    detail: str
    code: str = Field(description="not_allowed: not possible in this state; stale: reload and retry.")
    state: str | None = Field(description="The work order's current state.")


class TimerOut(Schema):
    kind: str
    due_at: datetime
    warn_at: datetime
    stopped_at: datetime | None
    paused: bool
    met: bool | None
    warned_at: datetime | None
    breached_at: datetime | None

    @staticmethod
    def resolve_paused(obj) -> bool:
        return obj.paused_at is not None


class SuggestionOut(Schema):
    category: Ref | None
    emergency: bool


class WorkOrderItem(Schema):
    """A row of the queue."""

    id: int
    number: str
    project: int = Field(validation_alias="project_id")
    kind: str
    channel: str
    category: Ref | None
    priority: str
    complexity: str
    state: str
    version: int
    is_warranty: bool = Field(description="A warranty repair of a defect found at the unit's handover.")
    unit: UnitRef | None
    building: Ref | None
    location: str
    description: str
    requester: Ref | None
    assignee: Ref | None
    department: Ref | None
    received_at: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    next_due_at: datetime | None

    @staticmethod
    def resolve_category(obj) -> dict | None:
        return {"id": obj.category.pk, "name": str(obj.category)} if obj.category_id else None

    @staticmethod
    def resolve_unit(obj) -> dict | None:
        return {"id": obj.unit.pk, "label": obj.unit.label} if obj.unit_id else None

    @staticmethod
    def resolve_building(obj) -> dict | None:
        return {"id": obj.building.pk, "name": obj.building.name} if obj.building_id else None

    @staticmethod
    def resolve_requester(obj) -> dict | None:
        return {"id": obj.requester.pk, "name": obj.requester.name} if obj.requester_id else None

    @staticmethod
    def resolve_assignee(obj) -> dict | None:
        return person(obj.assignee) if obj.assignee_id else None

    @staticmethod
    def resolve_department(obj) -> dict | None:
        return {"id": obj.department.pk, "name": obj.department.name} if obj.department_id else None


WorkOrderPage = page_of("WorkOrderPage", WorkOrderItem)


class EventOut(Schema):
    id: int
    at: datetime
    actor: Ref | None
    verb: str
    summary: str
    changes: dict
    internal: bool = Field(description="Staff-only (notes, escalations): never shown to the owner.")

    @staticmethod
    def resolve_actor(obj) -> dict | None:
        return person(obj.actor) if obj.actor_id else None


class WorkOrderOut(WorkOrderItem):
    """The whole work order: its limits, the triage's suggestion, what may be done next, its history."""

    contact_name: str
    contact_phone: str
    first_receiver: Ref | None
    parent: int | None = Field(validation_alias="parent_id")
    confirmed_at: datetime | None
    called_back_at: datetime | None
    closed_at: datetime | None
    resolution: str
    late_explanation: str
    is_chargeable: bool
    needs_manager_attention: bool
    timers: list[TimerOut]
    suggested: SuggestionOut
    allowed_actions: list[str]
    timeline: list[EventOut] = Field(description="Newest first, at most 100 events; staff see internal ones.")

    @staticmethod
    def resolve_first_receiver(obj) -> dict | None:
        return person(obj.first_receiver) if obj.first_receiver_id else None

    @staticmethod
    def resolve_timers(obj) -> list:
        in_hand = getattr(obj, "timers_in_hand", None)  # a work order just stored (services.store_new)
        return in_hand if in_hand is not None else list(obj.timers.order_by("started_at", "id"))

    @staticmethod
    def resolve_suggested(obj) -> dict:
        category = obj.suggested_category
        return {"category": {"id": category.pk, "name": str(category)} if category else None,
                "emergency": obj.suggested_emergency}

    @staticmethod
    def resolve_allowed_actions(obj) -> list[str]:
        return allowed_actions(obj.state)

    @staticmethod
    def resolve_timeline(obj) -> list:
        in_hand = getattr(obj, "timeline_in_hand", None)
        return in_hand if in_hand is not None else list(timeline.events_for(obj)[:100])
