"""Owners and residents as portal users: sign-in by mobile and one-time code, and the one place that
decides what an owner may see (PRODUCT.md area 6).

An owner is not a staff User. A person may be in several projects' archives with the same mobile;
the portal identity is the mobile number and every archive record that carries it and has a current
occupancy (owner, tenant or household member). A former tenant whose lease has ended has no current
occupancy: they cannot sign in, and a session of theirs stops showing anything once the lease ends.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import ratelimit
from propdesk.core.phones import normalize_phone
from propdesk.core.sensitive import Secret
from propdesk.core.timeline import Message
from propdesk.notify.services import Contact, notify
from propdesk.org import audit

from .models import Customer, LoginCode, Occupancy

CODE_LIFETIME = timedelta(minutes=5)
MAX_ATTEMPTS = 5
SESSION_KEY = "propdesk_owner_phone"


class CodeRefused(PermissionDenied):
    """The code is wrong, expired, used up, or sending was throttled; the message says which."""


@dataclass
class Owner:
    """The signed-in owner or resident: their mobile and what it gives them access to today."""

    phone: str
    customer_ids: list[int] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    project_ids: list[int] = field(default_factory=list)
    occupancies: list = field(default_factory=list)

    @property
    def is_authenticated(self) -> bool:
        return bool(self.customer_ids)

    @property
    def client_key(self) -> str:
        """Who sent a request, for idempotency keys and rate limits."""
        return f"owner:{self.phone}"

    def customers(self):
        return Customer.objects.filter(pk__in=self.customer_ids).select_related("project")

    @cached_property
    def households(self) -> dict[int, list[int]]:
        """For each home the person lives in as owner or household member (not as tenant), the
        customers who are its owners and members today. Read once per request, when first asked."""
        homes = [o.unit_id for o in self.occupancies if o.role != Occupancy.Role.TENANT]
        out: dict[int, set[int]] = {unit_id: set() for unit_id in homes}
        if homes:
            for unit_id, customer_id in Occupancy.objects.current().filter(
                    unit_id__in=homes, role__in=[Occupancy.Role.OWNER, Occupancy.Role.MEMBER]
            ).values_list("unit_id", "customer_id"):
                out[unit_id].add(customer_id)
        return {unit_id: sorted(ids) for unit_id, ids in out.items()}


def current_occupancies(phone: str):
    """Current occupancies of every archive record carrying this mobile number."""
    return (Occupancy.objects.current().filter(customer__phones__number=phone)
            .select_related("unit__building", "unit__project", "customer").order_by("unit__project_id", "unit_id"))


def owner_for_phone(phone: str) -> Owner:
    """Build the owner's access from their current occupancies (empty when they have none)."""
    occupancies = list(current_occupancies(phone))
    return Owner(
        phone=phone,
        customer_ids=sorted({o.customer_id for o in occupancies}),
        unit_ids=sorted({o.unit_id for o in occupancies}),
        project_ids=sorted({o.unit.project_id for o in occupancies}),
        occupancies=occupancies,
    )


def _digest(phone: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def request_code(raw_phone: str, address: str) -> str:
    """Send a 6-digit code to a mobile that has a current occupancy; returns the normalised number.

    Limits: one code per minute and 5 per hour for a number, 20 per hour from one address. A number
    without a current occupancy is told the same as one with (no enumeration of owners), but gets no SMS.
    """
    phone = normalize_phone(raw_phone)
    if len(phone) != 11 or not phone.startswith("1"):
        raise ValidationError({"phone": _("Enter your 11-digit mobile number.")})
    if not (ratelimit.hit(f"otp:phone:min:{phone}", 1, 60) and ratelimit.hit(f"otp:phone:hour:{phone}", 5, 3600)
            and ratelimit.hit(f"otp:addr:{address}", 20, 3600)):
        audit.record(audit.Kind.LOGIN_THROTTLED, phone=phone, address=address, detail="code requests")
        raise CodeRefused(_("Too many codes requested. Please wait a minute and try again."))
    owner = owner_for_phone(phone)
    if not owner.is_authenticated:
        return phone
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        LoginCode.objects.filter(phone=phone, used_at__isnull=True).update(used_at=now)  # one live code
        LoginCode.objects.create(phone=phone, digest=_digest(phone, code), created_at=now,
                                 expires_at=now + CODE_LIFETIME)
        person = owner.occupancies[0].customer
        message = Message(gettext_noop("Your propdesk sign-in code is %(code)s, valid for 5 minutes. "
                                       "Do not share it."), {"code": Secret(code)})
        notify(project=owner.project_ids[0], event="portal.login_code", subject=message, body=message,
               customers=[Contact(customer_id=person.pk, name=person.name, phone=phone)])
    return phone


def verify_code(raw_phone: str, code: str, address: str) -> Owner:
    """Check the code: at most 5 tries, within 5 minutes, once. Returns the owner's access.

    Limits: 50 tries per hour from one address, 15 per hour for one number (across its codes).
    """
    phone = normalize_phone(raw_phone)
    if not ratelimit.hit(f"otp:verify:addr:{address}", 50, 3600):
        audit.record(audit.Kind.LOGIN_THROTTLED, phone=phone, address=address, detail="code tries from the address")
        raise CodeRefused(_("Too many attempts from this network. Please try again later."))
    if not ratelimit.hit(f"otp:verify:phone:{phone}", 15, 3600):
        audit.record(audit.Kind.LOGIN_THROTTLED, phone=phone, address=address, detail="code tries for the number")
        raise CodeRefused(_("Too many wrong codes. Please request a new one."))
    now = timezone.now()
    # Decide inside the transaction, raise after it: a wrong try must be counted, not rolled back.
    with transaction.atomic():
        live = (LoginCode.objects.select_for_update().filter(phone=phone, used_at__isnull=True)
                .order_by("-created_at").first())
        if live is None or live.expires_at <= now:
            refusal = _("The code has expired. Please request a new one.")
        elif live.attempts >= MAX_ATTEMPTS:
            refusal = _("Too many wrong codes. Please request a new one.")
        else:
            live.attempts += 1
            if hmac.compare_digest(live.digest, _digest(phone, (code or "").strip())):
                live.used_at = now
                refusal = None
            elif live.attempts >= MAX_ATTEMPTS:
                refusal = _("Too many wrong codes. Please request a new one.")
            else:
                refusal = _("Wrong code. %(left)d tries left.") % {"left": MAX_ATTEMPTS - live.attempts}
            live.save(update_fields=["attempts", "used_at"])
    if refusal:
        audit.record(audit.Kind.LOGIN_FAILED, phone=phone, address=address, detail="code refused")
        raise CodeRefused(refusal)
    owner = owner_for_phone(phone)
    if not owner.is_authenticated:
        audit.record(audit.Kind.LOGIN_FAILED, phone=phone, address=address, detail="no current occupancy")
        raise CodeRefused(_("This number has no current home in our records."))
    return owner


def sign_in(request, owner: Owner) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = owner.phone
    audit.record(audit.Kind.LOGIN, request=request, phone=owner.phone, channel=audit.Channel.PORTAL)


def sign_out(request) -> None:
    phone = request.session.pop(SESSION_KEY, None)
    if phone:
        audit.record(audit.Kind.LOGOUT, request=request, phone=phone, channel=audit.Channel.PORTAL)


def owner_from_request(request) -> Owner | None:
    """The signed-in owner, re-evaluated on every request so an ended lease ends access at once."""
    phone = request.session.get(SESSION_KEY)
    if not phone:
        return None
    owner = owner_for_phone(phone)
    return owner if owner.is_authenticated else None
