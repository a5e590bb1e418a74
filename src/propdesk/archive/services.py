"""Writes to the archive (PRODUCT.md area 1). Each function validates, writes in one transaction and
records the change on the timeline of every card it concerns."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.changes import create_recorded, update_recorded
from propdesk.core.crypto import normalise_id_number
from propdesk.core.db import refresh_statistics
from propdesk.core.phones import validate_phone
from propdesk.core.sensitive import mask_changes
from propdesk.core.timeline import Message
from propdesk.org.access import ARCHIVE_EDITORS, id_revealers, require_project, require_role
from propdesk.org.models import Building, Project, Unit, User

from .models import Customer, CustomerPhone, Occupancy, Pet, UnitRecord, Vehicle

CUSTOMER_FIELDS = {
    "kind", "customer_type", "name", "gender", "birth_date", "hometown", "hobbies", "income_band",
    "household_size", "id_type", "id_number", "email", "wechat", "emergency_contact", "notes",
}
OCCUPANCY_FIELDS = {"role", "relation", "start_date", "end_date"}


def clean_phones(raw_numbers) -> list[str]:
    """Validate and normalise a list of phone numbers, keeping their order and dropping repeats."""
    numbers, errors = [], []
    for raw in raw_numbers:
        if not str(raw).strip():
            continue
        try:
            number = validate_phone(str(raw))
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if number not in numbers:
            numbers.append(number)
    if errors:
        raise ValidationError({"phones": errors})
    return numbers


def next_customer_code(project: Project) -> str:
    last = Customer.objects.filter(project=project, code__startswith="C").order_by("-code").values_list(
        "code", flat=True).first()
    n = int(last[1:]) + 1 if last and last[1:].isdigit() else 1
    return f"C{n:06d}"


def create_customer(actor, *, project: Project, phones=(), **fields) -> Customer:
    require_role(actor, ARCHIVE_EDITORS)
    require_project(actor, project.pk)
    numbers = clean_phones(phones)
    unknown = set(fields) - CUSTOMER_FIELDS - {"code", "last_confirmed_at"}
    if unknown:
        raise ValidationError({f: _("Unknown field.") for f in unknown})
    with transaction.atomic():
        customer = Customer(project=project, **fields)
        if not customer.code:
            customer.code = next_customer_code(project)
        if customer.last_confirmed_at is None:
            customer.last_confirmed_at = timezone.now()
        create_recorded(actor, customer, "archive.customer.created",
                        Message(gettext_noop("Customer %(name)s registered"), {"name": customer.name}))
        CustomerPhone.objects.bulk_create(CustomerPhone(customer=customer, number=n) for n in numbers)
    return customer


def update_customer(actor, customer: Customer, data: dict, phones=None) -> dict:
    """Change a customer's facts and, if given, replace their phone numbers; one timeline entry."""
    require_role(actor, ARCHIVE_EDITORS)
    require_project(actor, customer.project_id)
    if "id_number" in data:
        data = {**data, "id_number": normalise_id_number(data["id_number"])}
    with transaction.atomic():
        changed = timeline.diff(customer, {k: v for k, v in data.items() if k in CUSTOMER_FIELDS})
        if phones is not None:
            numbers = clean_phones(phones)
            old = list(customer.phones.values_list("number", flat=True))
            if old != numbers:
                customer.phones.all().delete()
                CustomerPhone.objects.bulk_create(CustomerPhone(customer=customer, number=n) for n in numbers)
                changed["phones"] = [", ".join(old), ", ".join(numbers)]
        unknown = set(data) - CUSTOMER_FIELDS
        if unknown:
            raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
        if not changed:
            return {}
        for field, value in data.items():
            setattr(customer, field, value)
        customer.full_clean()
        customer.save()
        timeline.record(actor, "archive.customer.changed",
                        Message(gettext_noop("Customer %(name)s changed"), {"name": customer.name}),
                        subjects=[customer], changes=mask_changes(changed))  # never a full ID number
    return changed


def confirm_customer(actor, customer: Customer) -> Customer:
    """The quarterly archive review: staff confirm the record is still right (area 1)."""
    require_role(actor, ARCHIVE_EDITORS)
    require_project(actor, customer.project_id)
    with transaction.atomic():
        customer.last_confirmed_at = timezone.now()
        customer.save(update_fields=["last_confirmed_at"])
        timeline.record(actor, "archive.customer.confirmed",
                        Message(gettext_noop("Archive record of %(name)s confirmed"), {"name": customer.name}), subjects=[customer])
    return customer


def reveal_id_number(actor, customer: Customer) -> str:
    """Show a full ID document number to a permitted role only, and record that it was seen.

    The one way a single number is decrypted for a person to read (the event stores no number)."""
    require_project(actor, customer.project_id)
    require_role(actor, id_revealers())
    with transaction.atomic():
        timeline.record(actor, "archive.customer.id_revealed",
                        Message(gettext_noop("Full ID number of %(name)s viewed"), {"name": customer.name}), subjects=[customer])
    return customer.id_number


def record_contact(actor, customer: Customer, note: str) -> None:
    """A call, visit or message with the customer, kept on their card."""
    require_project(actor, customer.project_id)
    if not note.strip():
        raise ValidationError({"note": _("Say what was discussed.")})
    with transaction.atomic():
        timeline.record(actor, "archive.customer.contacted", note.strip(), subjects=[customer])


# -- occupancies ------------------------------------------------------------------------------

def _check_occupancy(occ: Occupancy) -> None:
    errors = {}
    if occ.end_date and occ.start_date and occ.end_date < occ.start_date:
        errors["end_date"] = _("The end date is before the start date.")
    if occ.role == Occupancy.Role.TENANT and not occ.end_date:
        errors["end_date"] = _("A tenancy needs its lease end date.")
    if occ.unit.project_id != occ.customer.project_id:
        errors["customer"] = _("The customer belongs to another project's archive.")
    if errors:
        raise ValidationError(errors)


_OCCUPANCY_CREATED = {
    Occupancy.Role.OWNER: gettext_noop("%(name)s registered as owner of %(unit)s"),
    Occupancy.Role.TENANT: gettext_noop("%(name)s registered as tenant of %(unit)s"),
    Occupancy.Role.MEMBER: gettext_noop("%(name)s registered as household member of %(unit)s"),
}


def _occupancy_message(occ: Occupancy, msgid: str) -> Message:
    return Message(msgid, {"name": occ.customer.name, "unit": occ.unit.label})


def add_occupancy(actor, *, unit: Unit, customer: Customer, role: str, start_date: date,
                  end_date: date | None = None, relation: str = "") -> Occupancy:
    require_role(actor, ARCHIVE_EDITORS)
    require_project(actor, unit.project_id)
    occ = Occupancy(unit=unit, customer=customer, role=role, start_date=start_date, end_date=end_date,
                    relation=relation)
    if role not in _OCCUPANCY_CREATED:
        raise ValidationError({"role": _("Choose owner, tenant or household member.")})
    return create_recorded(actor, occ, "archive.occupancy.created",
                           _occupancy_message(occ, _OCCUPANCY_CREATED[occ.role]),
                           subjects=[unit, customer], check=_check_occupancy)


def update_occupancy(actor, occ: Occupancy, data: dict) -> dict:
    require_role(actor, ARCHIVE_EDITORS)
    require_project(actor, occ.unit.project_id)
    return update_recorded(actor, occ, data, OCCUPANCY_FIELDS, "archive.occupancy.changed",
                           _occupancy_message(occ, gettext_noop("Occupancy of %(name)s in %(unit)s changed")),
                           subjects=[occ.unit, occ.customer], check=_check_occupancy)


# -- vehicles, pets, unit records ------------------------------------------------------------------

def add_vehicle(actor, customer: Customer, **fields) -> Vehicle:
    require_role(actor, ARCHIVE_EDITORS + (User.Role.SECURITY,))
    require_project(actor, customer.project_id)
    vehicle = Vehicle(customer=customer, **fields)
    return create_recorded(actor, vehicle, "archive.vehicle.added",
                           Message(gettext_noop("Vehicle %(plate)s registered"), {"plate": vehicle.plate}), subjects=[customer])


def add_pet(actor, customer: Customer, **fields) -> Pet:
    require_role(actor, ARCHIVE_EDITORS)
    require_project(actor, customer.project_id)
    pet = Pet(customer=customer, **fields)
    return create_recorded(actor, pet, "archive.pet.added",
                           Message(gettext_noop("Pet %(pet)s registered"), {"pet": str(pet)}), subjects=[customer])


_UNIT_RECORD_ADDED = {
    UnitRecord.Kind.HANDOVER: gettext_noop("Handover inspection recorded: %(title)s"),
    UnitRecord.Kind.WARRANTY: gettext_noop("Warranty item recorded: %(title)s"),
    UnitRecord.Kind.USAGE: gettext_noop("Usage note recorded: %(title)s"),
}


def add_unit_record(actor, unit: Unit, **fields) -> UnitRecord:
    require_role(actor, ARCHIVE_EDITORS + (User.Role.TECHNICIAN,))
    require_project(actor, unit.project_id)
    rec = UnitRecord(unit=unit, **fields)
    return create_recorded(actor, rec, "archive.unit_record.added",
                           Message(_UNIT_RECORD_ADDED.get(rec.kind, _UNIT_RECORD_ADDED["usage"]), {"title": rec.title}),
                           subjects=[unit])


def refresh_archive_statistics() -> None:
    """After a bulk load of the archive (demo data, Excel import): fresh planner statistics."""
    models = (Building, Unit, Customer, CustomerPhone, Occupancy, Pet, UnitRecord, Vehicle)
    refresh_statistics(*(m._meta.db_table for m in models))
