"""Payments at the desk and online, receipts with gap-free numbers, voids (issue 14, item 3).

`take_payment()` is the one way money comes in, whatever the channel (cash, bank transfer, POS at the
desk; online through billing.online). In one transaction it locks the project's receipt counter (so
numbers are gap-free and never reused, also under concurrent payments: a rolled-back payment gives
its number back with it), locks the unit's open lines, records the payment, allocates it (the lines
the payer chose, else the oldest open lines first), keeps what is left as the unit's prepayment only
when the payer chose prepayment, issues the receipt with the amount in Chinese capitals, and records
the timeline on the unit's and the payer's cards.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Customer
from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.access import has_role

from . import access, ledger, money
from .models import (
    Allocation,
    DailyClose,
    Deposit,
    Method,
    Payment,
    PaymentKey,
    PaymentVoid,
    Receipt,
    ReceiptCounter,
)
from .standards import settings_for

Purpose = Payment.Purpose
DESK_METHODS = (Method.CASH, Method.BANK, Method.POS)
METHOD_WORDS = {Method.CASH: gettext_noop("cash"), Method.BANK: gettext_noop("bank transfer"),
                Method.POS: gettext_noop("card"), Method.ONLINE: gettext_noop("online")}


def earlier_payment(client: str | None, key: str | None) -> Payment | None:
    """The payment already recorded for this client's Idempotency-Key (a double click, a retry)."""
    if not client or not key:
        return None
    payment_id = PaymentKey.objects.filter(client=client, key=key).values_list("payment_id", flat=True).first()
    return Payment.objects.get(pk=payment_id) if payment_id else None


def _counter(project_id: int) -> None:
    """Make sure the project's receipt counter row exists (outside the payment's transaction)."""
    if not ReceiptCounter.objects.filter(project_id=project_id).exists():
        try:
            with transaction.atomic():
                ReceiptCounter.objects.create(project_id=project_id)
        except IntegrityError:
            pass


def default_payer(unit, on: dt.date | None = None) -> Customer | None:
    """Who pays for the unit today: the tenant who pays under the lease, else the (first) owner."""
    from propdesk.archive.models import Occupancy

    on = on or timezone.localdate()
    current = Occupancy.objects.current(on).filter(unit=unit).select_related("customer")
    tenant = current.filter(role=Occupancy.Role.TENANT, tenant_pays__isnull=False).first()
    if tenant is not None:
        return tenant.customer
    owner = current.filter(role=Occupancy.Role.OWNER).order_by("start_date", "id").first()
    return owner.customer if owner else None


def take_payment(actor, unit, *, amount, method: str, payer: Customer | None = None, payer_name: str = "",
                 line_ids=None, prepay_rest: bool = False, purpose: str = Purpose.FEES,
                 deposit: Deposit | None = None, reference: str = "", provider: str = "", note: str = "",
                 received_at=None, idempotency_key: str | None = None, client: str | None = None
                 ) -> tuple[Payment, bool]:
    """Record money received for a unit and issue its receipt; returns (payment, created).

    Rules (issue 14, items 3 and 10):
    - a cashier of the project takes cash, transfers and card payments; online payments come from the
      provider's verified notification (actor None, method online);
    - the amount is a positive number of yuan with at most two decimals;
    - it pays the chosen open lines of the unit, else the oldest open lines first;
    - more than the open balance is refused unless the payer chose prepayment (预存): the rest is then
      the unit's credit, used automatically when the next bills post;
    - a deposit payment pays a demanded deposit exactly and is held, never allocated to charges;
    - a retry with the same Idempotency-Key returns the first payment and writes nothing.
    """
    if actor is not None:
        access.require(actor, unit.project_id, access.cashiers())
        client = f"staff:{actor.pk}"
        if method not in DESK_METHODS:
            raise ValidationError({"method": _("Choose cash, bank transfer or card.")})
    elif method != Method.ONLINE or not provider:
        raise ValueError("a payment without a cashier comes from an online provider")
    earlier = earlier_payment(client, idempotency_key)
    if earlier is not None:
        return earlier, False
    value = money.parse_amount(amount)
    if payer is not None and payer.project_id != unit.project_id:
        raise ValidationError({"payer": _("The payer belongs to another project's archive.")})
    if deposit is not None:
        purpose = Purpose.DEPOSIT
        _check_deposit(deposit, unit, value)
        payer = payer or deposit.payer
    payer = payer or default_payer(unit)
    name = (payer_name or (payer.name if payer else "")).strip()[:100]
    if not name:
        raise ValidationError({"payer_name": _("Who is paying? Enter the payer's name.")})
    if actor is not None and _closed_today(actor, unit.project_id):
        raise ValidationError(_("You have already closed today's cash (daily close): payments now are taken "
                                "by a colleague or tomorrow."))
    _counter(unit.project_id)
    now = received_at or timezone.now()
    try:
        with transaction.atomic():
            counter = ReceiptCounter.objects.select_for_update().get(project_id=unit.project_id)
            lines = []
            if purpose == Purpose.FEES:
                lines = ledger.open_lines(unit.pk, line_ids=line_ids)
                if line_ids is not None and len(lines) != len(set(line_ids)):
                    raise ValidationError({"lines": _("Some of the chosen charges are paid already or are not "
                                                      "this unit's. Reload the page.")})
                open_total = sum((x.outstanding for x in lines), Decimal(0))
                if value > open_total and not prepay_rest:
                    raise ValidationError({"amount": _(
                        "¥%(amount)s is more than the ¥%(open)s open. Choose prepayment to keep the rest as "
                        "the unit's credit, or enter at most the open amount.") % {
                        "amount": value, "open": open_total}})
            payment = Payment.objects.create(
                project_id=unit.project_id, unit=unit, payer=payer, payer_name=name, method=method,
                purpose=purpose, amount=value, unallocated=value if purpose == Purpose.FEES else Decimal(0),
                received_at=now, cashier=actor, provider=provider, reference=(reference or "").strip()[:64],
                note=(note or "").strip()[:200])
            if lines:
                ledger.apply_payment(payment, lines, min(value, open_total), now)
            if deposit is not None:
                claimed = Deposit.objects.filter(pk=deposit.pk, status=Deposit.Status.DUE).update(
                    status=Deposit.Status.HELD, payment=payment)
                if not claimed:
                    raise Conflict(_("This deposit is paid already."), code="paid")
            counter.last_number += 1
            counter.save(update_fields=["last_number"])
            receipt = _issue_receipt(payment, counter.last_number, unit, deposit)
            if idempotency_key:
                PaymentKey.objects.create(client=client, key=idempotency_key, payment=payment)
            timeline.record(actor, "billing.payment", Message(
                gettext_noop("¥%(amount)s received (%(method)s), receipt %(receipt)s"),
                {"amount": value, "method": METHOD_WORDS[method], "receipt": receipt.code}),
                subjects=[unit, payer], at=now)
    except IntegrityError:
        earlier = earlier_payment(client, idempotency_key)
        if earlier is not None:
            return earlier, False
        raise
    return payment, True


def _check_deposit(deposit: Deposit, unit, value: Decimal) -> None:
    if deposit.unit_id != unit.pk:
        raise ValidationError({"deposit": _("The deposit is for another unit.")})
    if deposit.status != Deposit.Status.DUE:
        raise Conflict(_("This deposit is paid already."), code="paid")
    if value != deposit.amount:
        raise ValidationError({"amount": _("A deposit is paid in full: ¥%(amount)s.") % {"amount": deposit.amount}})


def _issue_receipt(payment: Payment, number: int, unit, deposit) -> Receipt:
    prefix = settings_for(payment.project_id).receipt_prefix
    items = []
    if deposit is not None:
        items.append({"text": deposit.description or deposit.fee_item.name, "period": "", "amount": str(payment.amount)})
    for allocation in Allocation.objects.filter(payment=payment).select_related("line__bill").order_by("id"):
        line = allocation.line
        items.append({"text": line.description, "period": f"{line.service_start:%Y-%m-%d}～{line.service_end:%Y-%m-%d}",
                      "amount": str(allocation.amount)})
    if payment.unallocated > 0:
        items.append({"text": "预存", "period": "", "amount": str(payment.unallocated)})
    return Receipt.objects.create(
        project_id=payment.project_id, number=number, code=f"{prefix}{number:08d}", payment=payment,
        issued_at=payment.received_at, amount=payment.amount, amount_in_words=money.in_capitals(payment.amount),
        payer_name=payment.payer_name, unit_label=f"{unit.project.name} {unit.label}", method=payment.method,
        cashier_name=payment.cashier.display_name if payment.cashier_id else "", items=items)


# -- void ------------------------------------------------------------------------------------

def may_void(user, payment: Payment) -> bool:
    """The cashier who took it, before closing that day; a manager at any time."""
    if has_role(user, access.approvers()):
        return True
    if payment.cashier_id != user.pk:
        return False
    day = _local_day(payment.received_at, payment.project_id)
    return not DailyClose.objects.filter(project_id=payment.project_id, cashier=user, day=day).exists()


def void_payment(actor, payment: Payment, reason: str) -> PaymentVoid:
    """Void (作废) a payment with its reason: what it paid is open again, its prepayment is cancelled, its
    receipt keeps its number and reads VOID. Refused once its prepayment was refunded or its deposit
    released; twice at once, the second is told it is void already."""
    access.require(actor, payment.project_id, access.cashiers())
    if not may_void(actor, payment):
        raise PermissionDenied(_("Only a manager voids a payment of a day already closed, or another cashier's."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the payment is voided.")})
    if payment.refund_parts.exists():
        raise Conflict(_("Part of this prepayment was refunded: it can no longer be voided."), code="refunded")
    deposit = Deposit.objects.filter(payment=payment).first()
    if deposit is not None and deposit.releases.exclude(status="rejected").exists():
        raise Conflict(_("This deposit is being released: it can no longer be voided."), code="released")
    now = timezone.now()
    try:
        with transaction.atomic():
            void = PaymentVoid.objects.create(payment=payment, reason=reason[:200], by=actor, at=now)
            ledger.reverse_payment(payment, now)
            if deposit is not None:
                Deposit.objects.filter(pk=deposit.pk).update(status=Deposit.Status.DUE, payment=None)
            receipt = payment.receipt
            timeline.record(actor, "billing.payment_voided", Message(
                gettext_noop("Receipt %(receipt)s (¥%(amount)s) voided: %(reason)s"),
                {"receipt": receipt.code, "amount": payment.amount, "reason": reason}),
                subjects=[payment.unit, payment.payer])
    except IntegrityError:
        raise Conflict(_("This payment is void already."), code="void") from None
    return void


# -- daily close -----------------------------------------------------------------------------

def _local_day(at, project_id: int) -> dt.date:
    from propdesk.org.models import Project

    zone = Project.objects.filter(pk=project_id).values_list("timezone", flat=True).first() or "Asia/Shanghai"
    return timezone.localtime(at, ZoneInfo(zone)).date()


def _day_bounds(day: dt.date, project) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(project.timezone)
    start = dt.datetime.combine(day, dt.time.min, zone)
    return start, start + dt.timedelta(days=1)


def _closed_today(actor, project_id: int) -> bool:
    return DailyClose.objects.filter(project_id=project_id, cashier=actor,
                                     day=_local_day(timezone.now(), project_id)).exists()


def day_payments(project, cashier, day: dt.date):
    start, end = _day_bounds(day, project)
    return (Payment.objects.filter(project=project, cashier=cashier, received_at__gte=start, received_at__lt=end)
            .select_related("receipt", "unit__building", "void").order_by("received_at", "id"))


def day_summary(project, cashier, day: dt.date) -> dict:
    """A cashier's day: every payment, totals by method (voided ones listed, not counted), cash expected."""
    payments = list(day_payments(project, cashier, day))
    totals = {m: {"count": 0, "amount": Decimal("0.00")} for m in Method.values}
    for p in payments:
        if hasattr(p, "void"):
            continue
        totals[p.method]["count"] += 1
        totals[p.method]["amount"] += p.amount
    return {"payments": payments, "totals": totals, "expected_cash": totals[Method.CASH]["amount"],
            "total": sum((t["amount"] for t in totals.values()), Decimal("0.00")),
            "closed": DailyClose.objects.filter(project=project, cashier=cashier, day=day).first()}


def close_day(actor, project, *, counted_cash, note: str = "", day: dt.date | None = None) -> DailyClose:
    """The cashier's daily close (日结): the day's payments by method against the cash counted. A
    difference needs a note; a day is closed once; afterwards that day's payments are voided only by a
    manager."""
    access.require(actor, project.pk, access.cashiers())
    day = day or _local_day(timezone.now(), project.pk)
    counted = money.parse_amount(counted_cash, field="counted_cash", allow_zero=True)
    summary = day_summary(project, actor, day)
    difference = counted - summary["expected_cash"]
    note = (note or "").strip()
    if difference and not note:
        raise ValidationError({"note": _("The cash counted differs from the payments by ¥%(diff)s: explain "
                                         "the difference.") % {"diff": difference}})
    totals = {m: {"count": t["count"], "amount": str(t["amount"])} for m, t in summary["totals"].items()}
    try:
        with transaction.atomic():
            close = DailyClose.objects.create(project=project, cashier=actor, day=day, totals=totals,
                                              expected_cash=summary["expected_cash"], counted_cash=counted,
                                              difference=difference, note=note[:200])
            timeline.record(actor, "billing.daily_close", Message(
                gettext_noop("Daily close %(day)s: ¥%(total)s received, cash counted ¥%(counted)s"),
                {"day": day, "total": summary["total"], "counted": counted}), subjects=[project])
    except IntegrityError:
        raise Conflict(_("This day is closed already."), code="closed") from None
    return close
