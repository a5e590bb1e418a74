"""Helpers every sub-domain of public affairs shares: numbering, photos, the unit typed at the gate."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from propdesk.archive import selectors as archive_selectors
from propdesk.archive.models import Occupancy
from propdesk.org.models import Unit
from propdesk.service import photos

from .models import Photo


def number_for(prefix: str, pk: int, day) -> str:
    """A number people can read out: FX-270115-42 (kind, date, then the row's id)."""
    return f"{prefix}{day:%y%m%d}-{pk}"


def placeholder_number() -> str:
    """A unique stand-in for a number that needs the row's id: replaced in the same transaction."""
    return "~" + uuid.uuid4().hex[:18]


def prepare_photos(uploads):
    """Check and re-encode uploads before any write (service.photos): all good or ValidationError."""
    return photos.prepare_all(uploads)


def store_photos(actor, project_id: int, subject, prepared) -> list[Photo]:
    """Store prepared photos of `subject`; call inside the write's transaction."""
    ct = ContentType.objects.get_for_model(subject)
    stored = []
    for photo in prepared:
        row = Photo(project_id=project_id, subject_type=ct, subject_id=subject.pk, name=photo.name,
                    size=photo.size, uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
                    uploaded_at=timezone.now())
        row.file.save(photo.name, ContentFile(photo.content), save=False)
        row.save()
        stored.append(row)
    return stored


def photos_of(subject):
    ct = ContentType.objects.get_for_model(subject)
    return Photo.objects.filter(subject_type=ct, subject_id=subject.pk).order_by("id")


def resolve_unit(user, project_id: int, text: str) -> tuple[Unit, object]:
    """The unit a guard or clerk typed: an address (3-2-1201) or a resident's name. Returns (unit, resident
    or None). A text that finds no unit, or several, is a ValidationError saying which."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"unit": _("Type the unit (e.g. 3-2-1201) or the resident's name.")})
    found = archive_selectors.lookup(user, text)
    units = [u for u in found.units if u.project_id == project_id]
    if units:
        if len(units) > 1:
            raise ValidationError({"unit": _("Several units match “%(text)s”: type the entrance too.") % {
                "text": text}})
        return units[0], None
    matches = [(o.unit, c) for c in found.customers if c.project_id == project_id
               for o in c.current_occupancies]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ValidationError({"unit": _("Several residents match “%(text)s”: type the unit instead.") % {
            "text": text}})
    raise ValidationError({"unit": _("No unit or resident of this project matches “%(text)s”.") % {"text": text}})


def current_role(customer, unit, today=None) -> str | None:
    """The customer's strongest current relation to the unit: owner, tenant, household member, or None."""
    roles = set(Occupancy.objects.current(today).filter(customer=customer, unit=unit).values_list("role", flat=True))
    for role in (Occupancy.Role.OWNER, Occupancy.Role.TENANT, Occupancy.Role.MEMBER):
        if role in roles:
            return role
    return None


def current_owners(unit, today=None):
    return [o.customer for o in Occupancy.objects.current(today).filter(unit=unit, role=Occupancy.Role.OWNER)
            .select_related("customer").order_by("start_date", "pk")]


def stored_text(msgid: str, **params) -> str:
    """Text kept in another module's record (a work order's description, a unit record's title): written
    in the installation's language, as staff would have typed it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(msgid) % params


def resolve_customer(user, project_id: int, text: str):
    """The archive record typed by name or mobile (one match in the project), or a ValidationError."""
    text = (text or "").strip()
    found = [c for c in archive_selectors.lookup(user, text).customers if c.project_id == project_id] if text else []
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError({"customer": _("No customer of this project matches “%(text)s”.") % {"text": text}})
    raise ValidationError({"customer": _("Several customers match “%(text)s”: type the mobile number.") % {
        "text": text}})
