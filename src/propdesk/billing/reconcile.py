"""Reconciliation (对账): the identities the ledger keeps, checked from its immutable rows (issue 14, item 5).

For every unit and for the project:
- posted charges − payments allocated − credits allocated = the balance still owed (Σ open amounts);
- each line's open amount = its amount − its allocations; each bill's open amount = the sum of its lines'
  (and each line is due when its bill is); each payment's prepayment = its amount − its allocations − its
  refunds (a voided payment: nothing allocated, nothing held);
- the receipts (not void) sum to the payments (not void), one receipt per payment, numbered 1…N with no
  gap and no number used twice;
- a deposit held = its payment − its approved releases;
- the project, building and unit copied onto each bill and line (not checked by the database, see the models) are
  those of the bill's unit.

`check_project()` returns the problems found (empty when everything reconciles). It is what the
property-based test checks after every generated scenario, and what `manage.py billing_reconcile` runs.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Max, Q

from . import sums
from .models import (
    Allocation,
    Bill,
    ChargeLine,
    Decision,
    Deposit,
    DepositRelease,
    Payment,
    PaymentVoid,
    Receipt,
    RefundPart,
)

ZERO = Decimal("0.00")


def _sums(qs, key: str, value: str = "amount") -> dict:
    return sums.by(qs, key, value)


def unit_balances(project_id: int) -> dict[int, dict[str, Decimal]]:
    """Per unit: charged, paid (allocated payments), credited, owed (Σ open), prepaid (Σ unallocated)."""
    out = defaultdict(lambda: {"charged": ZERO, "paid": ZERO, "credited": ZERO, "owed": ZERO, "prepaid": ZERO})
    lines = ChargeLine.objects.filter(project_id=project_id)
    for unit_id, charged in _sums(lines, "unit_id").items():
        out[unit_id]["charged"] = charged
    for unit_id, owed in _sums(lines, "unit_id", "outstanding").items():
        out[unit_id]["owed"] = owed
    allocations = Allocation.objects.filter(project_id=project_id)
    for unit_id, paid in _sums(allocations.filter(payment__isnull=False), "unit_id").items():
        out[unit_id]["paid"] = paid
    for unit_id, credited in _sums(allocations.filter(credit__isnull=False), "unit_id").items():
        out[unit_id]["credited"] = credited
    fees = Payment.objects.filter(project_id=project_id, purpose=Payment.Purpose.FEES)
    for unit_id, prepaid in _sums(fees, "unit_id", "unallocated").items():
        out[unit_id]["prepaid"] = prepaid
    return dict(out)


def check_project(project_id: int) -> list[str]:
    problems = []
    for unit_id, b in unit_balances(project_id).items():
        if b["charged"] - b["paid"] - b["credited"] != b["owed"]:
            problems.append(f"unit {unit_id}: charged {b['charged']} − paid {b['paid']} − credited {b['credited']}"
                            f" ≠ owed {b['owed']}")
    allocated = _sums(Allocation.objects.filter(project_id=project_id), "line_id")
    for pk, amount, outstanding in ChargeLine.objects.filter(project_id=project_id).values_list(
            "id", "amount", "outstanding"):
        if amount - allocated.get(pk, ZERO) != outstanding:
            problems.append(f"line {pk}: {amount} − allocated {allocated.get(pk, ZERO)} ≠ open {outstanding}")
    by_payment = _sums(Allocation.objects.filter(project_id=project_id, payment__isnull=False), "payment_id")
    refunded = _sums(RefundPart.objects.filter(payment__project_id=project_id), "payment_id")
    voided = set(PaymentVoid.objects.filter(payment__project_id=project_id).values_list("payment_id", flat=True))
    payments = list(Payment.objects.filter(project_id=project_id).values_list("id", "purpose", "amount",
                                                                             "unallocated"))
    for pk, purpose, amount, unallocated in payments:
        if pk in voided:
            if by_payment.get(pk, ZERO) != ZERO or unallocated != ZERO:
                problems.append(f"void payment {pk} still allocates or holds money")
        elif purpose == Payment.Purpose.FEES and amount - by_payment.get(pk, ZERO) - refunded.get(pk, ZERO) \
                != unallocated:
            problems.append(f"payment {pk}: {amount} − allocated − refunded ≠ prepayment {unallocated}")
    problems.extend(_check_receipts(project_id, payments, voided))
    problems.extend(_check_deposits(project_id))
    problems.extend(_check_copies(project_id))
    problems.extend(_check_bills(project_id))
    return problems


def _check_bills(project_id: int) -> list[str]:
    """Bills whose open amount is not the sum of their lines', and lines not due when their bill is."""
    open_by_bill = {k: v for k, v in ChargeLine.objects.filter(project_id=project_id).values("bill_id").annotate(
        fen=sums.total("outstanding")).values_list("bill_id", "fen")}
    problems = [f"bill {pk}: open {open_fen} fen ≠ its lines' {open_by_bill.get(pk, 0)} fen"
                for pk, open_fen in Bill.objects.filter(project_id=project_id).order_by("pk").values_list(
                    "pk", "open_fen") if open_fen != open_by_bill.get(pk, 0)]
    late = ChargeLine.objects.filter(project_id=project_id).exclude(due_date=F("bill__due_date"))
    return problems[:100] + [f"line {pk}: due on another day than its bill"
                             for pk in late.order_by("pk").values_list("pk", flat=True)[:100]]


def _check_copies(project_id: int) -> list[str]:
    """Bills and lines of the project whose copied project or unit disagrees with the bill's unit."""
    bills = Bill.objects.filter(project_id=project_id).filter(
        ~Q(unit__project_id=project_id) | ~Q(building_id=F("unit__building_id"))).values_list("pk", flat=True)
    lines = ChargeLine.objects.filter(Q(project_id=project_id) | Q(bill__project_id=project_id)).filter(
        ~Q(project_id=F("bill__project_id")) | ~Q(unit_id=F("bill__unit_id"))).values_list("pk", flat=True)
    return ([f"bill {pk}: its unit is not in the project or the building" for pk in bills.order_by("pk")[:100]]
            + [f"line {pk}: project or unit differs from its bill's" for pk in lines.order_by("pk")[:100]])


def _check_receipts(project_id: int, payments, voided) -> list[str]:
    problems = []
    receipts = dict(Receipt.objects.filter(project_id=project_id).values_list("payment_id", "amount"))
    for pk, _purpose, amount, _unallocated in payments:
        if receipts.get(pk) != amount:
            problems.append(f"payment {pk} of {amount} has receipt {receipts.get(pk)}")
    live_receipts = sum((a for pk, a in receipts.items() if pk not in voided), ZERO)
    live_payments = sum((p[2] for p in payments if p[0] not in voided), ZERO)
    if live_receipts != live_payments:
        problems.append(f"receipts {live_receipts} ≠ payments {live_payments}")
    numbers = Receipt.objects.filter(project_id=project_id).aggregate(n=Count("id"), top=Max("number"),
                                                                      distinct=Count("number", distinct=True))
    if numbers["n"] and (numbers["top"] != numbers["n"] or numbers["distinct"] != numbers["n"]):
        problems.append(f"receipt numbers not 1…{numbers['n']} without gaps: highest {numbers['top']}")
    return problems


def _check_deposits(project_id: int) -> list[str]:
    problems = []
    released = _sums(DepositRelease.objects.filter(project_id=project_id, status=Decision.APPROVED), "deposit_id")
    for deposit in Deposit.objects.filter(project_id=project_id).select_related("payment"):
        paid = deposit.payment.amount if deposit.payment_id and not hasattr(deposit.payment, "void") else ZERO
        if released.get(deposit.pk, ZERO) > paid:
            problems.append(f"deposit {deposit.pk}: released {released[deposit.pk]} > paid {paid}")
    return problems
