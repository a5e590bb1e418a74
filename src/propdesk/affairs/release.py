"""Goods release (物品放行, PRODUCT.md area 3; issue 13, item 3).

A pass lists items and quantities for one unit, one carrier and one day, and expires at the end of that
day. The applicant must occupy the unit now. An owner's own pass is authorised as asked; a tenant's or a
household member's waits for an owner of the unit: in the portal, or by phone recorded by the desk only
after the owner was verified against the archive (the last 4 characters of the ID number and a phone
registered on the record) — who verified, how and when is kept. The owner may authorise fewer items
than asked, or refuse. At the gate only authorised, unreleased quantities pass; each release is a line of
the release register. An owner may put a hold on their let unit ("do not release without me"): while it
stands, a non-owner's pass authorised before the hold is refused at the gate, and the gate shows it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Occupancy
from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.phones import normalize_phone
from propdesk.core.timeline import Message
from propdesk.org.access import require_project, require_role

from . import common
from .models import HoldFlag, ReleaseAuthorisation, ReleaseEntry, ReleaseItem, ReleasePass
from .roles import DESK, GATE

P = ReleasePass.Status
MAX_ITEMS = 30
MAX_QUANTITY = 999


def _subjects(p: ReleasePass) -> list:
    return [p, p.unit, p.applicant]


def items_from_text(text: str) -> list[tuple[str, str]]:
    """"办公桌 4" per line, as the desk and the portal take them → [("办公桌", "4")]; _clean_items checks them."""
    rows = []
    for line in (text or "").splitlines():
        if line.strip():
            name, _sep, quantity = line.strip().rpartition(" ")
            rows.append((name, quantity) if name else (quantity, ""))
    return rows


def _clean_items(items) -> list[tuple[str, int]]:
    rows, errors = [], []
    for name, quantity in items or []:
        name = (name or "").strip()
        if not name and not quantity:
            continue
        try:
            quantity = int(quantity)
        except (TypeError, ValueError):
            quantity = 0
        if not name or not 1 <= quantity <= MAX_QUANTITY:
            errors.append(_("Give each item a name and a quantity from 1 to 999."))
            continue
        rows.append((name[:60], quantity))
    if errors:
        raise ValidationError({"items": errors[:1]})
    if not rows:
        raise ValidationError({"items": _("List the items to be carried out.")})
    if len(rows) > MAX_ITEMS:
        raise ValidationError({"items": _("At most 30 items on one pass.")})
    return rows


def apply_pass(actor, *, unit, applicant, items, carrier: str, carrier_phone: str = "", date=None, reason: str = "",
               channel=ReleasePass.Channel.DESK) -> ReleasePass:
    """Apply for a release pass (portal: actor None). Refused for a person who does not occupy the unit now;
    an owner's pass is authorised as asked, anyone else's awaits an owner's authorisation."""
    if actor is not None:
        require_role(actor, DESK)
        require_project(actor, unit.project_id)
    today = timezone.localdate()
    date = date or today
    rows = _clean_items(items)
    errors = {}
    role = common.current_role(applicant, unit, date if date >= today else today)
    if applicant.project_id != unit.project_id or role is None:
        errors["applicant"] = _("%(name)s does not live in %(unit)s: only its occupants may apply for a pass.") % {
            "name": applicant.name, "unit": unit.label}
    if date < today:
        errors["date"] = _("A pass cannot be dated in the past.")
    if not (carrier or "").strip():
        errors["carrier"] = _("Who carries the items out?")
    if errors:
        raise ValidationError(errors)
    is_owner = role == Occupancy.Role.OWNER
    now = timezone.now()
    with transaction.atomic():
        p = ReleasePass.objects.create(
            project_id=unit.project_id, unit=unit, number=common.placeholder_number(), applicant=applicant,
            applicant_role=role, carrier=carrier.strip()[:50], carrier_phone=normalize_phone(carrier_phone)[:20],
            date=date, reason=(reason or "").strip()[:100], status=P.AUTHORISED if is_owner else P.AWAITING_OWNER,
            channel=channel, created_by=actor, created_at=now)
        p.number = common.number_for("FX", p.pk, date)
        p.save(update_fields=["number"])
        ReleaseItem.objects.bulk_create(ReleaseItem(release_pass=p, name=n, quantity=q, authorised=q if is_owner else 0)
                                        for n, q in rows)
        timeline.record(actor, "affairs.release.applied", Message(
            gettext_noop("Release pass %(number)s for %(unit)s applied for by %(name)s"),
            {"number": p.number, "unit": unit.label, "name": applicant.name}), subjects=_subjects(p))
    return p


def _check_owner(p: ReleasePass, owner):
    if p.status != P.AWAITING_OWNER:
        raise Conflict(_("This pass is not waiting for an authorisation."), state=p.status)
    if common.current_role(owner, p.unit) != Occupancy.Role.OWNER:
        raise ValidationError({"owner": _("%(name)s is not a current owner of %(unit)s and cannot authorise.") % {
            "name": owner.name, "unit": p.unit.label}})


def _authorise(actor, p: ReleasePass, owner, quantities: dict | None, granted: bool, method: str,
               verification: str = "") -> ReleasePass:
    items = list(p.items.all())
    if granted:
        quantities = quantities or {}
        unknown = set(quantities) - {i.pk for i in items}
        if unknown:
            raise ValidationError({"items": _("Only items listed on the pass can be authorised.")})
        for item in items:
            q = quantities.get(item.pk, item.quantity)
            if not isinstance(q, int) or not 0 <= q <= item.quantity:
                raise ValidationError({"items": _("Authorise at most the quantity asked for %(item)s.") % {
                    "item": item.name}})
            item.authorised = q
        if not any(i.authorised for i in items):
            granted = False  # nothing authorised is a refusal
    with transaction.atomic():
        ReleaseAuthorisation.objects.create(
            release_pass=p, owner=owner, method=method, granted=granted, at=timezone.now(),
            verified_by=actor if method == ReleaseAuthorisation.Method.PHONE else None, verification=verification)
        if granted:
            ReleaseItem.objects.bulk_update(items, ["authorised"])
        p.status = P.AUTHORISED if granted else P.REFUSED
        p.save(update_fields=["status"])
        partial = granted and any(i.authorised < i.quantity for i in items)
        msg = (gettext_noop("Release pass %(number)s refused by owner %(name)s") if not granted else
               gettext_noop("Release pass %(number)s partly authorised by owner %(name)s") if partial else
               gettext_noop("Release pass %(number)s authorised by owner %(name)s"))
        timeline.record(actor, "affairs.release.authorised", Message(msg, {"number": p.number, "name": owner.name}),
                        subjects=[*_subjects(p), owner])
    return p


def authorise_in_portal(owner, p: ReleasePass, *, quantities: dict | None = None, granted: bool = True):
    """The owner authorises (all, fewer items, or none) from the portal. `owner` is their archive record."""
    _check_owner(p, owner)
    return _authorise(None, p, owner, quantities, granted, ReleaseAuthorisation.Method.PORTAL)


def authorise_by_phone(actor, p: ReleasePass, *, owner, id_last4: str, phone: str,
                       quantities: dict | None = None, granted: bool = True):
    """The desk records an owner's authorisation given by phone, only after verifying the caller against
    the archive: the last 4 characters of the owner's ID number and a phone number on their record."""
    require_role(actor, DESK)
    require_project(actor, p.project_id)
    _check_owner(p, owner)
    digits = normalize_phone(phone)
    last4 = (id_last4 or "").strip().upper()
    errors = {}
    if len(last4) != 4 or not owner.has_id_number or owner.id_number[-4:].upper() != last4:
        errors["id_last4"] = _("The last 4 characters of the ID number do not match the owner's record.")
    if not digits or not owner.phones.filter(number=digits).exists():
        errors["phone"] = _("This phone number is not registered on the owner's record.")
    if errors:
        raise ValidationError(errors)
    verification = _("ID number ending %(last4)s and registered phone %(phone)s checked") % {
        "last4": "****", "phone": digits[:3] + "****" + digits[-4:]}
    return _authorise(actor, p, owner, quantities, granted, ReleaseAuthorisation.Method.PHONE, verification)


def cancel_pass(actor, p: ReleasePass) -> ReleasePass:
    require_role(actor, DESK)
    require_project(actor, p.project_id)
    if p.status in (P.RELEASED, P.CANCELLED):
        raise Conflict(_("This pass can no longer be cancelled."), state=p.status)
    with transaction.atomic():
        p.status = P.CANCELLED
        p.save(update_fields=["status"])
        timeline.record(actor, "affairs.release.cancelled", Message(
            gettext_noop("Release pass %(number)s cancelled"), {"number": p.number}), subjects=_subjects(p))
    return p


# -- holds ------------------------------------------------------------------------------------------

def set_hold(owner, unit, *, reason: str = "", actor=None) -> HoldFlag:
    """An owner's "do not release without me" on their let unit (portal, or the desk on their behalf)."""
    if actor is not None:
        require_role(actor, DESK)
        require_project(actor, unit.project_id)
    if common.current_role(owner, unit) != Occupancy.Role.OWNER:
        raise ValidationError({"owner": _("Only a current owner of the unit may put a hold on releases.")})
    with transaction.atomic():
        hold = HoldFlag.objects.select_for_update().filter(unit=unit, cleared_at__isnull=True).first()
        if hold is None:
            hold = HoldFlag.objects.create(unit=unit, owner=owner, reason=(reason or "").strip()[:100],
                                           set_at=timezone.now())
            timeline.record(actor, "affairs.release.hold_set", Message(
                gettext_noop("Releases from %(unit)s held by owner %(name)s"), {"unit": unit.label, "name": owner.name}),
                subjects=[unit, owner])
    return hold


def clear_hold(owner, unit, *, actor=None) -> None:
    if actor is not None:
        require_role(actor, DESK)
        require_project(actor, unit.project_id)
    if common.current_role(owner, unit) != Occupancy.Role.OWNER:
        raise ValidationError({"owner": _("Only a current owner of the unit may lift the hold.")})
    with transaction.atomic():
        if HoldFlag.objects.filter(unit=unit, cleared_at__isnull=True).update(cleared_at=timezone.now()):
            timeline.record(actor, "affairs.release.hold_cleared", Message(
                gettext_noop("Hold on releases from %(unit)s lifted"), {"unit": unit.label}), subjects=[unit, owner])


def open_hold(unit_id: int) -> HoldFlag | None:
    return HoldFlag.objects.filter(unit_id=unit_id, cleared_at__isnull=True).select_related("owner").first()


# -- the gate ---------------------------------------------------------------------------------------

@dataclass
class GateVerdict:
    """What the guard's phone says about a pass: may it pass, and if not, why."""

    release_pass: ReleasePass
    can_release: bool
    reasons: list[str] = field(default_factory=list)
    hold: HoldFlag | None = None


def gate_verdict(p: ReleasePass, today=None) -> GateVerdict:
    today = today or timezone.localdate()
    reasons = []
    hold = open_hold(p.unit_id)
    if p.status == P.AWAITING_OWNER:
        reasons.append(_("The owner has not authorised this pass yet: a tenant needs the owner's authorisation."))
    elif p.status == P.REFUSED:
        reasons.append(_("The owner refused this pass."))
    elif p.status == P.CANCELLED:
        reasons.append(_("This pass was cancelled."))
    elif p.status == P.RELEASED:
        reasons.append(_("Everything on this pass has already passed the gate."))
    if p.date < today:
        reasons.append(_("This pass expired at the end of %(date)s.") % {"date": p.date})
    elif p.date > today:
        reasons.append(_("This pass is for %(date)s, not today.") % {"date": p.date})
    if hold is not None and p.applicant_role != Occupancy.Role.OWNER:
        authorised_at = getattr(getattr(p, "authorisation", None), "at", None)
        if authorised_at is None or authorised_at < hold.set_at:
            reasons.append(_("The owner has asked that nothing leave this unit without them."))
    return GateVerdict(p, not reasons, reasons, hold)


def release(actor, p: ReleasePass, *, quantities: dict[int, int], now=None) -> list[ReleaseEntry]:
    """The guard ticks what actually passes. Only items on the pass, at most what was authorised and not yet
    released, on the pass's day; each quantity is a line of the release register (item 3)."""
    require_role(actor, GATE)
    require_project(actor, p.project_id)
    now = now or timezone.now()
    with transaction.atomic():
        p = ReleasePass.objects.select_for_update().select_related("unit", "applicant").get(pk=p.pk)
        verdict = gate_verdict(p, timezone.localdate(now))
        if not verdict.can_release:
            raise ValidationError({"__all__": verdict.reasons})
        items = {i.pk: i for i in p.items.all()}
        if set(quantities) - set(items):
            raise ValidationError({"items": _("Only items listed on the pass may pass the gate.")})
        entries = []
        for item_id, q in quantities.items():
            item = items[item_id]
            if not isinstance(q, int) or q < 0:
                raise ValidationError({"items": _("Enter a whole number.")})
            if q > item.remaining:
                raise ValidationError({"items": _("%(item)s: only %(left)d may pass on this pass.") % {
                    "item": item.name, "left": item.remaining}})
            if q:
                item.released += q
                entries.append(ReleaseEntry(release_pass=p, item=item, quantity=q, guard=actor, at=now))
        if not entries:
            raise ValidationError({"items": _("Tick what passes the gate.")})
        ReleaseItem.objects.bulk_update(items.values(), ["released"])
        ReleaseEntry.objects.bulk_create(entries)
        if all(i.remaining == 0 for i in items.values()):
            p.status = P.RELEASED
            p.save(update_fields=["status"])
        timeline.record(actor, "affairs.release.released", Message(
            gettext_noop("Goods released at the gate under pass %(number)s: %(items)s"),
            {"number": p.number, "items": "、".join(f"{e.item.name}×{e.quantity}" for e in entries)}),
            subjects=_subjects(p))
    return entries
