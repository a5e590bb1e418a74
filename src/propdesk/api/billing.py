"""API operations of the billing domain (issue 14, item 9): fee items with their standards, bills with
their lines, payments at the desk (Idempotency-Key), receipts, and the payment provider's notification.

Thin: each view resolves the ids it is given through the scoped selectors (another project's: 404,
nothing written) and calls one service or selector of propdesk.billing. Amounts are JSON text ("1234.50")
read as Decimal, never as a float; a bad amount answers 422 with the service's Chinese message.
"""

import datetime as dt

from django.db.models import Prefetch
from django.http import HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status

from propdesk.billing import online, payments, selectors, standards
from propdesk.billing.models import ChargeLine, FeeStandard
from propdesk.billing.providers import BadNotification
from propdesk.org import selectors as org_selectors

from . import schemas
from .idempotency import KEY, REPLAYED
from .schemas import LIST_ERRORS, PathId, page
from .schemas_billing import (
    BillFilter,
    BillOut,
    BillPage,
    FeeItemFilter,
    FeeItemPage,
    PaymentFilter,
    PaymentIn,
    PaymentOut,
    PaymentPage,
    ReceiptFilter,
    ReceiptOut,
    ReceiptPage,
)

router = Router(tags=["fees"])
ERRORS, BODY_ERRORS = schemas.ERRORS, {**schemas.BODY_ERRORS, 409: schemas.ErrorOut}
LINES = Prefetch("lines", ChargeLine.objects.order_by("service_start", "id"))


@router.get("/fee-items", response={200: FeeItemPage, **LIST_ERRORS})
def list_fee_items(request, query: Query[FeeItemFilter]):
    """The projects' fee items, each with its standards (price per unit type, from/until)."""
    qs = standards.fee_items_for(request.auth, query.project).prefetch_related(
        Prefetch("standards", FeeStandard.objects.order_by("unit_type", "effective_from")))
    return page(qs, query)


@router.get("/bills", response={200: BillPage, **LIST_ERRORS})
def list_bills(request, query: Query[BillFilter]):
    """Bills, newest month first, each with its charge lines and what is still open on them."""
    period = dt.date.fromisoformat(f"{query.period}-01") if query.period else None
    qs = selectors.bills_for(request.auth, query.project, period, query.unit, open_only=query.open)
    return page(qs.prefetch_related(LINES), query)


@router.get("/bills/{bill_id}", response={200: BillOut, **ERRORS})
def get_bill(request, bill_id: PathId):
    return selectors.get_bill(request.auth, bill_id)


@router.get("/payments", response={200: PaymentPage, **LIST_ERRORS})
def list_payments(request, query: Query[PaymentFilter]):
    return page(selectors.payments_for(request.auth, query.project, unit_id=query.unit), query)


@router.post("/payments", response={200: PaymentOut, 201: PaymentOut, **BODY_ERRORS})
def create_payment(request, payload: PaymentIn, response: HttpResponse, idempotency_key: str | None = KEY):
    """Record money received at the desk (cash, bank transfer, POS) for a unit and issue its receipt.

    It pays the chosen `lines`, else the oldest open lines first. More than the open balance is refused
    (422) unless `prepay_rest` keeps the rest as the unit's prepayment. Answers 201 with the payment and
    its receipt number, or 200 with the first payment when the same Idempotency-Key comes again.
    """
    user = request.auth
    unit = org_selectors.get_unit(user, payload.unit)
    payment, created = payments.take_payment(
        user, unit, amount=payload.amount, method=payload.method, payer_name=payload.payer_name,
        line_ids=payload.lines, prepay_rest=payload.prepay_rest, reference=payload.reference, note=payload.note,
        idempotency_key=idempotency_key or None)
    if not created:
        response[REPLAYED] = "true"
    return Status(201 if created else 200, selectors.get_payment(user, payment.pk))


@router.get("/payments/{payment_id}", response={200: PaymentOut, **ERRORS})
def get_payment(request, payment_id: PathId):
    return selectors.get_payment(request.auth, payment_id)


@router.get("/receipts", response={200: ReceiptPage, **LIST_ERRORS})
def list_receipts(request, query: Query[ReceiptFilter]):
    return page(selectors.receipts_for(request.auth, query.project, query.q or ""), query)


@router.get("/receipts/{receipt_id}", response={200: ReceiptOut, **ERRORS})
def get_receipt(request, receipt_id: PathId):
    return selectors.get_receipt(request.auth, receipt_id)


class NotifyAck(Schema):
    code: str
    message: str


class NotifyRefused(Schema):
    detail: str


@router.post("/payments/notify/{provider}", auth=None,
             response={200: NotifyAck, 401: NotifyRefused, 422: schemas.ErrorOut}, tags=["payments"])
def payment_notification(request, provider: str = Path(..., max_length=20, pattern=r"^[a-z0-9_-]+$")):
    """The payment provider's asynchronous notification (no session, no token: the signature is the proof).

    The body is the provider's own format, read as sent (not a schema of this API): for the local
    provider a JSON object of string fields (`appid`, `mch_id`, `out_trade_no`, `transaction_id`,
    `total_fee` in fen, `trade_state`, `time_end`, `nonce_str`) and `sign`, the upper-case hex
    HMAC-SHA256 of `key=value&…` over the other non-empty fields in key order.

    A notification that verifies is recorded once and acknowledged with `SUCCESS`, also when it is a
    replay or a duplicate (`message`: "duplicate"); one that does not verify, names no order of ours or
    does not match its amount records nothing and answers 401.
    """
    try:
        body = request.body  # a form body already parsed (multipart) is no notification of ours
        outcome, _intent = online.handle_notification(provider, body, request.headers)
    except (BadNotification, RawPostDataException):
        return Status(401, {"detail": _("The notification could not be verified.")})
    return {"code": "SUCCESS", "message": outcome}
