"""Reads of the archive, scoped to the user through propdesk.org.access."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from propdesk.core import timeline
from propdesk.core.crypto import normalise_id_number
from propdesk.core.phones import normalize_phone
from propdesk.org import access
from propdesk.org.access import get_scoped, scope
from propdesk.org.models import Unit

from .models import Customer, CustomerPhone, Occupancy, UnitRecord

TIMELINE_LENGTH = 50


def customers_for(user, project_id: int | None = None, name: str | None = None, phone: str | None = None):
    qs = scope(Customer.objects.select_related("project"), user).prefetch_related("phones")
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    if name:
        qs = qs.filter(name__contains=name)
    if phone:
        qs = qs.filter(phones__number__contains=normalize_phone(phone)).distinct()
    return qs.order_by("project_id", "code")


def customers_with_id_number(user, number: str):
    """Customers in the user's scope whose ID number is exactly `number` (keyed hash; no partial match).

    Every search by ID number goes through here: the stored numbers are encrypted.
    """
    return scope(Customer.objects.select_related("project"), user).with_id_number(number)


def get_customer(user, customer_id: int) -> Customer:
    return get_scoped(Customer.objects.select_related("project").prefetch_related("phones"), user, pk=customer_id)


def occupancies_for(user, project_id=None, unit_id=None, customer_id=None, current_only=False):
    qs = scope(Occupancy.objects.select_related("unit__building", "customer"), user)
    if project_id is not None:
        qs = qs.filter(unit__project_id=project_id)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if current_only:
        qs = qs.current()
    return qs.order_by("unit_id", "role", "start_date", "id")


def get_occupancy(user, occupancy_id: int) -> Occupancy:
    return get_scoped(Occupancy.objects.select_related("unit__building", "customer"), user, pk=occupancy_id)


@dataclass
class CustomerCard:
    customer: Customer
    occupancies: list
    household: list
    timeline: list


def customer_card(user, customer_id: int) -> CustomerCard:
    """Everything the desk needs to recognise a caller: homes, roles, household, contacts, history."""
    customer = get_scoped(
        Customer.objects.select_related("project").prefetch_related("phones", "vehicles", "pets"),
        user, pk=customer_id,
    )
    occupancies = list(
        Occupancy.objects.filter(customer=customer).select_related("unit__building").order_by("-start_date")
    )
    unit_ids = [o.unit_id for o in occupancies if o.is_current()]
    household = list(
        Occupancy.objects.current().filter(unit_id__in=unit_ids).exclude(customer=customer)
        .select_related("customer", "unit__building").order_by("unit_id", "role")
    )
    return CustomerCard(customer, occupancies, household, list(timeline.events_for(customer)[:TIMELINE_LENGTH]))


@dataclass
class UnitCard:
    unit: Unit
    occupancies: list
    records: list
    timeline: list


def unit_card(user, unit_id: int) -> UnitCard:
    unit = get_scoped(Unit.objects.select_related("building", "project"), user, pk=unit_id)
    occupancies = list(
        Occupancy.objects.filter(unit=unit).select_related("customer").prefetch_related("customer__phones")
        .order_by("-start_date")
    )
    records = list(UnitRecord.objects.filter(unit=unit))
    return UnitCard(unit, occupancies, records, list(timeline.events_for(unit)[:TIMELINE_LENGTH]))


def _review_cutoff(now=None):
    """Records confirmed before this moment are due for the quarterly review."""
    return (now or timezone.now()) - timedelta(days=settings.ARCHIVE_REVIEW_DAYS)


def customers_due_review(user, project_id: int | None = None, now=None):
    """Customer records not confirmed for more than ARCHIVE_REVIEW_DAYS (the quarterly review)."""
    cutoff = _review_cutoff(now)
    qs = customers_for(user, project_id=project_id).filter(
        Q(last_confirmed_at__isnull=True) | Q(last_confirmed_at__lt=cutoff)
    )
    return qs.prefetch_related(_current_occupancies()).order_by("last_confirmed_at", "id")


def is_due_review(customer: Customer, now=None) -> bool:
    """Whether this record is flagged for the quarterly review (same rule as customers_due_review)."""
    cutoff = _review_cutoff(now)
    return customer.last_confirmed_at is None or customer.last_confirmed_at < cutoff


# -- caller lookup --------------------------------------------------------------------------------

# 3-2-1201, 3-1201, 3栋1201, 3栋2单元1201, 3号楼2单元1201室, A座1201
_UNIT_QUERY = re.compile(
    r"^(?P<building>[0-9A-Za-z]+)\s*(?:栋|幢|号楼|座|#|-)\s*"
    r"(?:(?P<entrance>[0-9A-Za-z]+)\s*(?:单元|-)\s*)?"
    r"(?P<number>[0-9A-Za-z]{2,6})\s*(?:室|号)?$"
)
LOOKUP_LIMIT = 20
# What a whole ID document number can look like once normalised: letters and digits (passport, permit,
# licence), or digits only but longer than any phone number (resident ID: 15 or 18).
_ID_NUMBER_QUERY = re.compile(r"(?=.*\d)(?=.*[A-Z])[0-9A-Z]{6,40}|\d{12,40}")


@dataclass
class LookupResult:
    query: str
    customers: list = field(default_factory=list)
    units: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.customers and not self.units

    @property
    def single(self):
        """The one card to open directly when the query found exactly one thing."""
        if len(self.customers) + len(self.units) == 1:
            return self.customers[0] if self.customers else self.units[0]
        return None


def _current_occupancies():
    return Prefetch(
        "occupancies",
        queryset=Occupancy.objects.current().select_related("unit__building"),
        to_attr="current_occupancies",
    )


def lookup(user, query: str, limit: int = LOOKUP_LIMIT) -> LookupResult:
    """One search box: a full or partial phone number, a name, or a unit address (area 8)."""
    query = (query or "").strip()
    result = LookupResult(query=query)
    if not query:
        return result
    customers = scope(Customer.objects.select_related("project"), user)
    units = scope(Unit.objects.select_related("building", "project"), user)

    by_id_number = []
    if _ID_NUMBER_QUERY.fullmatch(normalise_id_number(query)):
        # A full ID number finds its holder by keyed hash; a part of one finds nothing.
        by_id_number = list(customers_with_id_number(user, query).values_list("pk", flat=True)[:limit])

    match = _UNIT_QUERY.match(query)
    digits = normalize_phone(query)
    if match:
        unit_q = units.filter(building__code__iexact=match["building"], number__iexact=match["number"])
        if match["entrance"]:
            unit_q = unit_q.filter(entrance__iexact=match["entrance"])
        result.units = list(unit_q[:limit])
    elif digits and len(digits) >= 3 and re.fullmatch(r"[\d\s+\-()]+", query):
        # Materialise the matching ids first: one scoped scan of the phone table, whatever the planner
        # thinks of a LIKE '%…%' inside a semi-join.
        ids = list(dict.fromkeys(
            scope(CustomerPhone.objects, user).filter(number__contains=digits)
            .order_by("customer_id").values_list("customer_id", flat=True)[:limit * 3]))[:limit]
        result.customers = list(customers.filter(pk__in=ids))
        if len(digits) <= 5:
            result.units = list(units.filter(number=digits)[:limit])
    else:
        result.customers = list(customers.filter(Q(name__contains=query) | Q(code__iexact=query))[:limit])

    if by_id_number:
        result.customers = [*by_id_number, *(c.pk for c in result.customers if c.pk not in by_id_number)]
    if result.customers:
        ids = [c if isinstance(c, int) else c.pk for c in result.customers][:limit]
        result.customers = list(
            Customer.objects.filter(pk__in=ids).select_related("project")
            .prefetch_related("phones", _current_occupancies()).order_by("name", "id")
        )
    if result.units:
        ids = [u.pk for u in result.units]
        result.units = list(
            Unit.objects.filter(pk__in=ids).select_related("building", "project")
            .prefetch_related(Prefetch("occupancies", queryset=Occupancy.objects.select_related("customer")))
            .order_by("building__code", "entrance", "number")
        )
    return result


# -- console helpers ------------------------------------------------------------------------------

def building_units(user, building_id: int):
    """A building's units with their current occupants, for a paginated list (no N+1)."""
    current = Occupancy.objects.current().select_related("customer").order_by("role", "start_date")
    return (
        scope(Unit.objects.select_related("building", "project"), user)
        .filter(building_id=building_id)
        .prefetch_related(Prefetch("occupancies", queryset=current, to_attr="current_occupancies"))
        .order_by("entrance", "floor", "number", "id")
    )


def can_reveal_id(user) -> bool:
    """Whether the user's role may see full ID numbers (decides if the button is shown)."""
    return access.has_role(user, access.id_revealers())


def can_export_full_ids(user) -> bool:
    """Whether the user may export a project's archive with full ID numbers (administrators only)."""
    return access.has_role(user, access.ADMINS)


def can_edit_archive(user) -> bool:
    """Whether the user's role may edit and confirm archive records."""
    return access.has_role(user, access.ARCHIVE_EDITORS)


def can_transfer_archive(user) -> bool:
    """Whether the user's role may import or export a whole project's archive."""
    return access.has_role(user, access.ARCHIVE_TRANSFER)
