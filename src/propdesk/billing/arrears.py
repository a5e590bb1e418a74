"""Arrears (欠费) and their ageing per unit, building and project (issue 14, item 4).

A line is in arrears once its due date has passed and something of it is still open; its age is the
number of days since the due date: 1–30, 31–90, 91–180, more than 180. Every figure is one aggregate
over the open lines only (a partial index keeps them apart from the paid history, however long), summed
in whole fen (billing.sums), so the pages cost the same at 2 years or 20 of bills.

There is no way here, or anywhere in propdesk, to cut water, power, heating, gas, lift, gate or parking
access for arrears: Civil Code art. 944 forbids it (docs/architecture.md, "Fees").
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q

from propdesk.archive.models import Occupancy
from propdesk.org.access import scope
from propdesk.org.models import Building, Unit

from . import access, sums
from .models import ChargeLine

BUCKETS = (("b30", 1, 30), ("b90", 31, 90), ("b180", 91, 180), ("over180", 181, None))


def _filters(today: dt.date) -> dict[str, Q]:
    """Each bucket as a condition on the due date (due 1–30 days before today, …)."""
    out = {}
    for name, first, last in BUCKETS:
        condition = Q(due_date__lte=today - dt.timedelta(days=first))
        if last is not None:
            condition &= Q(due_date__gte=today - dt.timedelta(days=last))
        out[name] = condition
    return out


def overdue_lines(user, project_id: int, today: dt.date, building_id: int | None = None):
    access.require_reader(user)
    qs = scope(ChargeLine.objects.all(), user).filter(project_id=project_id, outstanding__gt=0, due_date__lt=today)
    return qs.filter(unit__building_id=building_id) if building_id else qs


def _annotations(today: dt.date) -> dict:
    notes = {name: sums.total("outstanding", filter=condition) for name, condition in _filters(today).items()}
    notes["total"] = sums.total("outstanding")
    return notes


@dataclass
class Ageing:
    b30: Decimal
    b90: Decimal
    b180: Decimal
    over180: Decimal
    total: Decimal
    units: int


def project_ageing(user, project_id: int, today: dt.date, building_id: int | None = None) -> Ageing:
    row = overdue_lines(user, project_id, today, building_id).aggregate(
        **_annotations(today), units=Count("unit_id", distinct=True))
    return Ageing(**{k: sums.yuan(row[k]) for k in ("b30", "b90", "b180", "over180", "total")}, units=row["units"])


def totals_of(buildings: list[dict]) -> Ageing:
    """The project's ageing as the sum of its buildings' (a unit is in one building): one query fewer."""
    keys = ("b30", "b90", "b180", "over180", "total")
    return Ageing(**{k: sum((b[k] for b in buildings), sums.ZERO) for k in keys},
                  units=sum(b["units"] for b in buildings))


def ageing_by_unit(user, project_id: int, today: dt.date, building_id: int | None = None):
    """Units in arrears, most owed first: a values() queryset to paginate; see with_units()."""
    return (overdue_lines(user, project_id, today, building_id).values("unit_id")
            .annotate(**_annotations(today), oldest=Min("due_date")).order_by("-total", "unit_id"))


def with_units(rows) -> list[dict]:
    """A page of ageing_by_unit() with each unit (its building) and the amounts as yuan."""
    rows = list(rows)
    units = Unit.objects.in_bulk([r["unit_id"] for r in rows])
    buildings = Building.objects.in_bulk({u.building_id for u in units.values()})
    out = []
    for r in rows:
        unit = units[r["unit_id"]]
        unit.building = buildings[unit.building_id]
        out.append({"unit": unit, "oldest": r["oldest"],
                    **{k: sums.yuan(r[k]) for k in ("b30", "b90", "b180", "over180", "total")}})
    return out


def ageing_by_building(user, project_id: int, today: dt.date) -> list[dict]:
    rows = (overdue_lines(user, project_id, today).values("unit__building_id", "unit__building__name")
            .annotate(**_annotations(today), units=Count("unit_id", distinct=True))
            .order_by("unit__building__name"))
    return [{"building_id": r["unit__building_id"], "name": r["unit__building__name"], "units": r["units"],
             **{k: sums.yuan(r[k]) for k in ("b30", "b90", "b180", "over180", "total")}} for r in rows]


def card_summary(*, unit=None, customer=None, today: dt.date) -> list[dict]:
    """What the unit card (or a customer's card, for their homes) shows the desk: owed, overdue, since when.

    The card itself is already scoped to the user; its homes are the customer's current ones."""
    if unit is not None:
        unit_ids = [unit.pk]
    else:
        unit_ids = list(Occupancy.objects.current(today).filter(customer=customer).values_list("unit_id", flat=True))
    if not unit_ids:
        return []
    open_lines = ChargeLine.objects.filter(unit_id__in=unit_ids, outstanding__gt=0)
    rows = {r["unit_id"]: r for r in open_lines.values("unit_id").annotate(
        owed=sums.total("outstanding"), overdue=sums.total("outstanding", filter=Q(due_date__lt=today)),
        oldest=Min("due_date", filter=Q(due_date__lt=today)))}
    units = Unit.objects.filter(pk__in=unit_ids).select_related("building").order_by("building__code", "number")
    out = []
    for u in units:
        r = rows.get(u.pk, {})
        oldest = r.get("oldest")
        out.append({"unit": u, "owed": sums.yuan(r.get("owed")), "overdue": sums.yuan(r.get("overdue")),
                    "oldest": oldest, "days": (today - oldest).days if oldest else 0})
    return out
