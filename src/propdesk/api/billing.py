"""API operations of the billing domain; thin: each view calls one service or selector of propdesk.billing."""

from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status

from propdesk.billing import online
from propdesk.billing.providers import BadNotification

router = Router(tags=["fees"])


class NotifyAck(Schema):
    code: str
    message: str


class NotifyRefused(Schema):
    detail: str


@router.post("/payments/notify/{provider}", auth=None,
             response={200: NotifyAck, 401: NotifyRefused, 422: NotifyRefused}, tags=["payments"])
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
    refused = Status(401, {"detail": _("The notification could not be verified.")})
    try:
        body = request.body
    except RawPostDataException:  # a form upload, parsed already: not the provider's format
        return refused
    try:
        outcome, _intent = online.handle_notification(provider, body, request.headers)
    except BadNotification:
        return refused
    return {"code": "SUCCESS", "message": outcome}
