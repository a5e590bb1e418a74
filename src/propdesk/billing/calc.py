"""What a bill run charges, computed in memory from facts loaded up front (issue 14, items 1 and 2).

No database access here: runs.py loads a project's units, occupancies, standards and readings in a
handful of queries and hands them to `plan_unit()`, so a run over 100,000 units makes no per-unit query.

The rule (stated in docs/architecture.md, "Fees"):
- A unit is billed from its fee start: the handover day on its fee account, else its first owner's
  occupancy; a project that bills "from the month after handover" moves that to the 1st of the next month.
- Each day of the month is billed to one payer: the tenant where a tenant-pays arrangement covers the
  day (the lease says so), else the owner (the earliest of co-owners). Days with no payer are not billed.
- The month is cut where the payer or the standard changes; each part is one line, charged by the one
  proration rule `money.prorate()` (quantity × price × days / days in the month, rounded half up per line).
- Property fee: quantity = floor area (m²); parking: rented spaces; fixed: 1. A metered item bills the
  month's reading (value − previous) × the price in force on the reading day, unprorated.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from . import money

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Standard:
    id: int
    fee_item_id: int
    unit_type: str
    price: Decimal
    start: dt.date
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Item:
    id: int
    name: str
    kind: str
    late_fee_applies: bool = True


@dataclass(frozen=True)
class Span:
    """Someone's days: an occupancy (owner or tenant who pays), both ends included, end None = open."""

    start: dt.date
    end: dt.date | None
    customer_id: int
    order: int = 0  # among co-owners the earliest occupancy pays

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Reading:
    id: int
    fee_item_id: int
    read_on: dt.date
    usage: Decimal


@dataclass
class UnitFacts:
    unit_id: int
    label: str
    area: Decimal
    unit_type: str
    fee_start: dt.date | None
    parking_spaces: int = 0
    owners: list[Span] = field(default_factory=list)
    tenants: list[Span] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    building_id: int = 0


@dataclass(frozen=True)
class Line:
    unit_id: int
    payer_id: int
    fee_item_id: int
    standard_id: int | None
    start: dt.date
    end: dt.date
    quantity: Decimal
    unit_price: Decimal
    days: int | None
    days_in_period: int | None
    amount: Decimal
    periodic: bool = True
    reading_id: int | None = None
    late_fee_of: int | None = None

    def key(self) -> str:
        return "|".join(map(str, (self.unit_id, self.payer_id, self.fee_item_id, self.standard_id, self.start,
                                  self.end, self.quantity, self.unit_price, self.amount, self.reading_id,
                                  self.late_fee_of)))


# Why a unit gets no bill: a code (stored) and the reason shown to the clerk (translated by the page).
SKIP_NO_PAYER = "no_payer"
SKIP_NOT_STARTED = "not_started"
SKIP_NO_STANDARD = "no_standard"
SKIP_NO_AREA = "no_area"
SKIP_NOTHING = "nothing"


@dataclass
class UnitPlan:
    unit_id: int
    lines: list[Line] = field(default_factory=list)
    skipped: str = ""
    # Days of the month billed to nobody (no payer on record), for the preview's notes.
    unbilled_days: int = 0


class Project:
    """A project's standards and rules for one month, indexed once for every unit."""

    def __init__(self, *, period: dt.date, items: list[Item], standards: list[Standard], next_month_start: bool):
        self.period = money.month_start(period)
        self.period_end = money.month_end(period)
        self.days = money.days_in_month(period)
        self.items = [i for i in items if i.kind in ("property", "parking", "fixed", "metered")]
        self.next_month_start = next_month_start
        self.standards: dict[tuple[int, str], list[Standard]] = {}
        for s in sorted(standards, key=lambda s: s.start):
            self.standards.setdefault((s.fee_item_id, s.unit_type), []).append(s)
        self._in_month: dict[tuple[int, str], tuple[list[Standard], list[dt.date]]] = {}

    def standards_in_month(self, item_id: int, unit_type: str) -> tuple[list[Standard], list[dt.date]]:
        """`standards_for()` and the days after the 1st of the month on which one of them starts or ends
        (the day after its last): the same for every unit of the type, so worked out once per run."""
        key = (item_id, unit_type)
        found = self._in_month.get(key)
        if found is None:
            standards = self.standards_for(item_id, unit_type)
            cuts = {day for s in standards for day in (s.start, s.end + ONE_DAY if s.end else None)
                    if day and self.period < day <= self.period_end}
            found = self._in_month[key] = (standards, sorted(cuts))
        return found

    def standards_for(self, item_id: int, unit_type: str) -> list[Standard]:
        """The unit type's own standards; a standard for every type ("") fills the days it has none."""
        own = self.standards.get((item_id, unit_type), []) if unit_type else []
        shared = self.standards.get((item_id, ""), [])
        if not own:
            return shared
        if not shared:
            return own
        return own + [s for s in shared if not any(_overlap(s, o) for o in own)]

    def standard_on(self, item_id: int, unit_type: str, day: dt.date) -> Standard | None:
        for s in self.standards_for(item_id, unit_type):
            if s.covers(day):
                return s
        return None


def _overlap(a: Standard, b: Standard) -> bool:
    a_end = a.end or dt.date.max
    b_end = b.end or dt.date.max
    return a.start <= b_end and b.start <= a_end


def fee_start(facts: UnitFacts, next_month_start: bool) -> dt.date | None:
    """The first day the unit is billed (see the module docstring)."""
    start = facts.fee_start or min((o.start for o in facts.owners), default=None)
    if start is not None and next_month_start:
        start = money.next_month(start)
    return start


def payer_on(facts: UnitFacts, day: dt.date) -> int | None:
    for tenant in facts.tenants:
        if tenant.covers(day):
            return tenant.customer_id
    payer = None  # among the owners on that day, the earliest occupancy (then the co-owners' order)
    for owner in facts.owners:
        if owner.covers(day) and (payer is None or (owner.start, owner.order) < (payer.start, payer.order)):
            payer = owner
    return payer.customer_id if payer is not None else None


ONE = Decimal(1)


def _quantity(item: Item, facts: UnitFacts) -> Decimal:
    if item.kind == "property":
        return facts.area if isinstance(facts.area, Decimal) else Decimal(facts.area or 0)
    if item.kind == "parking":
        return Decimal(facts.parking_spaces)
    return ONE


def plan_unit(project: Project, facts: UnitFacts) -> UnitPlan:
    """The lines of one unit for the project's month, or why it gets none."""
    plan = UnitPlan(facts.unit_id)
    start = fee_start(facts, project.next_month_start)
    if start is None:
        plan.skipped = SKIP_NO_PAYER
        return plan
    first = max(project.period, start)
    if first > project.period_end:
        plan.skipped = SKIP_NOT_STARTED
        return plan
    boundaries = {first, project.period_end + ONE_DAY}
    for span in facts.owners + facts.tenants:
        for day in (span.start, span.end + ONE_DAY if span.end else None):
            if day and first < day <= project.period_end:
                boundaries.add(day)
    payer_edges = sorted(boundaries)  # where the payer changes; each item adds where its standard does
    any_payer = False
    missing_standard = False
    for item in project.items:
        if item.kind == "metered":
            continue
        quantity = _quantity(item, facts)
        if quantity <= 0:
            if item.kind == "property":
                plan.skipped = plan.skipped or SKIP_NO_AREA
            continue
        standards, standard_cuts = project.standards_in_month(item.id, facts.unit_type)
        edges = sorted(boundaries.union(day for day in standard_cuts if day > first)) if standard_cuts \
            else payer_edges
        runs: list[list] = []  # [start, end, payer, standard]
        for begin, after in zip(edges, edges[1:], strict=False):
            payer = payer_on(facts, begin)
            standard = None
            for s in standards:
                if s.covers(begin):
                    standard = s
                    break
            if payer is not None:
                any_payer = True
            if payer is None or standard is None:
                if payer is not None and standard is None:
                    missing_standard = True
                continue
            if runs and runs[-1][2] == payer and runs[-1][3] == standard and runs[-1][1] + ONE_DAY == begin:
                runs[-1][1] = after - ONE_DAY
            else:
                runs.append([begin, after - ONE_DAY, payer, standard])
        for begin, end, payer, standard in runs:
            days = (end - begin).days + 1
            amount = money.prorate(quantity, standard.price, days, project.days)
            if amount > 0:
                plan.lines.append(Line(facts.unit_id, payer, item.id, standard.id, begin, end, quantity,
                                       standard.price, days, project.days, amount))
    for reading in facts.readings:
        if reading.usage <= 0:
            continue
        standard = project.standard_on(reading.fee_item_id, facts.unit_type, reading.read_on)
        payer = payer_on(facts, min(max(reading.read_on, first), project.period_end)) or payer_on(
            facts, project.period_end)
        if standard is None:
            missing_standard = True
            continue
        if payer is None:
            continue
        amount = money.money(reading.usage * standard.price)
        if amount > 0:
            plan.lines.append(Line(facts.unit_id, payer, reading.fee_item_id, standard.id, project.period,
                                   project.period_end, reading.usage, standard.price, None, None, amount,
                                   reading_id=reading.id))
    if plan.lines:
        plan.skipped = ""
        plan.unbilled_days = sum((after - begin).days for begin, after in zip(payer_edges, payer_edges[1:], strict=False)
                                 if payer_on(facts, begin) is None)
    elif not plan.skipped:
        plan.skipped = SKIP_NO_STANDARD if missing_standard else (SKIP_NOTHING if any_payer else SKIP_NO_PAYER)
    return plan


@dataclass(frozen=True)
class OpenLine:
    """An overdue line a late fee may be charged on."""

    id: int
    unit_id: int
    payer_id: int
    fee_item_id: int
    amount: Decimal
    outstanding: Decimal
    due_date: dt.date
    late_fees_so_far: Decimal


def late_fee(line: OpenLine, *, rate: Decimal, month: dt.date, late_fee_item_id: int) -> Line | None:
    """The late fee (滞纳金) of one overdue line for the days of `month` after its due date.

    amount = round_half_up(outstanding × daily rate × overdue days of the month), a separate line, never
    charged on a late fee (not compounded), and never taking the line's late fees above its principal.
    """
    start = max(money.month_start(month), line.due_date + ONE_DAY)
    end = money.month_end(month)
    if rate <= 0 or start > end or line.outstanding <= 0:
        return None
    days = (end - start).days + 1
    room = line.amount - line.late_fees_so_far
    amount = min(money.money(line.outstanding * rate * days), room)
    if amount <= 0:
        return None
    return Line(line.unit_id, line.payer_id, late_fee_item_id, None, start, end, line.outstanding, rate, days,
                None, amount, periodic=False, late_fee_of=line.id)


def digest(lines) -> str:
    """A fingerprint of what a run would post: posting refuses when it differs from the preview's."""
    keys = sorted(line.key() for line in lines)
    return hashlib.sha256(("\n".join(keys) + "\n" if keys else "").encode()).hexdigest()
