"""What an owner or resident sees of fees in the portal (issue 14, item 6), through archive.owners.

A person sees the bills of their current homes from the month their occupancy began (an owner or a
household member: the household's bills; a tenant: only the bills addressed to them), and any bill
addressed to them; receipts and payments likewise. A new owner does not see the previous owner's bills,
a neighbour sees nothing of another home, and a lease that ends ends access at once (archive.owners
re-reads the occupancies on every request).
"""

from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from propdesk.archive.models import Occupancy
from propdesk.core.errors import NotFound

from . import money, sums
from .models import OPEN, Bill, ChargeLine, Payment, Receipt, Reminder, ReminderAction, Statement

ZERO = Decimal("0.00")


def occupancy_for_unit(owner, unit_id) -> Occupancy:
    """The owner's current occupancy of the unit, else NotFound."""
    for occupancy in owner.occupancies:
        if str(occupancy.unit_id) == str(unit_id):
            return occupancy
    raise NotFound


def _household(owner) -> Q:
    """Bills of the owner's homes since they live there, addressed to the household as it is now (an
    owner or household member sees the bills of the home's current owners and members, not those of a
    previous owner or of a tenant)."""
    condition = Q(pk__in=[])
    for o in owner.occupancies:
        if o.role != Occupancy.Role.TENANT:
            condition |= Q(unit_id=o.unit_id, period__gte=money.month_start(o.start_date),
                           payer_id__in=owner.households[o.unit_id])
    return condition


def bills(owner):
    """The bills the owner may see, newest first (each knows its open amount without its lines)."""
    mine = Q(payer_id__in=owner.customer_ids, unit_id__in=owner.unit_ids)
    return Bill.objects.filter(mine | _household(owner)).order_by("-period", "-id")


def bill_list(owner, bills_shown) -> list[Bill]:
    """The bills of a page with their payer, and their unit taken from the owner's homes (every bill the
    owner sees is of one of their homes), so a page reads one table besides the payers."""
    units = {o.unit_id: o.unit for o in owner.occupancies}
    shown = list(bills_shown.select_related("payer"))
    for bill in shown:
        if bill.unit_id in units:
            bill.unit = units[bill.unit_id]
    return shown


def get_bill(owner, bill_id: int) -> Bill:
    """One of the owner's bills, with its lines."""
    try:
        return bills(owner).select_related("unit__building", "unit__project", "payer").prefetch_related(
            Prefetch("lines", ChargeLine.objects.order_by("service_start", "id"))).get(pk=bill_id)
    except Bill.DoesNotExist as exc:
        raise NotFound from exc


def open_lines(owner, unit) -> list[ChargeLine]:
    """The open charges of one of the owner's homes that the owner may see and pay, oldest first."""
    visible = bills(owner).filter(unit=unit).values("pk")
    return list(ChargeLine.objects.filter(OPEN, bill_id__in=visible)
                .order_by("due_date", "service_start", "id"))


def homes(owner) -> list[dict]:
    """Each current home with what is open on it (visible to the owner) and its prepayment."""
    out = []
    for o in owner.occupancies:
        lines = open_lines(owner, o.unit)
        held = Payment.objects.filter(unit_id=o.unit_id, purpose=Payment.Purpose.FEES, void__isnull=True)
        if o.role == Occupancy.Role.TENANT:  # a tenant sees the prepayment they made, not the owner's
            held = held.filter(payer_id__in=owner.customer_ids)
        prepaid = sums.aggregate(held, "unallocated")
        overdue = any(x.due_date < timezone.localdate() for x in lines)
        # the ladder's latest notice to this household, shown in the portal while something is overdue
        notice = (Reminder.objects.filter(unit_id=o.unit_id, payer_id__in=owner.customer_ids,
                                          action__in=(ReminderAction.NOTICE, ReminderAction.SECOND_NOTICE))
                  .order_by("-day", "-id").first() if overdue else None)
        out.append({"occupancy": o, "unit": o.unit, "open": sum((x.outstanding for x in lines), ZERO),
                    "lines": lines, "prepaid": prepaid, "overdue": overdue, "notice": notice})
    return out


def _payments_condition(owner) -> Q:
    condition = Q(payer_id__in=owner.customer_ids, unit_id__in=owner.unit_ids)
    for o in owner.occupancies:
        if o.role != Occupancy.Role.TENANT:
            condition |= Q(unit_id=o.unit_id, received_at__date__gte=o.start_date)
    return condition


def payments(owner):
    """The owner's payment history: payments for their homes since they live there, or made by them."""
    return (Payment.objects.filter(_payments_condition(owner)).select_related("receipt", "unit__building", "void")
            .order_by("-received_at", "-id"))


def receipts(owner):
    return (Receipt.objects.filter(payment__in=payments(owner).values("pk"))
            .select_related("payment__void", "project__company").order_by("-issued_at", "-id"))


def get_receipt(owner, receipt_id: int) -> Receipt:
    try:
        return receipts(owner).get(pk=receipt_id)
    except Receipt.DoesNotExist as exc:
        raise NotFound from exc


def standards(owner):
    """The fee standards published in the owner's projects (Civil Code art. 943)."""
    from .standards import published_standards

    return published_standards(owner.project_ids, timezone.localdate())


def statements(owner):
    """The income and expense statements published to the owner's projects."""
    return (Statement.objects.filter(project_id__in=owner.project_ids, status=Statement.Status.PUBLISHED)
            .select_related("project").prefetch_related("lines").order_by("-period", "project_id"))


def get_statement(owner, statement_id: int) -> Statement:
    try:
        return statements(owner).get(pk=statement_id)
    except Statement.DoesNotExist as exc:
        raise NotFound from exc
