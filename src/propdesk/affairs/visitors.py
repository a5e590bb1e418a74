"""Visitors (访客, PRODUCT.md area 3; issue 13, item 5).

The guard registers a visitor in a few keystrokes: a visitor who came before is recalled by phone or
ID number (keyed hash; the number itself is encrypted and shown masked), the unit is typed as an
address (3-2-1201) or a resident's name, and a visit the owner announced in the portal is found by its
short code. The seed's standard is 25 seconds from receiving the ID to handing it back.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import crypto, timeline
from propdesk.core.errors import Conflict
from propdesk.core.phones import normalize_phone
from propdesk.core.timeline import Message
from propdesk.org.access import require_project, require_role

from . import common
from .models import PreRegistration, Visit, Visitor
from .parking import normalise_plate
from .roles import GATE

CODE_ALPHABET = "23456789"
CODE_LENGTH = 6
MAX_PEOPLE = 50


def recall(project_id: int, text: str) -> Visitor | None:
    """A visitor of this project found by their phone number or full ID number (exact, by keyed hash)."""
    text = (text or "").strip()
    if not text:
        return None
    phone = normalize_phone(text)
    if len(phone) >= 7 and phone == text.replace(" ", "").replace("-", ""):
        found = Visitor.objects.filter(project_id=project_id, phone=phone).order_by("-last_visit_at").first()
        if found:
            return found
    digest = crypto.blind_index(text)
    return Visitor.objects.filter(project_id=project_id, id_number_hash=digest).first() if digest else None


def register_visit(actor, project, *, unit_text: str, name: str = "", id_number: str = "", id_type: str = "",
                   phone: str = "", purpose: str = "", plate: str = "", people: int = 1, code: str = "",
                   now=None) -> Visit:
    """Register a visitor at the gate (item 5). With a pre-registration code the owner's announcement fills
    the unit, host and visitor's name; otherwise the unit is typed and the visitor recalled or created."""
    require_role(actor, GATE)
    require_project(actor, project.pk)
    now = now or timezone.now()
    pre = None
    if code:
        pre = (PreRegistration.objects.select_related("unit__building", "host")
               .filter(unit__project=project, code=code.strip(), date=timezone.localdate(now), used_at__isnull=True)
               .first())
        if pre is None:
            raise ValidationError({"code": _("No visit announced for today with this code.")})
        unit, host = pre.unit, pre.host
        name = name or pre.visitor_name
        phone = phone or pre.visitor_phone
        people = pre.people if people in (None, 1) else people
        purpose = purpose or pre.purpose
        plate = plate or pre.plate
    else:
        unit, host = common.resolve_unit(actor, project.pk, unit_text)
    phone = normalize_phone(phone)[:20]
    errors = {}
    try:
        people = int(people or 1)
    except (TypeError, ValueError):
        people = 0
    if not 1 <= people <= MAX_PEOPLE:
        errors["people"] = _("Enter a number of people from 1 to 50.")
    visitor = recall(project.pk, id_number) if id_number else None
    visitor = visitor or (recall(project.pk, phone) if phone else None)
    if visitor is None and not (name or "").strip():
        errors["name"] = _("Enter the visitor's name.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if visitor is None:
            visitor = Visitor(project=project, name=name.strip()[:50], phone=phone, id_type=id_type or "")
        if id_number:
            visitor.id_number = id_number
            visitor.id_type = id_type or visitor.id_type or "resident_id"
        if name and name.strip():
            visitor.name = name.strip()[:50]
        visitor.phone = phone or visitor.phone
        visitor.plate = normalise_plate(plate)[:20] or visitor.plate
        visitor.full_clean(exclude=["project"])
        visitor.visits = (visitor.visits or 0) + 1
        visitor.last_visit_at = now
        visitor.save()
        visit = Visit.objects.create(visitor=visitor, unit=unit, host=host, purpose=(purpose or "").strip()[:50],
                                     plate=normalise_plate(plate)[:20], people=people, preregistration=pre,
                                     checked_in_at=now, checked_in_by=actor)
        if pre is not None:
            pre.used_at = now
            pre.save(update_fields=["used_at"])
        timeline.record(actor, "affairs.visit.registered", Message(
            gettext_noop("Visitor %(name)s registered for %(unit)s"), {"name": visitor.name, "unit": unit.label}),
            subjects=[unit, host])
    return visit


def check_out(actor, visit: Visit, *, now=None) -> Visit:
    require_role(actor, GATE)
    require_project(actor, visit.visitor.project_id)
    if visit.checked_out_at:
        raise Conflict(_("This visitor has already left."))
    with transaction.atomic():
        updated = Visit.objects.filter(pk=visit.pk, checked_out_at__isnull=True).update(
            checked_out_at=now or timezone.now(), checked_out_by=actor)
        if not updated:
            raise Conflict(_("This visitor has already left."))
        visit.refresh_from_db()
    return visit


def pre_register(host, unit, *, visitor_name: str, date, visitor_phone: str = "", people: int = 1,
                 purpose: str = "", plate: str = "") -> PreRegistration:
    """An owner or resident announces a visitor in the portal and gets a short code for the gate."""
    today = timezone.localdate()
    errors = {}
    if common.current_role(host, unit) is None:
        errors["unit"] = _("You can announce visitors only to a home you live in.")
    if not (visitor_name or "").strip():
        errors["visitor_name"] = _("Enter the visitor's name.")
    if date is None or date < today or (date - today).days > 30:
        errors["date"] = _("Choose a date from today to 30 days ahead.")
    if not 1 <= int(people or 0) <= MAX_PEOPLE:
        errors["people"] = _("Enter a number of people from 1 to 50.")
    if errors:
        raise ValidationError(errors)
    for _attempt in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if PreRegistration.objects.filter(unit__project_id=unit.project_id, code=code, used_at__isnull=True,
                                          date__gte=today).exists():
            continue
        try:
            with transaction.atomic():
                pre = PreRegistration.objects.create(
                    unit=unit, host=host, visitor_name=visitor_name.strip()[:50],
                    visitor_phone=normalize_phone(visitor_phone)[:20], date=date, people=int(people),
                    purpose=(purpose or "").strip()[:50], plate=normalise_plate(plate)[:20], code=code,
                    created_at=timezone.now())
                timeline.record(None, "affairs.visit.preregistered", Message(
                    gettext_noop("Visitor %(name)s announced for %(date)s"), {"name": pre.visitor_name, "date": date}),
                    subjects=[unit, host])
            return pre
        except IntegrityError:  # pragma: no cover - a code drawn twice at the same instant
            continue
    raise RuntimeError("no free visitor code")

