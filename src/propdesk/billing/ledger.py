"""Allocation: the one place money is applied to charge lines (issue 14, items 3 and 5).

Every change of a line's open amount (`ChargeLine.outstanding`) or of a payment's prepayment
(`Payment.unallocated`) happens here, inside the caller's transaction, on rows the transaction has
locked, together with the immutable Allocation row that explains it. The new amount is computed in
Decimal and written with the old one as condition (`set_open()`), never as SQL arithmetic (SQLite would
add in binary floating point), and the database refuses a value below zero or above the amount. The
bill's open amount moves with its lines' in the same transaction (`_move_bills()`: whole fen, integers,
so there SQL adds exactly). So at any time: a line's outstanding = its amount − its allocations, a bill's
open amount = the sum of its lines', and a payment's unallocated = its amount − its allocations − its
refunds (billing.reconcile checks all three).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from propdesk.core.errors import Conflict

from . import money
from .models import HELD, OPEN, Allocation, Bill, ChargeLine, Payment

ZERO = Decimal("0.00")
OLDEST_FIRST = ("due_date", "service_start", "id")


def open_lines(unit_id: int, *, line_ids=None, lock: bool = True):
    """The unit's open lines, oldest first (due date, then service start), locked for the transaction."""
    qs = ChargeLine.objects.filter(OPEN, unit_id=unit_id)
    if line_ids is not None:
        qs = qs.filter(pk__in=list(line_ids))
    if lock:
        qs = qs.select_for_update()
    return list(qs.order_by(*OLDEST_FIRST))


def set_open(model, row, field: str, new: Decimal) -> None:
    """Write a derived amount of a locked row: `new` where it still holds the value read, else Conflict."""
    old = getattr(row, field)
    if new < 0:
        raise Conflict(_("The bill changed while the payment was being recorded; please try again."), code="stale")
    changed = model.objects.filter(pk=row.pk, **{field: old}).update(**{field: new})
    if changed != 1:
        raise Conflict(_("The bill changed while the payment was being recorded; please try again."), code="stale")
    setattr(row, field, new)


def _take_from_line(line: ChargeLine, amount: Decimal, moves: dict[int, int]) -> None:
    if amount > line.outstanding:
        raise Conflict(_("The bill changed while the payment was being recorded; please try again."), code="stale")
    set_open(ChargeLine, line, "outstanding", line.outstanding - amount)
    moves[line.bill_id] = moves.get(line.bill_id, 0) - money.fen(amount)


def _move_bills(moves: dict[int, int]) -> None:
    """Move each bill's open amount by its lines' change (fen), in bill order (the lines are locked already;
    the database refuses a bill below zero)."""
    for bill_id in sorted(moves):
        if moves[bill_id]:
            Bill.objects.filter(pk=bill_id).update(open_fen=F("open_fen") + moves[bill_id])


def apply_payment(payment: Payment, lines, amount: Decimal, at) -> Decimal:
    """Apply up to `amount` of `payment` to `lines` in their order; return what was applied.

    The applied part leaves the payment's prepayment (`unallocated`); the caller decides what the
    payment's unallocated was before (a new payment starts with its whole amount unallocated)."""
    assert transaction.get_connection().in_atomic_block, "allocation runs inside the payment's transaction"
    remaining = amount
    rows = []
    moves: dict[int, int] = {}
    for line in lines:
        if remaining <= 0:
            break
        take = min(line.outstanding, remaining)
        if take <= 0:
            continue
        _take_from_line(line, take, moves)
        rows.append(Allocation(project_id=line.project_id, unit_id=line.unit_id, line=line, payment=payment,
                               amount=take, at=at))
        remaining -= take
    applied = amount - remaining
    if rows:
        Allocation.objects.bulk_create(rows)
        _move_bills(moves)
        if applied > payment.unallocated:
            raise Conflict(_("The prepayment changed meanwhile; please try again."), code="stale")
        set_open(Payment, payment, "unallocated", payment.unallocated - applied)
    return applied


def apply_credit(adjustment, line: ChargeLine, at) -> None:
    """An approved credit note (or late-fee waiver) lowers one line by its amount."""
    moves: dict[int, int] = {}
    _take_from_line(line, adjustment.amount, moves)
    _move_bills(moves)
    Allocation.objects.create(project_id=line.project_id, unit_id=line.unit_id, line=line, credit=adjustment,
                              amount=adjustment.amount, at=at)


def reverse_payment(payment: Payment, at) -> Decimal:
    """A voided payment gives back what it paid: each allocation is reversed by a negative allocation and
    the line reopened; its prepayment is cancelled. Returns the amount reopened on lines."""
    reopened = ZERO
    rows = []
    moves: dict[int, int] = {}
    by_line: dict[int, Decimal] = {}
    for allocation in Allocation.objects.filter(payment=payment).order_by("id"):
        by_line[allocation.line_id] = by_line.get(allocation.line_id, ZERO) + allocation.amount
    for line in ChargeLine.objects.select_for_update().filter(pk__in=list(by_line)).order_by("id"):
        amount = by_line[line.pk]
        if amount <= 0:
            continue
        if line.outstanding + amount > line.amount:
            raise Conflict(_("The bill changed while the payment was being voided; please try again."), code="stale")
        set_open(ChargeLine, line, "outstanding", line.outstanding + amount)
        moves[line.bill_id] = moves.get(line.bill_id, 0) + money.fen(amount)
        rows.append(Allocation(project_id=line.project_id, unit_id=line.unit_id, line=line, payment=payment,
                               amount=-amount, at=at))
        reopened += amount
    Allocation.objects.bulk_create(rows)
    _move_bills(moves)
    Payment.objects.filter(pk=payment.pk).update(unallocated=ZERO)
    payment.unallocated = ZERO
    return reopened


def units_with_prepayment(project_id: int, unit_ids) -> set[int]:
    """Which of `unit_ids` hold a prepayment (read through the partial index of prepaid payments, not a
    list of every unit): a bill run's batch applies prepayments to these only."""
    return set(unit_ids) & set(Payment.objects.filter(HELD, project_id=project_id).values_list(
        "unit_id", flat=True))


def apply_prepayments(unit_ids, at) -> Decimal:
    """Use each unit's prepayment (its payments' unallocated amounts, oldest payment first) on its open
    lines, oldest first: run after bills post. Returns the total applied."""
    payments = list(Payment.objects.select_for_update(of=("self",)).filter(
        HELD, unit_id__in=list(unit_ids), purpose=Payment.Purpose.FEES, void__isnull=True)
        .order_by("unit_id", "received_at", "id"))
    applied = ZERO
    by_unit: dict[int, list[Payment]] = {}
    for payment in payments:
        by_unit.setdefault(payment.unit_id, []).append(payment)
    for unit_id, unit_payments in by_unit.items():
        lines = open_lines(unit_id)
        for payment in unit_payments:
            lines = [line for line in lines if line.outstanding > 0]
            if not lines:
                break
            applied += apply_payment(payment, lines, payment.unallocated, at)
    return applied
