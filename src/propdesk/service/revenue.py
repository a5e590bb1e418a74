"""Paid-service revenue, kept apart from property fees (PRODUCT.md area 4: "accounted separately").

Two kinds of paid work exist: special services ordered from the price list (the agreed price on the
work order) and chargeable repairs (the fee of the quote the owner consented to). Neither is a
property fee; the billing issue will post them to their own fee items. Cancelled and merged work
orders carry no revenue.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from propdesk.org.access import scope

from .models import ChargeQuote, WorkOrder

NO_REVENUE = (WorkOrder.State.CANCELLED, WorkOrder.State.MERGED)
SPECIAL, REPAIRS = "special", "repairs"


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next, in the installation's time zone."""
    start = date(month.year, month.month, 1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end, time.min, tz)


@dataclass
class Revenue:
    rows: list
    total: Decimal


def paid_service_orders(user, project_id: int | None, month: date, kind: str = SPECIAL) -> Revenue:
    """The month's paid work of the user's projects: special services by the month of their appointment
    with the agreed price, or chargeable repairs by the month of the owner's consent with the fee."""
    start, end = month_bounds(month)
    if kind == REPAIRS:
        qs = ChargeQuote.objects.filter(work_order__in=scope(WorkOrder.objects.all(), user)).filter(consent_at__gte=start, consent_at__lt=end).exclude(work_order__state__in=NO_REVENUE)
        if project_id:
            qs = qs.filter(work_order__project_id=project_id)
        qs = qs.select_related("work_order__project", "work_order__unit__building", "work_order__requester",
                               "price_item").order_by("consent_at", "id")
        return Revenue(list(qs), _money(qs.aggregate(total=Sum("fee"))["total"]))
    qs = scope(WorkOrder.objects.all(), user).filter(
        kind=WorkOrder.Kind.SPECIAL_SERVICE, agreed_price__isnull=False,
        scheduled_for__gte=start, scheduled_for__lt=end).exclude(state__in=NO_REVENUE)
    if project_id:
        qs = qs.filter(project_id=project_id)
    qs = qs.select_related("project", "unit__building", "requester", "price_item").order_by("scheduled_for", "id")
    return Revenue(list(qs), _money(qs.aggregate(total=Sum("agreed_price"))["total"]))


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))
