"""Who a notice (or a greeting, an activity) reaches: the households of an audience (issue 15 item 1).

An audience is a project, narrowed to buildings and/or single units (either matching is enough), to the
occupancy roles asked for (owners, tenants, household members) and to the customers of a saved
segmentation filter. A household is a unit with a current occupancy in the audience; it is told through
one person: its owner before its tenant before a household member (the earliest registered first).
Everything is one query over the current occupancies, so 100,000 households cost one round trip.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.archive.models import Customer, Occupancy

from .points.value import BANDS, with_value

ROLE_PREFERENCE = [Occupancy.Role.OWNER, Occupancy.Role.TENANT, Occupancy.Role.MEMBER]
CHOICE_KEYS = {"customer_type": Customer.CustomerType, "income_band": Customer.IncomeBand,
               "gender": Customer.Gender}
AGE_KEYS = ("age_min", "age_max")
VALUE_KEY = "value_bands"


@dataclass(frozen=True)
class Audience:
    project_id: int
    building_ids: tuple[int, ...] = ()
    unit_ids: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()
    criteria: dict = field(default_factory=dict)

    @classmethod
    def of_notice(cls, notice) -> "Audience":
        return cls(project_id=notice.project_id,
                   building_ids=tuple(notice.buildings.values_list("pk", flat=True)),
                   unit_ids=tuple(notice.units.values_list("pk", flat=True)),
                   roles=tuple(notice.roles or ()),
                   criteria=dict(notice.segment.criteria) if notice.segment_id else {})


def clean_criteria(raw: dict) -> dict:
    """A segmentation filter as stored: known keys with a value, choices checked, ages as whole years."""
    out, errors = {}, {}
    for key, choices in CHOICE_KEYS.items():
        values = raw.get(key) or []
        values = [values] if isinstance(values, str) else list(values)
        values = [v for v in values if v != ""]
        if any(v not in choices.values for v in values):
            errors[key] = _("Select a valid choice.")
        elif values:
            out[key] = values
    for key in AGE_KEYS:
        value = raw.get(key)
        if value in (None, ""):
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[key] = _("Enter a whole number.")
            continue
        if not 0 <= value <= 150:
            errors[key] = _("An age is between 0 and 150.")
        out[key] = value
    if "age_min" in out and "age_max" in out and out["age_min"] > out["age_max"]:
        errors["age_max"] = _("The highest age is below the lowest.")
    bands = raw.get(VALUE_KEY) or []
    bands = [bands] if isinstance(bands, str) else [b for b in bands if b]
    if any(b not in BANDS for b in bands):
        errors[VALUE_KEY] = _("Select a valid choice.")
    elif bands:
        out[VALUE_KEY] = sorted(set(bands))
    if errors:
        raise ValidationError(errors)
    return out


def years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def matching_customers(project_id: int, criteria: dict, today: dt.date) -> QuerySet:
    """The customers of a project that a segmentation filter keeps."""
    qs = Customer.objects.filter(project_id=project_id)
    for key in CHOICE_KEYS:
        if criteria.get(key):
            qs = qs.filter(**{f"{key}__in": criteria[key]})
    if criteria.get("age_min") is not None:  # born on or before today minus age_min years
        qs = qs.filter(birth_date__lte=years_ago(today, int(criteria["age_min"])))
    if criteria.get("age_max") is not None:  # not yet age_max + 1
        qs = qs.filter(birth_date__gt=years_ago(today, int(criteria["age_max"]) + 1))
    if criteria.get(VALUE_KEY):  # the customer value band (points, paid services, complaints)
        qs = with_value(qs, today).filter(value_band__in=criteria[VALUE_KEY])
    return qs


def occupancies(audience: Audience, today: dt.date | None = None) -> QuerySet:
    """The current occupancies of the audience."""
    today = today or timezone.localdate()
    qs = Occupancy.objects.filter(unit__project_id=audience.project_id,
                                  role__in=list(audience.roles) or ROLE_PREFERENCE).current(today)
    if audience.building_ids and audience.unit_ids:
        qs = qs.filter(Q(unit__building_id__in=audience.building_ids) | Q(unit_id__in=audience.unit_ids))
    elif audience.building_ids:
        qs = qs.filter(unit__building_id__in=audience.building_ids)
    elif audience.unit_ids:
        qs = qs.filter(unit_id__in=audience.unit_ids)
    if audience.criteria:
        qs = qs.filter(customer_id__in=matching_customers(audience.project_id, audience.criteria, today).values("pk"))
    return qs


def households(audience: Audience, today: dt.date | None = None) -> dict[int, int]:
    """{unit id: customer id} — each household once, told through its owner, else tenant, else a member."""
    rank = {role: i for i, role in enumerate(ROLE_PREFERENCE)}
    chosen: dict[int, tuple] = {}
    rows = occupancies(audience, today).values_list("unit_id", "customer_id", "role", "start_date", "pk")
    for unit_id, customer_id, role, start, pk in rows.iterator(chunk_size=5000):
        key = (rank.get(role, 9), start, pk, customer_id)
        if unit_id not in chosen or key < chosen[unit_id]:
            chosen[unit_id] = key
    return {unit_id: key[3] for unit_id, key in sorted(chosen.items())}
