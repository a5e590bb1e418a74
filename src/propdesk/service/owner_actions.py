"""What an owner or resident does to work orders in the portal (PRODUCT.md areas 2 and 6; the portal
issue, items 3 and 4): report a problem, confirm the resolution, say it is not fixed, rate it.

The owner is not a staff user, so these functions take the portal's Owner (archive.owners) and check
themselves that the unit, building or work order is the owner's; then they use the same intake
(services.create_work_order) and the same transition table, optimistic lock, timers and timeline as
the desk (transitions.apply_transition). Timeline events of the owner have no actor (they are not
staff); their summary names the owner's step.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.models import Building

from . import notices, services
from .models import Category, WorkOrder
from .owner_selectors import REPAIR, REPORT_TYPES, get_owner_work_order, owner_may
from .photos import prepare_all
from .transitions import apply_transition
from .workflow import A

K = WorkOrder.Kind


def _place(owner, unit_id, building_id):
    """(unit, building, requester) of a report: one of the owner's units, or a building of their projects."""
    if bool(unit_id) == bool(building_id):
        raise ValidationError({"place": _("Choose one of your homes or a public area.")})
    if unit_id:
        occupancy = next((o for o in owner.occupancies if o.unit_id == int(unit_id)), None)
        if occupancy is None:
            raise ValidationError({"place": _("Choose one of your homes or a public area.")})
        return occupancy.unit, occupancy.unit.building, occupancy.customer
    building = Building.objects.filter(pk=building_id, project_id__in=owner.project_ids).select_related(
        "project").first()
    if building is None:
        raise ValidationError({"place": _("Choose one of your homes or a public area.")})
    occupancy = next(o for o in owner.occupancies if o.unit.project_id == building.project_id)
    return None, building, occupancy.customer


def _kind(report_type: str, unit) -> str:
    if report_type == REPAIR:
        return K.REPAIR_HOME if unit is not None else K.REPAIR_PUBLIC
    if report_type not in dict(REPORT_TYPES):
        raise ValidationError({"kind": _("Choose what kind of request it is.")})
    return report_type


def report(owner, *, unit_id=None, building_id=None, location: str = "", kind: str = REPAIR,
           category_id=None, description: str, photos=(), idempotency_key: str) -> tuple[WorkOrder, bool]:
    """An owner reports a problem for one of their units or a public area of their project.

    Channel "portal"; the requester is the owner's archive record in that project; nobody has
    received it yet (first_receiver empty) until a staff member acts on it. The triage decides the
    emergency as at the desk. Up to 6 JPEG/PNG photos, re-encoded without EXIF, all checked before
    anything is written. The same idempotency key from the same owner (double tap, network retry)
    returns the first work order: (work order, created).
    """
    client = owner.client_key
    if not idempotency_key:
        raise ValidationError({"idempotency_key": _("The form has expired. Please reload the page.")})
    earlier = services.earlier_work_order(client, idempotency_key)
    if earlier is not None:
        return earlier, False
    unit, building, requester = _place(owner, unit_id, building_id)
    project = building.project
    category = None
    if category_id:
        category = Category.objects.filter(pk=category_id, is_active=True).first()
        if category is None or category.project_id not in (None, project.pk):
            raise ValidationError({"category": _("Choose a category from the list.")})
    prepared = prepare_all(photos)
    with transaction.atomic():
        wo, created = services.create_work_order(
            None, client=client, project=project, kind=_kind(kind, unit), channel=WorkOrder.Channel.PORTAL,
            description=description, unit=unit, building=building, location=location, requester=requester,
            contact_name=requester.name, contact_phone=owner.phone, category=category,
            idempotency_key=idempotency_key)
        if created and prepared:
            services.store_photos(wo, prepared)
            timeline.record(None, "service.photo", Message(
                gettext_noop("%(count)s photo(s) attached by the owner"), {"count": len(prepared)}), subjects=[wo])
        if created:
            notices.portal_report(wo)
    return wo, created


def _require(owner, wo: WorkOrder, what: str) -> WorkOrder:
    wo = get_owner_work_order(owner, wo.pk)
    if what not in owner_may(wo):
        raise Conflict(_("This is no longer possible for request %(number)s (now: %(state)s).") % {
            "number": wo.number, "state": wo.get_state_display()}, state=wo.state)
    return wo


def confirm(owner, wo: WorkOrder, *, version: int | None = None) -> WorkOrder:
    """The owner confirms the problem is solved (resolved → confirmed)."""
    current = _require(owner, wo, "confirm")
    return apply_transition(None, current, A.CONFIRM, version=version, who=_("the owner"),
                            summary=Message(gettext_noop("The owner confirmed it is resolved")))


def not_fixed(owner, wo: WorkOrder, note: str, *, version: int | None = None) -> WorkOrder:
    """The owner says it is not fixed: the work order reopens and the assignee is told (area 2)."""
    current = _require(owner, wo, "not_fixed")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Tell us what is still wrong.")})
    return apply_transition(None, current, A.REOPEN, version=version, note=note,
                            summary=Message(gettext_noop("Not fixed, says the owner: %(note)s"), {"note": note}))


def rate(owner, wo: WorkOrder, rating, comment: str = "") -> WorkOrder:
    """The owner rates the service 1–5 once, after resolution; 1 or 2 flags it for the project's
    managers, who are told at once, as after a poor callback (area 2)."""
    current = _require(owner, wo, "rate")
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose from 1 to 5 stars.")})
    comment = (comment or "").strip()[:1000]
    now = timezone.now()
    poor = rating <= 2
    with transaction.atomic():
        fields = {"owner_rating": rating, "owner_comment": comment, "rated_at": now}
        if poor:
            fields["needs_manager_attention"] = True
        # Once only: a second tap, or a second browser, finds it rated already.
        if not WorkOrder.objects.filter(pk=current.pk, owner_rating__isnull=True).update(**fields):
            raise Conflict(_("You have already rated request %(number)s.") % {"number": current.number},
                           state=current.state)
        for field, value in fields.items():
            setattr(current, field, value)
        text = (gettext_noop("The owner rated it %(rating)s of 5: %(comment)s") if comment
                else gettext_noop("The owner rated it %(rating)s of 5"))
        timeline.record(None, "service.owner_rating", Message(text, {"rating": rating, "comment": comment}),
                        subjects=services.subjects(current), at=now)
        if poor:
            notices.poor_owner_rating(current)
    return current
