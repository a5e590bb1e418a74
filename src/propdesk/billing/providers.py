"""Online payment providers (WeChat Pay / Alipay shaped): one interface, a working local provider.

A provider does two things for propdesk:
- `redirect_url(intent)`: where the owner's browser goes to pay (the provider's cashier page);
- `verify(body, headers)`: read the provider's asynchronous notification, check its signature over the
  canonical fields, and return what it says (`Notification`), or raise `BadNotification`.

`LocalProvider` simulates a provider end to end without leaving the machine: its cashier page is a portal
page (portal:pay_local), and when the owner pays there it builds exactly the notification a real provider
would POST to propdesk's notify URL — JSON fields signed with HMAC-SHA256 over `key=value&…` in key order
(WeChat Pay v2 style), the amount in fen — and hands it to the same handler the HTTP endpoint uses
(`request_for()` is that HTTP request, for tests and for a provider-side simulator). A real provider is
another class with the same three methods, named in settings.BILLING_PAYMENT_PROVIDERS.
"""

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

NOTIFY_PATH = "/api/v1/payments/notify/{provider}"


class BadNotification(Exception):
    """The notification did not verify (signature, fields) or names no order of ours."""


@dataclass(frozen=True)
class Notification:
    out_trade_no: str
    transaction_id: str
    amount: Decimal
    paid_at: dt.datetime
    fields: dict


def provider(code: str):
    """The configured provider named `code`, else KeyError."""
    path = settings.BILLING_PAYMENT_PROVIDERS[code]
    return import_string(path)()


class LocalProvider:
    code = "local"
    merchant = "propdesk-local"
    FIELDS = ("appid", "mch_id", "out_trade_no", "transaction_id", "total_fee", "trade_state", "time_end",
              "nonce_str")

    def __init__(self, key: str | None = None):
        raw = key or settings.BILLING_LOCAL_PROVIDER_KEY
        if not raw:  # development and tests: a key derived from the installation's secret
            raw = hmac.new(settings.SECRET_KEY.encode(), b"billing-local-provider", hashlib.sha256).hexdigest()
        self.key = raw.encode()

    # -- signing ---------------------------------------------------------------------------------

    @staticmethod
    def canonical(fields: dict) -> str:
        """`a=1&b=2…`: every field but `sign`, non-empty, in key order (the string that is signed)."""
        return "&".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "sign" and fields[k] not in ("", None))

    def sign(self, fields: dict) -> str:
        return hmac.new(self.key, self.canonical(fields).encode(), hashlib.sha256).hexdigest().upper()

    # -- the provider's side ---------------------------------------------------------------------

    def redirect_url(self, intent) -> str:
        return reverse("portal:pay_local", args=[intent.out_trade_no])

    def notification_for(self, intent, transaction_id: str | None = None, paid_at: dt.datetime | None = None) -> dict:
        """The signed fields the provider sends when the owner has paid `intent`."""
        fields = {
            "appid": self.merchant, "mch_id": str(intent.project_id), "out_trade_no": intent.out_trade_no,
            "transaction_id": transaction_id or f"LP{secrets.token_hex(12).upper()}",
            "total_fee": str(int(intent.amount * 100)), "trade_state": "SUCCESS",
            "time_end": timezone.localtime(paid_at or timezone.now()).strftime("%Y%m%d%H%M%S"),
            "nonce_str": secrets.token_hex(8),
        }
        fields["sign"] = self.sign(fields)
        return fields

    def request_for(self, fields: dict) -> tuple[str, dict, bytes]:
        """The HTTP request the provider POSTs to propdesk: (path, headers, body)."""
        body = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()
        return NOTIFY_PATH.format(provider=self.code), {"Content-Type": "application/json"}, body

    # -- propdesk's side -------------------------------------------------------------------------

    def verify(self, body: bytes, headers=None) -> Notification:
        try:
            fields = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadNotification("not JSON") from exc
        if not isinstance(fields, dict) or not all(isinstance(fields.get(k), str) for k in (*self.FIELDS, "sign")):
            raise BadNotification("fields missing")
        if not hmac.compare_digest(self.sign(fields).encode(), str(fields["sign"]).encode()):
            raise BadNotification("bad signature")
        if fields["trade_state"] != "SUCCESS" or not fields["total_fee"].isdigit():
            raise BadNotification("not a successful payment")
        try:
            paid_at = dt.datetime.strptime(fields["time_end"], "%Y%m%d%H%M%S").replace(
                tzinfo=timezone.get_current_timezone())
        except ValueError as exc:
            raise BadNotification("bad time") from exc
        return Notification(out_trade_no=fields["out_trade_no"], transaction_id=fields["transaction_id"],
                            amount=(Decimal(int(fields["total_fee"])) / 100).quantize(Decimal("0.01")),
                            paid_at=paid_at, fields=fields)
