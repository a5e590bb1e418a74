"""The security audit log: sign-ins, failed and throttled sign-ins, sign-outs and refusals (403).

`record()` is the one function that writes a `SecurityEvent`. It never raises: an audit entry that
cannot be written is logged and the request goes on. Sign-ins and sign-outs of staff come from
Django's `user_logged_in` / `user_login_failed` / `user_logged_out` signals (console, admin and the
API token's password check); the owner portal and the API token call `record()` themselves.

`AuditMiddleware` knows the request being served (so `record()` called deep in a service still gets
the address and path) and records every 403 answer once, whoever refused: `org.access`'s role checks,
a view, Ninja's exception handler, the CSRF check. While a request is inside a transaction, its
entries wait on the request and are written after the response, outside that transaction, so a
refusal that rolled back the request's writes is still recorded.
"""

import contextvars
import json
import logging
import re
from datetime import datetime

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from propdesk.core.ratelimit import client_address
from propdesk.core.sensitive import mask_phone

from .access import ADMINS, require_role
from .models import SecurityEvent, User

log = logging.getLogger("propdesk.audit")

Kind = SecurityEvent.Kind
Channel = SecurityEvent.Channel

_current_request: contextvars.ContextVar = contextvars.ContextVar("propdesk_audit_request", default=None)
_MOBILE = re.compile(r"^1\d{10}$")


def channel_of(path: str) -> str:
    if path.startswith("/api/"):
        return Channel.API
    if path.startswith(("/portal/", "/s/")):
        return Channel.PORTAL
    if path.startswith("/admin/"):
        return Channel.ADMIN
    return Channel.CONSOLE if path else Channel.OTHER


def record(kind: str, *, request=None, username: str = "", user=None, phone: str = "", detail: str = "",
           channel: str | None = None, address: str | None = None, path: str | None = None) -> None:
    """Write one security event; never raises. `phone` (an owner's mobile) is stored masked."""
    try:
        request = request if request is not None else _current_request.get()
        if path is None:
            path = getattr(request, "path", "") if request is not None else ""
        if address is None:
            address = client_address(request) if request is not None else ""
        if user is not None and not (isinstance(user, User) and user.pk):
            user = None
        if phone:
            username = mask_phone(phone)
        elif not username and user is not None:
            username = user.username
        event = SecurityEvent(
            kind=kind, channel=channel or channel_of(path), at=timezone.now(), username=(username or "")[:150],
            user=user, address=(address or "")[:64], path=(path or "")[:300], detail=str(detail or "")[:300])
        pending = getattr(request, "_audit_pending", None) if request is not None else None
        if pending is not None and transaction.get_connection().in_atomic_block:
            pending.append(event)  # written by the middleware once the request's transaction is over
        else:
            _save(event)
    except Exception:  # noqa: BLE001 - the audit log must never break the request
        log.exception("could not record the security event %s", kind)


def _save(event: SecurityEvent) -> None:
    try:
        connection = transaction.get_connection()
        if connection.in_atomic_block and connection.needs_rollback:
            log.warning("security event %s not written: the transaction is failing", event.kind)
            return
        with transaction.atomic():  # a savepoint inside a transaction: a failed insert leaves it usable
            event.save()
    except Exception:  # noqa: BLE001
        log.exception("could not write the security event %s", event.kind)


def _flush(request) -> None:
    pending = getattr(request, "_audit_pending", None) or []
    request._audit_pending = None
    for event in pending:
        _save(event)


def _refusal_detail(request, response) -> str:
    detail = getattr(request, "_audit_refusal", "")
    if not detail and "json" in response.get("Content-Type", "") and len(response.content) < 4000:
        try:
            detail = str(json.loads(response.content).get("detail", ""))
        except (ValueError, AttributeError):
            detail = ""
    return detail or "HTTP 403"


def _refusal_username(request) -> tuple[str, object, str]:
    """Who was refused: the API's token user, the session's staff member, or the portal's owner."""
    for user in (getattr(request, "auth", None), getattr(request, "user", None)):
        if isinstance(user, User) and user.is_authenticated:
            return user.username, user, ""
    owner = getattr(request, "owner", None)
    if owner is not None:
        return "", None, owner.phone
    return "", None, ""


class AuditMiddleware:
    """Make the request known to `record()`; record each 403 answer; write waiting entries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._audit_pending = []
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                try:
                    username, user, phone = _refusal_username(request)
                    detail = _refusal_detail(request, response)
                except Exception:  # noqa: BLE001 - e.g. a streaming body; the refusal is still recorded
                    username, user, phone, detail = "", None, "", "HTTP 403"
                record(Kind.REFUSED, request=request, username=username, user=user, phone=phone, detail=detail)
        finally:
            _current_request.reset(token)
            try:
                _flush(request)
            except Exception:  # noqa: BLE001
                log.exception("could not write the security events of %s", getattr(request, "path", ""))
        return response

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied

        if isinstance(exception, PermissionDenied):
            request._audit_refusal = str(exception)[:300]
        return None


# -- staff sign-in and sign-out through django.contrib.auth ---------------------------------------

@receiver(user_logged_in, dispatch_uid="propdesk_audit_logged_in")
def _logged_in(sender, request=None, user=None, **kwargs):
    record(Kind.LOGIN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="propdesk_audit_login_failed")
def _login_failed(sender, credentials=None, request=None, **kwargs):
    # Django has already replaced the password in `credentials` with stars; only the name is kept.
    username = str((credentials or {}).get("username", ""))
    record(Kind.LOGIN_FAILED, request=request, username=username, detail="wrong username or password")


@receiver(user_logged_out, dispatch_uid="propdesk_audit_logged_out")
def _logged_out(sender, request=None, user=None, **kwargs):
    record(Kind.LOGOUT, request=request, user=user)


# -- reading the log (the console's audit page) ---------------------------------------------------

def search(actor, *, kind: str = "", who: str = "", address: str = "", since: datetime | None = None,
           until: datetime | None = None):
    """Newest first, for company administrators only. `who` matches the username or mobile (a full
    mobile is matched in its masked form)."""
    require_role(actor, ADMINS)
    events = SecurityEvent.objects.select_related("user")
    if kind:
        events = events.filter(kind=kind)
    if who:
        who = who.strip()
        events = events.filter(username__icontains=mask_phone(who) if _MOBILE.match(who) else who)
    if address:
        events = events.filter(address__startswith=address.strip())
    if since:
        events = events.filter(at__gte=since)
    if until:
        events = events.filter(at__lt=until)
    return events.order_by("-at", "-id")
