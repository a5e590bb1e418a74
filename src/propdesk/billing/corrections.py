"""Corrections and money held (issue 14, items 2, 3 and 8): adjustments and credit notes, refunds of
prepayment, deposits, and the one service through which other domains post charges.

Posted rows are never changed: a correction is a new row with its reason, requested by one person and
taking effect when a manager of the project (another person) approves it. Deposits are liabilities:
held once paid, released only by an approved refund (or kept, with the reason), never income.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Customer
from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.access import require_project

from . import access, ledger, money, sums
from .models import (
    HELD,
    Adjustment,
    Bill,
    ChargeLine,
    Decision,
    Deposit,
    DepositRelease,
    FeeItem,
    FeeStandard,
    Payment,
    Refund,
    RefundPart,
)
from .payments import default_payer
from .standards import settings_for

ZERO = Decimal("0.00")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    return reason[:200]


# -- requests ------------------------------------------------------------------------------------

def request_credit(actor, line: ChargeLine, *, amount, reason: str, waiver: bool = False) -> Adjustment:
    """Ask to lower a posted charge (减免), or to waive a late fee: at most what is still open on it."""
    access.require(actor, line.project_id, access.clerks())
    value = money.parse_amount(amount)
    if waiver and line.kind != ChargeLine.Kind.LATE_FEE:
        raise ValidationError({"line": _("Only a late fee is waived; lower other charges with a credit note.")})
    if value > line.outstanding:
        raise ValidationError({"amount": _("At most the ¥%(open)s still open on this charge; a paid charge is "
                                           "corrected by a refund.") % {"open": line.outstanding}})
    adjustment = Adjustment.objects.create(
        project_id=line.project_id, unit_id=line.unit_id, amount=value, reason=_reason(reason), requested_by=actor,
        kind=Adjustment.Kind.WAIVER if waiver else Adjustment.Kind.CREDIT, line=line)
    _record_request(actor, adjustment, gettext_noop("Credit of ¥%(amount)s on %(item)s requested: %(reason)s"),
                    {"item": line.description})
    return adjustment


def request_charge(actor, unit, *, fee_item: FeeItem, amount, reason: str, payer: Customer | None = None
                   ) -> Adjustment:
    """Ask to charge more than was billed (补收), e.g. a month billed too low."""
    access.require(actor, unit.project_id, access.clerks())
    value = money.parse_amount(amount)
    if fee_item.project_id != unit.project_id or fee_item.kind == FeeItem.Kind.DEPOSIT:
        raise ValidationError({"fee_item": _("Choose a fee item of this project.")})
    payer = payer or default_payer(unit)
    if payer is None:
        raise ValidationError({"payer": _("Nobody to bill: the unit has no owner on record.")})
    adjustment = Adjustment.objects.create(
        project_id=unit.project_id, unit=unit, amount=value, reason=_reason(reason), requested_by=actor,
        kind=Adjustment.Kind.CHARGE, fee_item=fee_item, payer=payer)
    _record_request(actor, adjustment, gettext_noop("Additional charge of ¥%(amount)s for %(item)s requested: "
                                                    "%(reason)s"), {"item": fee_item.name})
    return adjustment


def request_refund(actor, unit, *, amount, reason: str, method: str = "bank") -> Refund:
    """Ask to pay back part of the unit's prepayment (退预存)."""
    access.require(actor, unit.project_id, access.clerks())
    value = money.parse_amount(amount)
    held = prepaid(unit.pk)
    if value > held:
        raise ValidationError({"amount": _("The unit's prepayment is ¥%(held)s.") % {"held": held}})
    refund = Refund.objects.create(project_id=unit.project_id, unit=unit, amount=value, reason=_reason(reason),
                                   requested_by=actor, method=method)
    _record_request(actor, refund, gettext_noop("Refund of ¥%(amount)s of prepayment requested: %(reason)s"), {})
    return refund


def request_release(actor, deposit: Deposit, *, amount, reason: str, kind: str = DepositRelease.Kind.REFUND,
                    method: str = "bank") -> DepositRelease:
    """Ask to refund a held deposit (or keep part of it, with the reason): at most what is held."""
    access.require(actor, deposit.project_id, access.clerks())
    value = money.parse_amount(amount)
    held = deposit_held(deposit)
    if value > held:
        raise ValidationError({"amount": _("¥%(held)s of this deposit is held.") % {"held": held}})
    release = DepositRelease.objects.create(project_id=deposit.project_id, unit_id=deposit.unit_id, deposit=deposit,
                                            amount=value, reason=_reason(reason), requested_by=actor, kind=kind,
                                            method=method)
    _record_request(actor, release, gettext_noop("Deposit %(item)s: release of ¥%(amount)s requested: %(reason)s"),
                    {"item": deposit.fee_item.name})
    return release


def _record_request(actor, row, msgid: str, params: dict) -> None:
    with transaction.atomic():
        timeline.record(actor, "billing.requested", Message(msgid, {"amount": row.amount, "reason": row.reason,
                                                                     **params}), subjects=[row.unit])


# -- the decision ------------------------------------------------------------------------------

def decide(actor, request, *, approve: bool, note: str = ""):
    """Approve or reject a pending adjustment, refund or deposit release (a manager, not the requester).

    Approval applies it in the same transaction: a credit lowers its line (never below zero), an
    additional charge posts a bill, a refund draws the unit's prepayment, a deposit release lowers the
    deposit held. If what it needs is gone meanwhile (the line was paid, the prepayment used), the
    approval is refused and nothing changes."""
    access.require_other_approver(actor, request.project_id, request.requested_by_id)
    model = type(request)
    now = timezone.now()
    with transaction.atomic():
        claimed = model.objects.filter(pk=request.pk, status=Decision.PENDING).update(
            status=Decision.APPROVED if approve else Decision.REJECTED, decided_by=actor, decided_at=now,
            decision_note=(note or "").strip()[:200])
        if not claimed:
            raise Conflict(_("This request was decided already."), code="decided")
        request.refresh_from_db()
        if approve:
            _apply(actor, request, now)
        verb = "billing.approved" if approve else "billing.rejected"
        summary = gettext_noop("Approved: %(what)s ¥%(amount)s") if approve else \
            gettext_noop("Rejected: %(what)s ¥%(amount)s")
        timeline.record(actor, verb, Message(summary, {"what": str(model._meta.verbose_name), "amount": request.amount}),
                        subjects=[request.unit])
    return request


def _apply(actor, request, now) -> None:
    if isinstance(request, Adjustment):
        if request.kind == Adjustment.Kind.CHARGE:
            bill = _post_bill(actor, request.unit, request.payer, request.fee_item, request.amount,
                              kind=Bill.Kind.ADJUSTMENT, line_kind=ChargeLine.Kind.ADJUSTMENT,
                              description=f"{request.fee_item.name}（{request.reason}）", day=timezone.localdate())
            ledger.apply_prepayments([bill.unit_id], now)
            return
        line = ChargeLine.objects.select_for_update().get(pk=request.line_id)
        if line.outstanding < request.amount:
            raise Conflict(_("Only ¥%(open)s is still open on this charge: the credit cannot be applied.")
                           % {"open": line.outstanding}, code="paid")
        ledger.apply_credit(request, line, now)
    elif isinstance(request, Refund):
        _draw_prepayment(request)
    elif isinstance(request, DepositRelease):
        deposit = Deposit.objects.select_for_update().get(pk=request.deposit_id)
        held = deposit_held(deposit)
        if held < 0:
            raise Conflict(_("Less than that is held on this deposit."), code="held")
        if held == 0:
            Deposit.objects.filter(pk=deposit.pk).update(status=Deposit.Status.RELEASED)


def _draw_prepayment(refund: Refund) -> None:
    payments = list(Payment.objects.select_for_update(of=("self",)).filter(
        HELD, unit_id=refund.unit_id, purpose=Payment.Purpose.FEES, void__isnull=True)
        .order_by("-received_at", "-id"))
    remaining, parts = refund.amount, []
    for payment in payments:
        take = min(payment.unallocated, remaining)
        if take <= 0:
            break
        ledger.set_open(Payment, payment, "unallocated", payment.unallocated - take)
        parts.append(RefundPart(refund=refund, payment=payment, amount=take))
        remaining -= take
    if remaining > 0:
        raise Conflict(_("The unit's prepayment is smaller than the refund now."), code="prepaid")
    RefundPart.objects.bulk_create(parts)


# -- reads used by the rules ------------------------------------------------------------------------

def prepaid(unit_id: int) -> Decimal:
    return sums.aggregate(Payment.objects.filter(unit_id=unit_id, purpose=Payment.Purpose.FEES, void__isnull=True),
                          "unallocated")


def deposit_held(deposit: Deposit) -> Decimal:
    """What is held on a deposit: its payment less its approved releases."""
    if deposit.payment_id is None or deposit.status == Deposit.Status.DUE:
        return ZERO
    released = sums.aggregate(deposit.releases.filter(status=Decision.APPROVED), "amount")
    return deposit.payment.amount - released


# -- charges from other domains (the seam) ----------------------------------------------------------

def standard_price(fee_item: FeeItem, unit, on: dt.date) -> Decimal | None:
    from .standards import account_for

    unit_type = account_for(unit).unit_type
    for candidate in (unit_type, ""):
        standard = FeeStandard.objects.filter(fee_item=fee_item, unit_type=candidate, effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)).order_by("-effective_from").first()
        if standard is not None:
            return standard.price
    return None


def post_charge(actor, *, unit, fee_item: FeeItem, source: str, amount=None, quantity=None,
                period: dt.date | None = None, payer: Customer | None = None, description: str = ""
                ) -> tuple[Bill, bool]:
    """The ONE service through which another domain bills a unit (issue 14, item 8): a one-off charge
    (a special service, a repair, a renovation's rubbish removal) or a month's periodic charge (a
    parking rent of the public-affairs app). Returns (bill, created).

    - idempotent on `source` (e.g. "affairs.parking:42:2027-03"): the same source posts once per project;
    - the amount is given, or the item's standard in force on the day × `quantity` (default 1);
    - the payer is given, or whoever pays for the unit on that day (tenant who pays, else the owner);
    - `period` (a month) makes it that month's charge; without it the charge is dated today.
    The calling domain has checked its own rules; here the actor must work on the unit's project.
    Deposits are not charges: use demand_deposit().
    """
    if actor is not None:
        require_project(actor, unit.project_id)
    source = (source or "").strip()
    if not source or len(source) > 80:
        raise ValueError("post_charge needs a source reference of at most 80 characters")
    earlier = Bill.objects.filter(project_id=unit.project_id, source=source).first()
    if earlier is not None:
        return earlier, False
    if fee_item.project_id != unit.project_id or fee_item.kind in (FeeItem.Kind.DEPOSIT, FeeItem.Kind.LATE_FEE):
        raise ValidationError({"fee_item": _("Choose a fee item of this project.")})
    day = money.month_start(period) if period else timezone.localdate()
    if amount is None:
        price = standard_price(fee_item, unit, day)
        if price is None:
            raise ValidationError({"amount": _("%(item)s has no standard in force: give the amount.")
                                   % {"item": fee_item.name}})
        value = money.money(price * Decimal(quantity or 1))
    else:
        value = money.parse_amount(amount)
    payer = payer or default_payer(unit, day)
    if payer is None:
        raise ValidationError({"payer": _("Nobody to bill: the unit has no owner on record.")})
    try:
        with transaction.atomic():
            bill = _post_bill(actor, unit, payer, fee_item, value, kind=Bill.Kind.ONE_OFF,
                              line_kind=ChargeLine.Kind.CHARGE, description=description or fee_item.name, day=day,
                              source=source, month=bool(period), quantity=Decimal(quantity or 1))
            ledger.apply_prepayments([unit.pk], timezone.now())
    except IntegrityError:
        earlier = Bill.objects.filter(project_id=unit.project_id, source=source).first()
        if earlier is not None:
            return earlier, False
        raise
    return bill, True


def _post_bill(actor, unit, payer, fee_item, value, *, kind, line_kind, description, day: dt.date, source="",
               month=False, quantity=Decimal(1)) -> Bill:
    rules = settings_for(unit.project_id)
    start, end = (money.month_start(day), money.month_end(day)) if month else (day, day)
    due = day.replace(day=min(rules.due_day, money.days_in_month(day))) if month else day + dt.timedelta(days=15)
    now = timezone.now()
    bill = Bill.objects.create(project_id=unit.project_id, building_id=unit.building_id, unit=unit, payer=payer, kind=kind, period=money.month_start(day),
                               source=source, issued_at=now, due_date=due, total=value,
                               open_fen=money.fen(value), created_by=actor if getattr(actor, "is_authenticated", False) else None)
    ChargeLine.objects.create(bill=bill, project_id=unit.project_id, unit=unit, fee_item=fee_item, kind=line_kind,
                              description=description[:200], service_start=start, service_end=end,
                              quantity=quantity, unit_price=money.price(value / quantity), amount=value,
                              outstanding=value, due_date=due)
    timeline.record(actor, "billing.charge_posted", Message(
        gettext_noop("Charge posted: %(item)s ¥%(amount)s, due %(due)s"),
        {"item": description, "amount": value, "due": due}), subjects=[unit, payer])
    return bill


def demand_deposit(actor, *, unit, fee_item: FeeItem, amount, source: str, payer: Customer | None = None,
                   description: str = "") -> tuple[Deposit, bool]:
    """A deposit to be paid (renovation, parking card): held as a liability once paid at the cashier,
    refunded through an approved release. Idempotent on `source`. Returns (deposit, created)."""
    if actor is not None:
        require_project(actor, unit.project_id)
    if fee_item.project_id != unit.project_id or fee_item.kind != FeeItem.Kind.DEPOSIT:
        raise ValidationError({"fee_item": _("Choose a deposit item of this project.")})
    value = money.parse_amount(amount)
    earlier = Deposit.objects.filter(project_id=unit.project_id, source=source).first() if source else None
    if earlier is not None:
        return earlier, False
    payer = payer or default_payer(unit)
    if payer is None:
        raise ValidationError({"payer": _("Nobody to bill: the unit has no owner on record.")})
    try:
        with transaction.atomic():
            deposit = Deposit.objects.create(project_id=unit.project_id, unit=unit, payer=payer, fee_item=fee_item,
                                             amount=value, description=(description or fee_item.name)[:200],
                                             source=(source or "")[:80], created_by=actor)
            timeline.record(actor, "billing.deposit_demanded", Message(
                gettext_noop("Deposit to be paid: %(item)s ¥%(amount)s"),
                {"item": deposit.description, "amount": value}), subjects=[unit, payer])
    except IntegrityError:
        return Deposit.objects.get(project_id=unit.project_id, source=source), False
    return deposit, True
