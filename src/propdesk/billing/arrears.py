"""Arrears (欠费) and their ageing per unit, building and project (issue 14, item 4).

A line is in arrears once its due date has passed and something of it is still open; its age is the
number of days since the due date: 1–30, 31–90, 91–180, more than 180. A project's page is one aggregate
by unit over the open lines only (a partial covering index keeps them apart from the paid history,
however long), summed in whole fen (billing.sums): it costs the same at 2 years or 20 of bills.

There is no way here, or anywhere in propdesk, to cut water, power, heating, gas, lift, gate or parking
access for arrears: Civil Code art. 944 forbids it (docs/architecture.md, "Fees").
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Q

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


def overdue_lines(user, project_id: int, today: dt.date):
    access.require_reader(user)
    return scope(ChargeLine.objects.all(), user).filter(project_id=project_id, outstanding__gt=0, due_date__lt=today)


def _annotations(today: dt.date) -> dict:
    notes = {name: sums.total("outstanding", filter=condition) for name, condition in _filters(today).items()}
    notes["total"] = sums.total("outstanding")
    return notes


AMOUNTS = ("b30", "b90", "b180", "over180", "total")


@dataclass
class Ageing:
    b30: Decimal
    b90: Decimal
    b180: Decimal
    over180: Decimal
    total: Decimal
    units: int


@dataclass
class Overview:
    """A project's arrears: its total (or the chosen building's), each building, and the units most owed
    first (plain rows: unit_id, building_id, the amounts, oldest; `with_units()` adds the units of a page)."""
    total: Ageing
    buildings: list[dict]
    units: list[dict]


def overview(user, project_id: int, today: dt.date, building_id: int | None = None) -> Overview:
    """Everything the arrears page and its export show, from one aggregate of the overdue lines by unit
    (read through the open lines' covering index, in unit order): the buildings' and the project's figures
    are the sums of their units' (a unit is in one building)."""
    rows = list(overdue_lines(user, project_id, today).values("unit_id")
                .annotate(**_annotations(today), oldest=Min("due_date")).order_by())
    building_of = dict(Unit.objects.filter(project_id=project_id).filter(
        pk__in=[r["unit_id"] for r in rows]).values_list("pk", "building_id")) if rows else {}
    names = dict(Building.objects.filter(pk__in=set(building_of.values())).values_list("pk", "name"))
    by_building: dict[int, dict] = {}
    units = []
    for r in rows:
        bid = building_of[r["unit_id"]]
        unit = {"unit_id": r["unit_id"], "building_id": bid, "oldest": r["oldest"],
                **{k: sums.yuan(r[k]) for k in AMOUNTS}}
        units.append(unit)
        b = by_building.setdefault(bid, {"building_id": bid, "name": names[bid], "units": 0,
                                         **{k: sums.ZERO for k in AMOUNTS}})
        b["units"] += 1
        for k in AMOUNTS:
            b[k] += unit[k]
    buildings = sorted(by_building.values(), key=lambda b: (b["name"], b["building_id"]))
    if building_id:
        units = [u for u in units if u["building_id"] == building_id]
    units.sort(key=lambda u: (-u["total"], u["unit_id"]))
    shown = [b for b in buildings if b["building_id"] == building_id] if building_id else buildings
    total = Ageing(**{k: sum((b[k] for b in shown), sums.ZERO) for k in AMOUNTS},
                   units=sum(b["units"] for b in shown))
    return Overview(total=total, buildings=buildings, units=units)


def with_units(rows) -> list[dict]:
    """Rows of `Overview.units` (a page of them) with each unit and its building."""
    rows = list(rows)
    units = Unit.objects.in_bulk([r["unit_id"] for r in rows])
    buildings = Building.objects.in_bulk({u.building_id for u in units.values()})
    out = []
    for r in rows:
        unit = units[r["unit_id"]]
        unit.building = buildings[unit.building_id]
        out.append({**r, "unit": unit})
    return out


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
