"""Paying online in the portal (issue 14, items 3 and 6): the order, the redirect, the notification.

1. `start()` — the owner chooses open charges of one of their homes (or an amount to prepay); a
   PaymentIntent records what and how much, with our order number; the browser goes to the provider.
2. The provider notifies propdesk (HTTP POST, signed). `handle_notification()` verifies the signature,
   finds the order, checks the amount, and records the payment through payments.take_payment() — once:
   the payment is unique on (provider, transaction id) and the order row is locked while it is
   recorded, so a replayed, duplicated or concurrent notification records nothing twice and is still
   acknowledged (the provider stops retrying).
3. The owner comes back to the portal and sees the bill paid and the receipt.

A notification that does not verify, names no order, or does not match the order's amount records no
payment; what can be tied to an order is kept in its `anomalies` for the accountant.
"""

import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import NotFound

from . import ledger, money, owner_selectors, payments
from .models import ChargeLine, Method, PaymentIntent
from .providers import BadNotification, provider

ZERO = Decimal("0.00")


def _order_number(project_id: int) -> str:
    return f"PD{timezone.localtime():%y%m%d%H%M%S}{project_id % 1000:03d}{secrets.token_hex(5).upper()}"[:32]


def start(owner, *, unit_id: int, line_ids=None, prepay=None, provider_code: str = "local") -> PaymentIntent:
    """An owner's online payment order for one of their homes: the chosen open charges (all of the home's
    open charges they may see when none is chosen), or an amount to prepay. Refused: a home that is not
    theirs (NotFound), nothing to pay, a bad amount."""
    occupancy = owner_selectors.occupancy_for_unit(owner, unit_id)
    unit = occupancy.unit
    try:
        pay_with = provider(provider_code)
    except KeyError as exc:
        raise NotFound from exc
    if prepay not in (None, ""):
        amount = money.parse_amount(prepay)
        purpose, chosen = PaymentIntent.Purpose.PREPAY, []
    else:
        visible = owner_selectors.open_lines(owner, unit)
        if line_ids:
            wanted = {int(pk) for pk in line_ids if str(pk).isdigit()}
            visible = [line for line in visible if line.pk in wanted]
            if len(visible) != len(wanted):
                raise ValidationError({"lines": _("Some of the chosen charges are paid already or are not "
                                                  "this unit's. Reload the page.")})
        if not visible:
            raise ValidationError(_("Nothing to pay for this home."))
        amount = sum((line.outstanding for line in visible), ZERO)
        purpose, chosen = PaymentIntent.Purpose.BILLS, [line.pk for line in visible]
    intent = PaymentIntent(project_id=unit.project_id, unit=unit, payer=occupancy.customer, phone=owner.phone,
                           provider=pay_with.code, out_trade_no=_order_number(unit.project_id), purpose=purpose,
                           amount=amount, line_ids=chosen)
    intent.save()
    return intent


def redirect_url(intent: PaymentIntent) -> str:
    return provider(intent.provider).redirect_url(intent)


def handle_notification(provider_code: str, body: bytes, headers=None) -> tuple[str, PaymentIntent | None]:
    """Verify and record a provider's notification; returns (outcome, order): "paid" for a new payment,
    "duplicate" when it was recorded already. Raises BadNotification when nothing can be recorded."""
    try:
        pay_with = provider(provider_code)
    except KeyError as exc:
        raise BadNotification("unknown provider") from exc
    note = pay_with.verify(body, headers)
    intent = PaymentIntent.objects.filter(out_trade_no=note.out_trade_no, provider=pay_with.code).first()
    if intent is None:
        raise BadNotification("no such order")
    if note.amount != intent.amount:
        _anomaly(intent, f"amount {note.amount} ≠ order {intent.amount} (txn {note.transaction_id})")
        raise BadNotification("amount differs from the order")
    with transaction.atomic():
        intent = PaymentIntent.objects.select_for_update().get(pk=intent.pk)
        if intent.payment_id is not None:
            if intent.provider_txn_id != note.transaction_id:
                # The same order paid twice under two transactions: keep the second as prepayment, on record.
                _anomaly(intent, f"second transaction {note.transaction_id} for a paid order")
            else:
                return "duplicate", intent
        lines = []
        if intent.purpose == PaymentIntent.Purpose.BILLS and intent.payment_id is None:
            lines = [line.pk for line in ledger.open_lines(intent.unit_id, line_ids=intent.line_ids)]
        payment, created = payments.take_payment(
            None, intent.unit, amount=note.amount, method=Method.ONLINE, provider=pay_with.code,
            reference=note.transaction_id, payer=intent.payer, line_ids=lines or None, prepay_rest=True,
            received_at=note.paid_at, idempotency_key=note.transaction_id, client=f"provider:{pay_with.code}")
        if not created:
            return "duplicate", intent
        if intent.payment_id is None:
            PaymentIntent.objects.filter(pk=intent.pk).update(status=PaymentIntent.Status.PAID, payment=payment,
                                                              provider_txn_id=note.transaction_id,
                                                              paid_at=note.paid_at)
    intent.refresh_from_db()
    return "paid", intent


def _anomaly(intent: PaymentIntent, text: str) -> None:
    with transaction.atomic():
        locked = PaymentIntent.objects.select_for_update().get(pk=intent.pk)
        PaymentIntent.objects.filter(pk=intent.pk).update(
            anomalies=[*locked.anomalies, {"at": timezone.now().isoformat(), "what": text}][-20:])


def cancel(owner, intent: PaymentIntent) -> None:
    """The owner gave up on the provider's page: the order is closed (a later notification still pays)."""
    PaymentIntent.objects.filter(pk=intent.pk, status=PaymentIntent.Status.CREATED).update(
        status=PaymentIntent.Status.CLOSED)


def open_amount(lines: list[ChargeLine]) -> Decimal:
    return sum((line.outstanding for line in lines), ZERO)
