"""Special (paid) services ordered by owners in the portal (特约服务, PRODUCT.md areas 2, 4 and 6).

The project publishes its price list in advance; an owner orders an item for one of their homes at a
chosen time, and the order becomes a work order of kind special_service with the price agreed at
that moment (`WorkOrder.agreed_price`): a later change of the price list does not change it.

The agreed price is the item's price times the quantity: 1 for a per-visit item, the hours or pieces
the owner asked for (per-hour and per-item items), the unit's floor area for a per-m² item. The
quantity has no column of its own: it is written into the work order's description, where the staff
read it, and into the parameters of the timeline event "ordered". Paid services are accounted apart
from property fees: `revenue.paid_service_orders()` reads them by `price_item` and `agreed_price`.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from propdesk.core.errors import NotFound
from propdesk.core.timeline import Message

from . import services
from .models import PriceItem, WorkOrder

MAX_DAYS_AHEAD = 60
MIN_LEAD = timedelta(minutes=30)  # the service center needs a little time to plan a visit
MAX_HOURS = Decimal("24")
MAX_ITEMS = Decimal("20")
U = PriceItem.PriceUnit

# How a price reads to owners: ¥45.00 元/小时.
PRICE_UNITS = {U.VISIT: gettext_lazy("yuan/visit"), U.HOUR: gettext_lazy("yuan/hour"),
               U.SQM: gettext_lazy("yuan/m²"), U.ITEM: gettext_lazy("yuan/item")}
# The owner chooses a quantity only for these; per visit is 1, per m² is the unit's area.
ASKS_QUANTITY = (U.HOUR, U.ITEM)


def special_services_for_owner(owner):
    """The published special services of the owner's projects, with their project."""
    return (PriceItem.objects.filter(project_id__in=owner.project_ids, kind=PriceItem.Kind.SPECIAL,
                                     is_published=True)
            .select_related("project").order_by("project__code", "name"))


def get_orderable_item(owner, item_id: int) -> PriceItem:
    """A published special service of one of the owner's projects, else NotFound."""
    try:
        return special_services_for_owner(owner).get(pk=item_id)
    except PriceItem.DoesNotExist as exc:
        raise NotFound from exc


def homes_for_item(owner, item: PriceItem) -> list:
    """The owner's current occupancies in the item's project: the homes they may order it for."""
    return [o for o in owner.occupancies if o.unit.project_id == item.project_id]


def quantity_for(item: PriceItem, unit, quantity) -> Decimal:
    """The quantity the price is multiplied by (see the module docstring)."""
    if item.unit == U.VISIT:
        return Decimal("1")
    if item.unit == U.SQM:
        if not unit.area:
            raise ValidationError({"unit": _("The floor area of this home is not on record; please call the "
                                             "service center to order this service.")})
        return Decimal(unit.area)
    try:
        value = Decimal(str(quantity or "1"))
    except InvalidOperation as exc:
        raise ValidationError({"quantity": _("Enter a number.")}) from exc
    limit = MAX_HOURS if item.unit == U.HOUR else MAX_ITEMS
    step = Decimal("0.5") if item.unit == U.HOUR else Decimal("1")
    if value <= 0 or value > limit or value % step:
        raise ValidationError({"quantity": _("Enter a quantity between %(step)s and %(limit)s.")
                               % {"step": step, "limit": limit}})
    return value


def check_time(when) -> None:
    """The appointment: in the future (at least 30 minutes ahead) and within 60 days."""
    if when is None or timezone.is_naive(when):
        raise ValidationError({"when": _("Choose the date and time of the visit.")})
    now = timezone.now()
    if when < now + MIN_LEAD:
        raise ValidationError({"when": _("Choose a time at least 30 minutes from now.")})
    if when > now + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"when": _("Appointments can be made at most %(days)d days ahead.")
                               % {"days": MAX_DAYS_AHEAD}})


def order_special_service(owner, *, item_id: int, unit_id: int, when, quantity=None, note: str = "",
                          idempotency_key: str | None = None) -> tuple[WorkOrder, bool]:
    """An owner orders a published special service of their project for one of their homes.

    Refused as not found: an item that is not a published special service of one of the owner's
    projects, a unit that is not one of the owner's current homes in the item's project. Returns
    (work order, created); a retry with the same idempotency key returns the first order.
    """
    client = owner.client_key
    earlier = services.earlier_work_order(client, idempotency_key)
    if earlier is not None:
        return earlier, False
    item = get_orderable_item(owner, item_id)
    home = next((o for o in homes_for_item(owner, item) if str(o.unit_id) == str(unit_id)), None)
    if home is None:
        raise NotFound
    check_time(when)
    qty = quantity_for(item, home.unit, quantity)
    price = item.price_for(qty)
    note = (note or "").strip()[:500]
    summary = _("%(item)s: %(quantity)s × ¥%(price)s %(per)s = ¥%(total)s") % {
        "item": item.name, "quantity": qty.normalize(), "price": item.price, "per": PRICE_UNITS[item.unit],
        "total": price}
    wo = WorkOrder(
        project=item.project, kind=WorkOrder.Kind.SPECIAL_SERVICE, channel=WorkOrder.Channel.PORTAL,
        unit=home.unit, building=home.unit.building, requester=home.customer,
        contact_name=home.customer.name, contact_phone=owner.phone,
        description=f"{summary}\n{note}" if note else summary,
        price_item=item, agreed_price=price, scheduled_for=when, received_at=timezone.now(),
        is_chargeable=True,
    )
    wo.full_clean(exclude=["first_receiver"])
    # The owner is not a staff user: the event has no actor; the requester is on the card.
    return services.store_new(None, wo, client=client, idempotency_key=idempotency_key,
                              verb="service.special_ordered", summary=Message(
        gettext_noop("Special service %(item)s ordered in the portal for %(when)s: quantity %(quantity)s, "
                     "agreed price ¥%(price)s (work order %(number)s)"),
        {"item": item.name, "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M"),
         "quantity": str(qty.normalize()), "price": price}))
