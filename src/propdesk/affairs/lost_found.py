"""Lost and found (拾遗, PRODUCT.md area 3; issue 13, item 6).

A found item is registered at once (what, where — building, floor, place —, when, who found it, a
photo, where it is kept) and the service desk and the security post are told in the console at the same
moment. A claim records the claimant (anyone, not only owners), their description of the contents, the
ID they showed (encrypted, shown masked), the staff member who compared, and a signature drawn on the
screen or the reference of a signed paper; the finder's contact details are then cleared from the record.
Items unclaimed after the project's number of days are posted on the portal's notice board (without the
finder or the contents), and their disposal after a longer period is recorded.
"""

import base64
import binascii
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.phones import normalize_phone
from propdesk.core.timeline import Message
from propdesk.notify.services import notify
from propdesk.org.access import MANAGERS, require_project, require_role
from propdesk.org.models import User

from . import common
from .models import AffairsSettings, Claim, FoundItem
from .roles import CLAIM_HANDLERS

F = FoundItem.Status
SIGNATURE_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE = 300 * 1024
TOLD_ROLES = (User.Role.FRONT_DESK, User.Role.SECURITY, User.Role.PROJECT_MANAGER)


def _told(project_id: int):
    """The service desk and the security post of the project: who hears of a found item at once."""
    return list(User.objects.filter(is_active=True, role__in=TOLD_ROLES, projects=project_id))


def register_item(actor, project, *, description: str, place: str, found_at, kept_at: str, building=None,
                  floor: str = "", finder_name: str = "", finder_phone: str = "", contents: str = "",
                  photos=()) -> FoundItem:
    """Register a found item and tell the desk and the security post in the console (item 6)."""
    require_project(actor, project.pk)
    errors = {}
    for name, value in (("description", description), ("place", place), ("kept_at", kept_at)):
        if not (value or "").strip():
            errors[name] = _("This field is required.")
    if building is not None and building.project_id != project.pk:
        errors["building"] = _("The building belongs to another project.")
    if found_at is None or found_at > timezone.now() + dt.timedelta(minutes=5):
        errors["found_at"] = _("When was it found? Not in the future.")
    elif found_at < timezone.now() - dt.timedelta(days=366):  # a typing slip, not an item kept for years
        errors["found_at"] = _("When was it found? Not more than a year ago.")
    if errors:
        raise ValidationError(errors)
    prepared = common.prepare_photos(photos)
    now = timezone.now()
    with transaction.atomic():
        item = FoundItem.objects.create(
            project=project, number=common.placeholder_number(), description=description.strip()[:100],
            contents=(contents or "").strip(), building=building, floor=(floor or "").strip()[:10],
            place=place.strip()[:100], found_at=found_at, finder_name=(finder_name or "").strip()[:50],
            finder_phone=normalize_phone(finder_phone)[:20], kept_at=kept_at.strip()[:100], registered_by=actor,
            registered_at=now)
        item.number = common.number_for("SW", item.pk, timezone.localdate(found_at))
        item.save(update_fields=["number"])
        common.store_photos(actor, project.pk, item, prepared)
        where = " ".join(x for x in (building.name if building else "", item.floor, item.place) if x)
        message = Message(gettext_noop("Found item %(number)s: %(item)s at %(place)s, kept at %(kept)s"),
                          {"number": item.number, "item": item.description, "place": where, "kept": item.kept_at})
        timeline.record(actor, "affairs.found.registered", message, subjects=[item])
        notify(project=project, event="affairs.found_item", subject=message, body=message,
               link=f"/console/affairs/found/{item.pk}/", users=_told(project.pk))
    return item


def _signature_file(data_url: str) -> ContentFile | None:
    """A signature drawn on the screen arrives as a PNG data URL; anything else is refused."""
    if not data_url:
        return None
    if not data_url.startswith(SIGNATURE_PREFIX) or len(data_url) > MAX_SIGNATURE * 4 // 3 + 100:
        raise ValidationError({"signature": _("The signature could not be read: sign again.")})
    try:
        raw = base64.b64decode(data_url[len(SIGNATURE_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"signature": _("The signature could not be read: sign again.")}) from None
    if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({"signature": _("The signature could not be read: sign again.")})
    return ContentFile(raw, name="signature.png")


def claim_item(actor, item: FoundItem, *, claimant_name: str, id_type: str, id_number: str,
               described_contents: str, claimant_phone: str = "", signature: str = "", paper_reference: str = "",
               customer=None) -> Claim:
    """Hand a found item to its claimant (item 6): contents described, ID shown, compared by the actor,
    signed; the finder's contact details are cleared from the record in the same transaction."""
    require_role(actor, CLAIM_HANDLERS)
    require_project(actor, item.project_id)
    if item.status != F.HELD:
        raise Conflict(_("This item is no longer held."), state=item.status)
    errors = {}
    if not (claimant_name or "").strip():
        errors["claimant_name"] = _("Enter the claimant's name.")
    if not (id_number or "").strip():
        errors["id_number"] = _("Enter the number of the ID shown.")
    if not (described_contents or "").strip():
        errors["described_contents"] = _("Write down how the claimant described the contents.")
    image = None
    try:
        image = _signature_file(signature)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if image is None and not (paper_reference or "").strip() and "signature" not in errors:
        errors["signature"] = _("The claimant signs on the screen, or enter the reference of the signed paper.")
    if customer is not None and customer.project_id != item.project_id:
        errors["customer"] = _("The customer belongs to another project's archive.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        claim = Claim(item=item, claimant_name=claimant_name.strip()[:50], id_type=id_type or "resident_id",
                      claimant_phone=normalize_phone(claimant_phone)[:20], customer=customer,
                      described_contents=described_contents.strip(), compared_by=actor,
                      paper_reference=(paper_reference or "").strip()[:40], claimed_at=now)
        claim.id_number = id_number
        claim.full_clean(exclude=["item", "compared_by", "customer", "signature"])
        if image is not None:
            claim.signature.save(f"{item.number}.png", image, save=False)
        claim.save()
        item.status, item.finder_name, item.finder_phone, item.finder_cleared_at = F.CLAIMED, "", "", now
        item.save(update_fields=["status", "finder_name", "finder_phone", "finder_cleared_at"])
        timeline.record(actor, "affairs.found.claimed", Message(
            gettext_noop("Found item %(number)s claimed by %(name)s"),
            {"number": item.number, "name": claim.claimant_name}), subjects=[item, customer])
    return claim


def post_unclaimed(now=None) -> int:
    """The daily job: items held longer than their project's notice period go on the portal's notice board."""
    now = now or timezone.now()
    posted = 0
    for project_id in FoundItem.objects.filter(status=F.HELD, posted_at__isnull=True).order_by().values_list(
            "project_id", flat=True).distinct():
        days = AffairsSettings.for_project(project_id).unclaimed_notice_days
        with transaction.atomic():
            posted += FoundItem.objects.filter(project_id=project_id, status=F.HELD, posted_at__isnull=True,
                                               found_at__lte=now - dt.timedelta(days=days)).update(posted_at=now)
    return posted


def dispose_item(actor, item: FoundItem, *, note: str, now=None) -> FoundItem:
    """Record the disposal of an item unclaimed for the project's disposal period (managers)."""
    require_role(actor, MANAGERS)
    require_project(actor, item.project_id)
    now = now or timezone.now()
    if item.status != F.HELD:
        raise Conflict(_("This item is no longer held."), state=item.status)
    days = AffairsSettings.for_project(item.project_id).disposal_days
    if item.found_at > now - dt.timedelta(days=days):
        raise ValidationError({"note": _("An item may be disposed of only after %(days)d days unclaimed.") % {
            "days": days}})
    if not (note or "").strip():
        raise ValidationError({"note": _("Say how the item was disposed of (handed to the police, donated…).")})
    with transaction.atomic():
        item.status, item.disposed_at, item.disposed_by, item.disposal_note = F.DISPOSED, now, actor, note.strip()[:200]
        item.save(update_fields=["status", "disposed_at", "disposed_by", "disposal_note"])
        timeline.record(actor, "affairs.found.disposed", Message(
            gettext_noop("Found item %(number)s disposed of"), {"number": item.number}), subjects=[item])
    return item
