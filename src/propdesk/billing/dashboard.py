"""The fees desk's figures of the day for one project (the console's fees home page)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count

from . import access, sums
from .models import HELD, UNPAID, Adjustment, Bill, BillRun, Decision, DepositRelease, Payment, Refund


@dataclass
class Figures:
    run: BillRun | None
    collected_count: int
    collected: Decimal
    overdue: Decimal
    overdue_units: int
    prepaid: Decimal
    pending: int


def figures(user, project, today: dt.date) -> Figures:
    access.require_reader(user)
    zone = ZoneInfo(project.timezone)
    start = dt.datetime.combine(today, dt.time.min, zone)
    paid = Payment.objects.filter(project=project, received_at__gte=start,
                                  received_at__lt=start + dt.timedelta(days=1), void__isnull=True)
    overdue = Bill.objects.filter(UNPAID, project=project, due_date__lt=today)
    pending = sum(model.objects.filter(project=project, status=Decision.PENDING).count()
                  for model in (Adjustment, Refund, DepositRelease))
    return Figures(
        run=BillRun.objects.filter(project=project, period=today.replace(day=1)).first(),
        collected_count=paid.count(), collected=sums.aggregate(paid, "amount"),
        overdue=sums.yuan(overdue.aggregate(fen=sums.fen_total("open_fen"))["fen"]),
        overdue_units=overdue.aggregate(n=Count("unit_id", distinct=True))["n"],
        prepaid=sums.aggregate(Payment.objects.filter(HELD, project=project, purpose=Payment.Purpose.FEES,
                                                      void__isnull=True), "unallocated"),
        pending=pending)
