"""Arrears (欠费) and their ageing per unit, building and project (issue 14, item 4).

A bill is in arrears once its due date has passed and something of it is still open (its lines share its
due date); its age is the number of days since the due date: 1–30, 31–90, 91–180, more than 180. A
project's page is one aggregate by unit over the unpaid bills only (a partial covering index keeps them
apart from the paid history, however long), summing their open amounts kept in whole fen (Bill.open_fen):
it costs the same at 2 years or 20 of bills.

There is no way here, or anywhere in propdesk, to cut water, power, heating, gas, lift, gate or parking
access for arrears: Civil Code art. 944 forbids it (docs/architecture.md, "Fees").
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.db import connections
from django.db.models import Min, Q

from propdesk.archive.models import Occupancy
from propdesk.org.access import scope
from propdesk.org.models import Building, Unit

from . import access, sums
from .models import OPEN, UNPAID, Bill, ChargeLine

BUCKETS = (("b30", 1, 30), ("b90", 31, 90), ("b180", 91, 180), ("over180", 181, None))


def overdue_bills(project_id: int, today: dt.date):
    """The project's bills with something past due (read from the unpaid bills' index)."""
    return Bill.objects.filter(UNPAID, project_id=project_id, due_date__lt=today)


def _since(today: dt.date) -> dict[str, Q]:
    """The lower bound of each bucket but the last, as a condition: due at most 30 (90, 180) days ago."""
    return {name: Q(due_date__gte=today - dt.timedelta(days=last)) for name, _first, last in BUCKETS if last}


def ageing_rows(bills, today: dt.date):
    """(building, unit, fen overdue, fen due at most 30, 90 and 180 days ago) of the overdue `bills`, by
    building and unit, in the order of the unpaid bills' index (no sort). Nested sums with one bound each
    cost SQLite half of four bounded ones (and the oldest due date is read for a shown page only)."""
    return (bills.values("building_id", "unit_id")
            .annotate(overdue=sums.fen_total("open_fen"),
                      **{f"in_{k}": sums.fen_total("open_fen", filter=q) for k, q in _since(today).items()})
            .order_by("building_id", "unit_id")
            .values_list("building_id", "unit_id", "overdue", *(f"in_{k}" for k in _since(today))))


def _raw(qs) -> list[tuple]:
    """A values_list query's rows as the database returns them, without Django's converter per value (40 % of
    the page's Python time over 8,000 units; the sums are integers already)."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


BUCKETS_ORDER = tuple(name for name, _first, _last in BUCKETS)
AMOUNTS = (*BUCKETS_ORDER, "total")


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
    first (plain rows: unit id, building id, the amounts in fen in the order of AMOUNTS; `with_units()` makes
    a page of them into rows to show)."""
    total: Ageing
    buildings: list[dict]
    units: list[tuple]


def overview(user, project_id: int, today: dt.date, building_id: int | None = None) -> Overview:
    """Everything the arrears page and its export show, from one aggregate of the overdue bills by building
    and unit (read from the unpaid bills' covering index in that order, without a sort): the buildings' and
    the project's figures are the sums of their units' in whole fen, added in Python a building at a time."""
    access.require_reader(user)
    rows = _raw(ageing_rows(scope(overdue_bills(project_id, today), user), today))
    by_building: dict[int, list[int]] = {}
    units = []
    for bid, group in groupby(rows, key=itemgetter(0)):
        group = [(unit_id, bid, [in_30, in_90 - in_30, in_180 - in_90, overdue - in_180, overdue])
                 for _b, unit_id, overdue, in_30, in_90, in_180 in group]
        figures = by_building[bid] = [sum(column) for column in zip(*(u[2] for u in group), strict=True)]
        figures.append(len(group))
        units.extend(group)
    names = dict(Building.objects.filter(pk__in=list(by_building)).values_list("pk", "name"))
    buildings = sorted(({"building_id": bid, "name": names[bid], "units": figures[-1],
                         **{k: sums.yuan(v) for k, v in zip(AMOUNTS, figures, strict=False)}}
                        for bid, figures in by_building.items()), key=lambda b: (b["name"], b["building_id"]))
    if building_id:
        units = [u for u in units if u[1] == building_id]
    units.sort(key=itemgetter(0))  # then most owed first, the unit's id breaking ties (a stable sort on ints:
    units.sort(key=lambda u: u[2][-1], reverse=True)  # a third of the time of one sort on tuples)
    shown = [b for b in buildings if b["building_id"] == building_id] if building_id else buildings
    total = Ageing(**{k: sum((b[k] for b in shown), sums.ZERO) for k in AMOUNTS},
                   units=sum(b["units"] for b in shown))
    return Overview(total=total, buildings=buildings, units=units)


def with_units(rows, today: dt.date) -> list[dict]:
    """Rows of `Overview.units` (a page of them) with each unit, its building, the oldest overdue due date
    and the amounts in yuan."""
    rows = list(rows)
    units = Unit.objects.in_bulk([r[0] for r in rows])
    buildings = Building.objects.in_bulk({u.building_id for u in units.values()})
    ids, oldest = list(units), {}
    for start in range(0, len(ids), 10_000):  # an export's units, in chunks of query parameters
        oldest.update(Bill.objects.filter(UNPAID, unit_id__in=ids[start:start + 10_000], due_date__lt=today)
                      .values("unit_id").annotate(oldest=Min("due_date")).order_by().values_list("unit_id", "oldest"))
    out = []
    for unit_id, _building_id, amounts in rows:
        unit = units[unit_id]
        unit.building = buildings[unit.building_id]
        out.append({"unit": unit, "oldest": oldest.get(unit_id),
                    **{k: sums.yuan(v) for k, v in zip(AMOUNTS, amounts, strict=True)}})
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
    open_lines = ChargeLine.objects.filter(OPEN, unit_id__in=unit_ids)
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
