"""Customer value (客户价值, seed 001: "根据客户的价值提供不同的客户服务", issue 15 item 3): one formula, in SQL,
so the customer card and the segmentation filter of a notice read the same figure.

Over the last WINDOW_DAYS before `today`:
  participation  = points earned (the ledger's "earned" entries: activities, suggestions, referrals,
                   articles, surveys — not redemptions, refunds or adjustments);
  spending       = paid services: special services at their agreed price, plus chargeable repairs at the
                   fee the owner consented to (service.revenue; cancelled and merged work orders excluded);
  complaints     = complaints the customer made (cancelled and merged ones excluded).
  score          = participation + ⌊spending / YUAN_PER_POINT⌋ − COMPLAINT_WEIGHT × complaints
  band           = "A" (high value) from BAND_A, "B" from BAND_B, else "C".
Integer arithmetic only (the spending is floored, never rounded: the same on SQLite and PostgreSQL).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Floor
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.service.models import ChargeQuote, WorkOrder
from propdesk.service.revenue import NO_REVENUE

from ..models import PointsEntry

WINDOW_DAYS = 365
YUAN_PER_POINT = 10
COMPLAINT_WEIGHT = 20
BAND_A, BAND_B = 200, 50
BANDS = {"A": _("A · high value"), "B": _("B · medium value"), "C": _("C · low value")}
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _since(today: dt.date) -> dt.datetime:
    start = today - dt.timedelta(days=WINDOW_DAYS)
    return dt.datetime.combine(start, dt.time.min, timezone.get_current_timezone())


def with_value(customers, today: dt.date | None = None):
    """`customers` annotated with value_points, value_spend, value_complaints, value_score and value_band."""
    since = _since(today or timezone.localdate())
    earned = (PointsEntry.objects.filter(customer=OuterRef("pk"), kind=PointsEntry.Kind.EARN, created_at__gte=since)
              .order_by().values("customer").annotate(s=Sum("amount")).values("s"))
    special = (WorkOrder.objects.filter(requester=OuterRef("pk"), kind=WorkOrder.Kind.SPECIAL_SERVICE,
                                        received_at__gte=since).exclude(state__in=NO_REVENUE)
               .order_by().values("requester").annotate(s=Sum("agreed_price")).values("s"))
    repairs = (ChargeQuote.objects.filter(work_order__requester=OuterRef("pk"), consent_at__gte=since)
               .exclude(work_order__state__in=NO_REVENUE)
               .order_by().values("work_order__requester").annotate(s=Sum("fee")).values("s"))
    complaints = (WorkOrder.objects.filter(requester=OuterRef("pk"), kind=WorkOrder.Kind.COMPLAINT,
                                           received_at__gte=since).exclude(state__in=NO_REVENUE)
                  .order_by().values("requester").annotate(n=Count("pk")).values("n"))
    zero_money = Value(Decimal("0"), output_field=MONEY)
    annotated = customers.annotate(
        value_points=Coalesce(Subquery(earned, output_field=IntegerField()), Value(0)),
        value_spend=(Coalesce(Subquery(special, output_field=MONEY), zero_money)
                     + Coalesce(Subquery(repairs, output_field=MONEY), zero_money)),
        value_complaints=Coalesce(Subquery(complaints, output_field=IntegerField()), Value(0)),
    ).annotate(
        value_score=(F("value_points")
                     + Cast(Floor(F("value_spend") / Value(YUAN_PER_POINT)), IntegerField())
                     - Value(COMPLAINT_WEIGHT) * F("value_complaints")),
    )
    return annotated.annotate(value_band=Case(
        When(value_score__gte=BAND_A, then=Value("A")), When(value_score__gte=BAND_B, then=Value("B")),
        default=Value("C")))


@dataclass(frozen=True)
class CustomerValue:
    points: int
    spend: Decimal
    complaints: int
    score: int
    band: str

    @property
    def band_label(self) -> str:
        return str(BANDS[self.band])


def value_of(customer, today: dt.date | None = None) -> CustomerValue:
    """The value of one customer (the customer card's panel): one query."""
    row = with_value(type(customer).objects.filter(pk=customer.pk), today).values(
        "value_points", "value_spend", "value_complaints", "value_score", "value_band").get()
    return CustomerValue(points=row["value_points"], spend=Decimal(row["value_spend"]).quantize(Decimal("0.01")),
                         complaints=row["value_complaints"], score=row["value_score"], band=row["value_band"])
