"""Reads of fees for staff, already scoped to the user's projects (org.access) and to the reading roles."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from propdesk.core.errors import NotFound
from propdesk.org.access import get_scoped, scope
from propdesk.org.models import Unit

from . import access, sums
from .models import (
    OPEN,
    UNPAID,
    Adjustment,
    Bill,
    ChargeLine,
    Decision,
    Deposit,
    DepositRelease,
    Payment,
    PaymentPlan,
    Receipt,
    Refund,
    Reminder,
)

ZERO = Decimal("0.00")


def _scoped(qs, user):
    access.require_reader(user)
    return scope(qs, user)


def bills_for(user, project_id: int | None = None, period: dt.date | None = None, unit_id: int | None = None,
              open_only: bool = False):
    qs = _scoped(Bill.objects.select_related("unit__building", "payer", "project"), user)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if period:
        qs = qs.filter(period=period)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if open_only:
        qs = qs.filter(UNPAID)
    return qs.order_by("-period", "-id")


def get_bill(user, bill_id: int) -> Bill:
    return get_scoped(Bill.objects.select_related("unit__building", "payer", "project", "run")
                      .prefetch_related(Prefetch("lines", ChargeLine.objects.select_related("fee_item"))),
                      access_checked(user), pk=bill_id)


def access_checked(user):
    access.require_reader(user)
    return user


def get_line(user, line_id: int) -> ChargeLine:
    return get_scoped(ChargeLine.objects.select_related("bill__payer", "unit__building", "fee_item"),
                      access_checked(user), pk=line_id)


def payments_for(user, project_id: int | None = None, start: dt.datetime | None = None,
                 end: dt.datetime | None = None, method: str | None = None, unit_id: int | None = None):
    qs = _scoped(Payment.objects.select_related("unit__building", "receipt", "cashier", "void", "project"), user)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if start:
        qs = qs.filter(received_at__gte=start)
    if end:
        qs = qs.filter(received_at__lt=end)
    if method:
        qs = qs.filter(method=method)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("-received_at", "-id")


def get_payment(user, payment_id: int) -> Payment:
    return get_scoped(Payment.objects.select_related("unit__building", "receipt", "cashier", "void", "payer"),
                      access_checked(user), pk=payment_id)


def receipts_for(user, project_id: int | None = None, q: str = ""):
    qs = _scoped(Receipt.objects.select_related("payment__void", "project"), user)
    if project_id:
        qs = qs.filter(project_id=project_id)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(payer_name__icontains=q) | Q(unit_label__icontains=q))
    return qs.order_by("-issued_at", "-id")


def get_receipt(user, receipt_id: int) -> Receipt:
    return get_scoped(Receipt.objects.select_related("payment__void", "payment__unit", "project__company"),
                      access_checked(user), pk=receipt_id)


def get_deposit(user, deposit_id: int) -> Deposit:
    return get_scoped(Deposit.objects.select_related("unit__building", "payer", "fee_item", "payment__receipt"),
                      access_checked(user), pk=deposit_id)


def deposits_for(user, project_id: int | None = None, status: str | None = None):
    qs = _scoped(Deposit.objects.select_related("unit__building", "payer", "fee_item", "payment__receipt"), user)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


REQUESTS = {"adjustment": Adjustment, "refund": Refund, "release": DepositRelease}


def get_request(user, kind: str, request_id: int):
    model = REQUESTS.get(kind)
    if model is None:
        raise NotFound
    return get_scoped(model.objects.select_related("unit__building", "requested_by", "decided_by"),
                      access_checked(user), pk=request_id)


def requests_for(user, project_id: int | None = None, pending_only: bool = True) -> list:
    """Adjustments, refunds and deposit releases, awaiting approval first."""
    rows = []
    for kind, model in REQUESTS.items():
        qs = _scoped(model.objects.select_related("unit__building", "requested_by", "decided_by", "project"), user)
        if project_id:
            qs = qs.filter(project_id=project_id)
        if pending_only:
            qs = qs.filter(status=Decision.PENDING)
        rows.extend((kind, r) for r in qs.order_by("-requested_at")[:200])
    return sorted(rows, key=lambda kr: (kr[1].status != Decision.PENDING, kr[1].requested_at), reverse=False)


@dataclass
class UnitFees:
    """A unit's fees as the desk sees them: what is open, prepaid, held, paid lately, and the ladder."""

    unit: Unit
    open_lines: list = field(default_factory=list)
    owed: Decimal = ZERO
    prepaid: Decimal = ZERO
    oldest_due: dt.date | None = None
    bills: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    deposits: list = field(default_factory=list)
    reminders: list = field(default_factory=list)
    plan: PaymentPlan | None = None


def unit_fees(user, unit_id: int, today: dt.date | None = None) -> UnitFees:
    access.require_reader(user)
    unit = get_scoped(Unit.objects.select_related("building", "project"), user, pk=unit_id)
    lines = list(ChargeLine.objects.filter(OPEN, unit=unit).select_related("bill__payer", "fee_item")
                 .order_by("due_date", "service_start", "id"))
    prepaid = sums.aggregate(Payment.objects.filter(unit=unit, purpose=Payment.Purpose.FEES, void__isnull=True),
                             "unallocated")
    fees = UnitFees(unit=unit, open_lines=lines, owed=sum((x.outstanding for x in lines), ZERO), prepaid=prepaid,
                    oldest_due=lines[0].due_date if lines else None)
    fees.bills = list(Bill.objects.filter(unit=unit).select_related("payer").prefetch_related("lines")
                      .order_by("-period", "-id")[:12])
    fees.payments = list(Payment.objects.filter(unit=unit).select_related("receipt", "void", "cashier")
                         .order_by("-received_at", "-id")[:12])
    fees.deposits = list(Deposit.objects.filter(unit=unit).select_related("fee_item", "payment__receipt")
                         .order_by("-created_at")[:12])
    fees.reminders = list(Reminder.objects.filter(unit=unit).select_related("payer").order_by("-day", "-id")[:12])
    fees.plan = PaymentPlan.objects.filter(unit=unit, ended_at__isnull=True, until__gte=today or timezone.localdate()
                                           ).order_by("-agreed_at").first()
    return fees


def reminders_for(user, project_id: int | None = None):
    """The reminders sent (the ladder's steps taken), newest first."""
    return _scoped(Reminder.objects.select_related("unit__building", "payer"), user).filter(
        **({"project_id": project_id} if project_id else {})).order_by("-day", "-id")


def get_reminder(user, reminder_id: int) -> Reminder:
    access.require_reader(user)
    return get_scoped(Reminder.objects.select_related("project__company", "unit", "payer"), user, pk=reminder_id)


def get_plan(user, plan_id: int) -> PaymentPlan:
    access.require_reader(user)
    return get_scoped(PaymentPlan.objects.select_related("unit"), user, pk=plan_id)
