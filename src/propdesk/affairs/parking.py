"""Parking (停车, PRODUCT.md area 3; issue 13, item 4): spaces, allocations with plates, rentals.

A space is never allocated twice for overlapping periods. The check runs with the space's row locked
(SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions hold the one write lock from the
first statement), so two desks allocating the same space at the same moment cannot both succeed.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.access import require_project, require_role

from . import charges, common
from .models import ParkingAllocation, ParkingSpace
from .models.parking import SpaceKind
from .renovation import money
from .roles import DESK

EXPIRY_WINDOW = dt.timedelta(days=30)
# 粤B12345, 粤B·D12345, 京A 12345 → 粤B12345, 粤BD12345, 京A12345
_PLATE_NOISE = re.compile(r"[\s·•.\-_]")
_PLATE = re.compile(r"^[\u4e00-\u9fa5]?[A-Z][A-Z0-9]{4,7}[\u4e00-\u9fa5]?$")


def normalise_plate(text: str) -> str:
    return _PLATE_NOISE.sub("", (text or "").upper())


def clean_plates(text: str) -> str:
    plates = [normalise_plate(p) for p in re.split(r"[,，;；\s]+", text or "") if p.strip()]
    bad = [p for p in plates if not _PLATE.match(p)]
    if bad:
        raise ValidationError({"plates": _("Not a plate number: %(plates)s") % {"plates": "、".join(bad)}})
    if not plates:
        raise ValidationError({"plates": _("Enter at least one plate number.")})
    return " ".join(dict.fromkeys(plates))[:100]


def add_space(actor, project, *, number: str, zone: str, kind: str) -> ParkingSpace:
    require_role(actor, DESK)
    require_project(actor, project.pk)
    number = (number or "").strip().upper()
    if ParkingSpace.objects.filter(project=project, number=number).exists():
        raise ValidationError({"number": _("Space %(number)s already exists.") % {"number": number}})
    space = ParkingSpace(project=project, number=number, zone=(zone or "").strip(), kind=kind)
    space.full_clean(exclude=["project"])
    with transaction.atomic():
        space.save()
        timeline.record(actor, "affairs.parking.space_added", Message(
            gettext_noop("Parking space %(number)s added"), {"number": number}), subjects=[space])
    return space


def _overlapping(space_id: int, start, end):
    qs = ParkingAllocation.objects.filter(space_id=space_id, ended_early_on__isnull=True)
    qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    return qs.filter(start_date__lte=end) if end else qs


def allocate(actor, space: ParkingSpace, *, unit, customer, start_date, end_date=None, plates: str,
             monthly_price=None, agreement_number: str = "", receipt: str = "", kind: str | None = None
             ) -> ParkingAllocation:
    """Allocate a space to a unit and customer with their plates for a period (item 4). A rental needs its
    end date and monthly price; a space already allocated for any overlapping day is refused."""
    require_role(actor, DESK)
    require_project(actor, space.project_id)
    kind = kind or space.kind
    errors = {}
    if unit.project_id != space.project_id or customer.project_id != space.project_id:
        errors["unit"] = _("The unit and customer must belong to the space's project.")
    elif common.current_role(customer, unit, start_date) is None:
        errors["customer"] = _("%(name)s does not live in %(unit)s.") % {"name": customer.name, "unit": unit.label}
    if end_date and end_date < start_date:
        errors["end_date"] = _("The end date is before the start date.")
    if kind == SpaceKind.RENTED:
        if not end_date:
            errors["end_date"] = _("A rental needs its end date.")
        if monthly_price in (None, ""):
            errors["monthly_price"] = _("A rental needs its monthly price.")
    if space.status == ParkingSpace.Status.OUT_OF_SERVICE:
        errors["space"] = _("This space is out of service.")
    try:
        plates = clean_plates(plates)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    price = money(monthly_price, "monthly_price") if monthly_price not in (None, "") else None
    with transaction.atomic():
        # Lock the space: a concurrent allocation of it waits here and then sees this one.
        ParkingSpace.objects.select_for_update().get(pk=space.pk)
        clash = _overlapping(space.pk, start_date, end_date).select_related("unit__building").first()
        if clash is not None:
            raise Conflict(_("Space %(space)s is already allocated to %(unit)s from %(start)s to %(end)s.") % {
                "space": space.number, "unit": clash.unit.label, "start": clash.start_date,
                "end": clash.end_date or _("open-ended")}, code="double_allocation")
        allocation = ParkingAllocation.objects.create(
            space=space, unit=unit, customer=customer, kind=kind, start_date=start_date, end_date=end_date,
            monthly_price=price, plates=plates, agreement_number=agreement_number.strip()[:30],
            receipt=receipt.strip()[:40], created_by=actor, created_at=timezone.now())
        if not allocation.agreement_number:
            allocation.agreement_number = common.number_for("TC", allocation.pk, start_date)
            allocation.save(update_fields=["agreement_number"])
        if allocation.is_current(timezone.localdate()):
            ParkingSpace.objects.filter(pk=space.pk).update(status=ParkingSpace.Status.IN_USE)
        charges.post_parking_rent(actor, allocation, timezone.localdate())
        timeline.record(actor, "affairs.parking.allocated", Message(
            gettext_noop("Parking space %(space)s allocated to %(unit)s (%(plates)s)"),
            {"space": space.number, "unit": unit.label, "plates": plates}), subjects=[space, unit, customer])
    return allocation


def end_allocation(actor, allocation: ParkingAllocation, *, on=None) -> ParkingAllocation:
    require_role(actor, DESK)
    require_project(actor, allocation.space.project_id)
    on = on or timezone.localdate()
    if allocation.ended_early_on or (allocation.end_date and allocation.end_date < on):
        raise Conflict(_("This allocation has already ended."))
    if on < allocation.start_date:
        raise ValidationError({"on": _("The end date is before the start date.")})
    with transaction.atomic():
        allocation.ended_early_on, allocation.end_date = on, on
        allocation.save(update_fields=["ended_early_on", "end_date"])
        ParkingSpace.objects.filter(pk=allocation.space_id).update(status=ParkingSpace.Status.AVAILABLE)
        timeline.record(actor, "affairs.parking.ended", Message(
            gettext_noop("Parking allocation of %(space)s ended"), {"space": allocation.space.number}),
            subjects=[allocation.space, allocation.unit, allocation.customer])
    return allocation


def refresh_space_status(today=None) -> int:
    """The daily job (item 4): a space whose allocations have all ended is free again the day after the
    last one's end date; a space whose allocation starts today is in use. Out-of-service spaces are left
    as set. Returns the number of spaces changed."""
    today = today or timezone.localdate()
    current = ParkingAllocation.objects.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)).values("space_id")
    freed = ParkingSpace.objects.filter(status=ParkingSpace.Status.IN_USE).exclude(pk__in=current).update(
        status=ParkingSpace.Status.AVAILABLE)
    taken = ParkingSpace.objects.filter(status=ParkingSpace.Status.AVAILABLE, pk__in=current).update(
        status=ParkingSpace.Status.IN_USE)
    return freed + taken
