"""What an owner or resident sees of work orders in the portal: the one place that scopes them
(PRODUCT.md areas 2 and 6; the portal issue, item 2).

An owner sees the work orders they requested and the ones that concern a unit they occupy today —
for that unit, only those received since their occupancy began, so a new owner or tenant does not
read the previous occupant's reports. A former tenant, whose occupancy has ended, sees nothing.
Everything else is reported as not found. Staff-only events (notes, escalations) never show.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from propdesk.core import timeline
from propdesk.core.errors import NotFound
from propdesk.org.models import Building

from . import desk, sla, triage
from .models import Attachment, SlaTimer, WorkOrder
from .promises import minutes_text
from .selectors import categories_for

S = WorkOrder.State
K = WorkOrder.Kind

# The state in the owner's words: what is happening to their request, not the desk's vocabulary.
OWNER_STATE_LABELS = {
    S.RECEIVED: _("Received, waiting to be taken"),
    S.RESPONDED: _("Being handled"),
    S.DISPATCHED: _("Someone is assigned"),
    S.IN_PROGRESS: _("Work in progress"),
    S.ON_HOLD: _("Waiting (paused)"),
    S.TRANSFERRED: _("Passed to another department"),
    S.RESOLVED: _("Done: please confirm"),
    S.CONFIRMED: _("Confirmed by you"),
    S.CALLED_BACK: _("Feedback recorded"),
    S.CLOSED: _("Closed"),
    S.REOPENED: _("Reopened, being handled again"),
    S.CANCELLED: _("Cancelled"),
    S.MERGED: _("Merged with a report of the same problem"),
}

# What an owner can report; a repair becomes a home or public-area repair by where it is.
REPAIR = "repair"
REPORT_TYPES = [
    (REPAIR, _("Repair")),
    (K.COMPLAINT, _("Complaint")),
    (K.INQUIRY, _("Inquiry")),
    (K.SUGGESTION, _("Suggestion")),
    (K.PRAISE, _("Praise")),
]
RATEABLE_STATES = (S.RESOLVED, S.CONFIRMED, S.CALLED_BACK, S.CLOSED)


def owner_work_orders(owner):
    """The owner's work orders, newest first: requested by them, or about a unit they occupy now."""
    if not getattr(owner, "customer_ids", None):
        return WorkOrder.objects.none()
    concerns = Q(requester_id__in=owner.customer_ids)
    for occ in owner.occupancies:
        concerns |= Q(unit_id=occ.unit_id, received_at__date__gte=occ.start_date)
    return (WorkOrder.objects.filter(concerns)
            .select_related("project", "unit__building", "building", "category", "assignee", "department")
            .order_by("-received_at", "-id"))


def get_owner_work_order(owner, work_order_id) -> WorkOrder:
    try:
        return owner_work_orders(owner).get(pk=int(work_order_id))
    except (WorkOrder.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound from exc


def get_owner_photo(owner, work_order_id, photo_id) -> Attachment:
    wo = get_owner_work_order(owner, work_order_id)
    photo = Attachment.objects.filter(work_order=wo, pk=photo_id).first()
    if photo is None:
        raise NotFound
    return photo


def state_words(wo: WorkOrder) -> str:
    return str(OWNER_STATE_LABELS.get(wo.state, wo.get_state_display()))


def last_update(wo: WorkOrder) -> datetime:
    """When the request last moved, for the owner's list."""
    moments = [wo.received_at, wo.responded_at, wo.resolved_at, wo.confirmed_at, wo.called_back_at, wo.closed_at,
               wo.rated_at]
    return max(m for m in moments if m is not None)


def owner_may(wo: WorkOrder) -> set[str]:
    """The portal's buttons: confirm or say it is not fixed once resolved; rate once, after resolution."""
    allowed = set()
    if wo.state == S.RESOLVED:
        allowed |= {"confirm", "not_fixed"}
    if wo.state in RATEABLE_STATES and wo.resolved_at and wo.owner_rating is None:
        allowed.add("rate")
    return allowed


@dataclass
class PublicEvent:
    at: datetime
    summary: str
    who: str


def _staff_label(user, project_id) -> str:
    departments = [d.name for d in user.departments.all() if d.project_id == project_id]
    return " ".join([*departments[:1], user.display_name])


def public_timeline(wo: WorkOrder) -> list[PublicEvent]:
    """The work order's story for the owner, oldest first: no internal notes or escalations; staff are
    named with their department ("工程部 李师傅"), the owner's own steps as the owner's."""
    events = (timeline.events_for(wo).filter(internal=False).prefetch_related("actor__departments")
              .order_by("at", "id"))[:200]
    return [PublicEvent(e.at, e.summary, _staff_label(e.actor, wo.project_id) if e.actor_id else str(_("Owner")))
            for e in events]


@dataclass
class RequestPage:
    work_order: WorkOrder
    state: str
    respond_by: datetime | None
    respond_limit: str
    awaiting_response: bool
    resolve_by: datetime | None
    responded_in_time: bool | None
    photos: list
    timeline: list
    may: set
    handler: str


def request_page(owner, work_order_id) -> RequestPage:
    """Everything the owner's page of one request shows, already scoped to the owner."""
    wo = get_owner_work_order(owner, work_order_id)
    timers = list(wo.timers.all())
    respond = sla.timer_of(timers, SlaTimer.Kind.RESPOND)
    resolve = sla.timer_of(timers, SlaTimer.Kind.RESOLVE)
    handler = ""
    if wo.assignee_id:
        handler = " ".join(p for p in [wo.department.name if wo.department_id else "", wo.assignee.display_name] if p)
    elif wo.department_id:
        handler = wo.department.name
    return RequestPage(
        work_order=wo, state=state_words(wo),
        respond_by=respond.due_at if respond else None,
        respond_limit=minutes_text(respond.limit_seconds // 60) if respond else "",
        awaiting_response=bool(respond and respond.stopped_at is None and wo.state not in (S.CANCELLED, S.MERGED)),
        resolve_by=resolve.due_at if resolve and wo.state not in (S.CANCELLED, S.MERGED) else None,
        responded_in_time=respond.met if respond else None,
        photos=list(wo.attachments.order_by("id")), timeline=public_timeline(wo), may=owner_may(wo),
        handler=handler,
    )


def report_places(owner) -> tuple[list, list]:
    """Where an owner can report a problem: the units they occupy, and the buildings of their projects."""
    units = [occ.unit for occ in owner.occupancies]
    seen, distinct = set(), []
    for unit in units:
        if unit.pk not in seen:
            seen.add(unit.pk)
            distinct.append(unit)
    buildings = list(Building.objects.filter(project_id__in=owner.project_ids).select_related("project")
                     .order_by("project_id", "code"))
    return distinct, buildings


def report_categories(owner) -> list:
    """The categories of the owner's projects (shared ones once)."""
    projects = {occ.unit.project_id: occ.unit.project for occ in owner.occupancies}
    seen, out = set(), []
    for project in projects.values():
        for category in categories_for(project):
            if category.pk not in seen:
                seen.add(category.pk)
                out.append(category)
    return out


@dataclass
class Hint:
    emergency: bool
    limit: str
    category: object


def triage_hint(owner, text: str, unit_id=None, building_id=None) -> Hint | None:
    """What the desk's triage makes of the owner's words so far, with the response promised for it."""
    if not (text or "").strip() or not owner.occupancies:
        return None
    project = owner.occupancies[0].unit.project
    units, buildings = report_places(owner) if (unit_id or building_id) else ([], [])
    for place in [*(u for u in units if str(u.pk) == str(unit_id)),
                  *(b for b in buildings if str(b.pk) == str(building_id))]:
        project = place.project
    suggestion = triage.suggest(text, project)
    return Hint(suggestion.emergency, minutes_text(desk.response_promise(project, suggestion.emergency)),
                suggestion.category)
