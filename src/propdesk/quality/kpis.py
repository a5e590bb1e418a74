"""The KPIs of PRODUCT.md area 7 (质量与考核): every figure's formula lives here and nowhere else.

Each KPI is a named formula: a *population* of work orders (the denominator, or the count itself)
and a condition on it (the numerator), both evaluated by the database with one aggregate query each
(`Count(..., filter=Q(...))` over `Exists(...)` annotations) — no Python loop over work orders.

Rules shared by every KPI ("counted" work orders):
- cancelled work orders are excluded;
- merged duplicates are counted once: the duplicate (state merged, `parent` set) is excluded and the
  work order it was merged into counts;
- paused time is excluded: a limit's `due_at` moves later by the time on hold (service.sla.resume),
  so "stopped_at <= due_at" already judges on working time;
- a reopened work order is judged on its final resolution: reopening clears the resolve timer's
  `stopped_at` and the work order's `resolved_at`, so only the last resolution counts;
- a transferred work order is judged on the whole clock: its respond and resolve limits keep running
  while another department holds it (the transfer's own limit is not a KPI);
- periods are half-open [start, end) cut at local midnight in the project's time zone (periods.py).

`compute(project_ids, start, end)` returns every KPI's value, numerator, denominator, target and
whether the target is met; `work_orders_behind(code, ...)` returns exactly the work orders behind a
figure (the drill-down).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Occupancy
from propdesk.service.models import Callback, SlaTimer, WorkOrder

NOT_COUNTED = (WorkOrder.State.CANCELLED, WorkOrder.State.MERGED)
PERCENT, RATING, COUNT, PER_100 = "%", "/5", "count", "per100"
DENOMINATOR, NUMERATOR = "denominator", "numerator"
REPEAT_WINDOW = dt.timedelta(days=30)


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    description: str
    unit: str
    target: Decimal | None  # the default target; a project may set its own (models.KpiTarget)
    higher_is_better: bool = True
    drill: str = DENOMINATOR  # which set of work orders the drill-down lists


@dataclass(frozen=True)
class KpiValue:
    code: str
    value: Decimal | None
    numerator: Decimal | int
    denominator: int
    target: Decimal | None
    met: bool | None

    @property
    def drill_count(self) -> int:
        return self.denominator if KPIS[self.code].drill == DENOMINATOR else int(self.numerator)


KPIS: dict[str, Kpi] = {k.code: k for k in [
    Kpi("emergency_response_30", _("Emergencies responded to in time (30 min)"), _(
        "Numerator: emergencies whose response limit was met (responded at or before the limit, time on "
        "hold not counted). Denominator: emergencies received in the period, not cancelled and not merged "
        "duplicates, whose response is decided — responded, or still unanswered past the limit."),
        PERCENT, Decimal("90")),
    Kpi("complaints_on_time", _("Complaints resolved within their limit"), _(
        "Numerator: complaints whose final resolution came at or before the resolution limit (24 h general, "
        "72 h complex by default; time on hold not counted, time with another department counted; a reopened "
        "complaint is judged on its last resolution). Denominator: complaints received in the period, not "
        "cancelled and not merged duplicates, that are resolved or whose limit has passed."),
        PERCENT, Decimal("80")),
    Kpi("satisfaction", _("Average satisfaction"), _(
        "The average rating (1–5) of the owner's last reached callback, over the work orders called back in "
        "the period (not cancelled, not merged duplicates). Numerator: the sum of those ratings; denominator: "
        "those work orders."), RATING, Decimal("4.5")),
    Kpi("callback_coverage", _("Callback coverage"), _(
        "Numerator: work orders with at least one reached callback. Denominator: work orders finally resolved "
        "in the period, not cancelled and not merged duplicates. Every resolved request gets a callback."),
        PERCENT, Decimal("100")),
    Kpi("repeat_complaints", _("Repeat complaints"), _(
        "Complaints received in the period whose requester, or whose unit, had another complaint received in "
        "the 30 days before (cancelled complaints and merged duplicates not counted). The figure is the count; "
        "the denominator shown is all complaints of the period."), COUNT, None, higher_is_better=False,
        drill=NUMERATOR),
    Kpi("complaints_per_100_households", _("Complaints per 100 households"), _(
        "Complaints received in the period (not cancelled, not merged duplicates) × 100 / households: the "
        "distinct units with a current occupancy on the last day of the period."), PER_100, None,
        higher_is_better=False, drill=NUMERATOR),
]}


# -- the populations ------------------------------------------------------------------------------


def counted(project_ids):
    """Work orders that count at all: not cancelled, not a merged duplicate."""
    return WorkOrder.objects.filter(project_id__in=list(project_ids), parent__isnull=True).exclude(
        state__in=NOT_COUNTED)


def _timer(kind):
    return SlaTimer.objects.filter(work_order=OuterRef("pk"), kind=kind)


def _limit_annotations(kind: str, now: dt.datetime, prefix: str = "kpi") -> dict:
    """met: stopped at or before its due time. decided: stopped, or past due while running (a paused
    timer is past due only if it already was when it was paused)."""
    clock = Coalesce(F("paused_at"), Value(now, output_field=DateTimeField()))
    return {
        f"{prefix}_met": Exists(_timer(kind).filter(stopped_at__isnull=False, stopped_at__lte=F("due_at"))),
        f"{prefix}_decided": Exists(_timer(kind).filter(Q(stopped_at__isnull=False) | Q(due_at__lt=clock))),
    }


def _received(project_ids, start, end):
    return counted(project_ids).filter(received_at__gte=start, received_at__lt=end)


def _earlier_complaint():
    """Another counted complaint of the same requester, or about the same unit, in the 30 days before.

    Two EXISTS (not one with OR), so each uses its index: (requester, received_at) and (unit, received_at).
    """
    since = ExpressionWrapper(OuterRef("received_at") - Value(REPEAT_WINDOW), output_field=DateTimeField())

    def earlier(field):
        return Exists(counted_any().filter(
            **{field: OuterRef(field)}, received_at__lt=OuterRef("received_at"), received_at__gte=since,
            kind=WorkOrder.Kind.COMPLAINT, project_id=OuterRef("project_id")))

    return earlier("requester_id") | earlier("unit_id")


def counted_any():
    return WorkOrder.objects.filter(parent__isnull=True).exclude(state__in=NOT_COUNTED)


def population(code: str, project_ids, start, end, now=None):
    """(queryset of the KPI's population, the numerator's condition on it)."""
    now = now or timezone.now()
    if code == "emergency_response_30":
        qs = _received(project_ids, start, end).filter(priority=WorkOrder.Priority.EMERGENCY).annotate(
            **_limit_annotations(SlaTimer.Kind.RESPOND, now)).filter(kpi_decided=True)
        return qs, Q(kpi_met=True)
    if code == "complaints_on_time":
        qs = _received(project_ids, start, end).filter(kind=WorkOrder.Kind.COMPLAINT).annotate(
            **_limit_annotations(SlaTimer.Kind.RESOLVE, now)).filter(kpi_decided=True)
        return qs, Q(kpi_met=True)
    if code == "satisfaction":
        last = Callback.objects.filter(work_order=OuterRef("pk"), reached=True, rating__isnull=False).order_by(
            "-at", "-id").values("rating")[:1]
        qs = counted(project_ids).filter(called_back_at__gte=start, called_back_at__lt=end).annotate(
            kpi_rating=Subquery(last)).filter(kpi_rating__isnull=False)
        return qs, None
    if code == "callback_coverage":
        qs = counted(project_ids).filter(resolved_at__gte=start, resolved_at__lt=end).annotate(
            kpi_met=Exists(Callback.objects.filter(work_order=OuterRef("pk"), reached=True)))
        return qs, Q(kpi_met=True)
    if code == "repeat_complaints":
        qs = _received(project_ids, start, end).filter(kind=WorkOrder.Kind.COMPLAINT).annotate(
            kpi_met=_earlier_complaint())
        return qs, Q(kpi_met=True)
    if code == "complaints_per_100_households":
        return _received(project_ids, start, end).filter(kind=WorkOrder.Kind.COMPLAINT), None
    raise KeyError(code)


def work_orders_behind(code: str, project_ids, start, end, now=None):
    """Exactly the work orders behind a figure: the population, or for a count the counted ones."""
    qs, numerator = population(code, project_ids, start, end, now)
    if KPIS[code].drill == NUMERATOR and numerator is not None:
        qs = qs.filter(numerator)
    return qs


def households(project_ids, on: dt.date) -> int:
    """Distinct units of the projects with an occupancy current on `on`."""
    return households_on(project_ids, [on])[on]


def households_on(project_ids, days: list[dt.date]) -> dict[dt.date, int]:
    """households() for several days in one pass over the occupancies (the 12-month trend)."""
    current = {f"d{i}": Count("unit_id", distinct=True, filter=Q(start_date__lte=day) & (
        Q(end_date__isnull=True) | Q(end_date__gte=day))) for i, day in enumerate(days)}
    counts = Occupancy.objects.filter(unit__project_id__in=list(project_ids)).aggregate(**current)
    return {day: counts[f"d{i}"] for i, day in enumerate(days)}


# -- the figures ----------------------------------------------------------------------------------


def _ratio(numerator, denominator, scale=100, places="0.1") -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(Decimal(places), ROUND_HALF_UP)


def _met(kpi: Kpi, value, target) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target if kpi.higher_is_better else value <= target


def compute(project_ids, start: dt.datetime, end: dt.datetime, *, targets: dict | None = None,
            now: dt.datetime | None = None) -> dict[str, KpiValue]:
    """Every KPI over the work orders of `project_ids` for [start, end).

    `targets` overrides the default targets (code → target or None); `now` is the clock that decides
    whether a running limit has passed (default: now).
    """
    project_ids = list(project_ids)
    now = now or timezone.now()
    targets = {**{c: k.target for c, k in KPIS.items()}, **(targets or {})}
    raw: dict[str, tuple] = {}
    for code in ("emergency_response_30", "complaints_on_time", "callback_coverage"):
        qs, numerator = population(code, project_ids, start, end, now)
        row = qs.aggregate(num=Count("pk", filter=numerator), den=Count("pk"))
        raw[code] = (row["num"], row["den"], _ratio(row["num"], row["den"]))
    qs, _none = population("satisfaction", project_ids, start, end, now)
    row = qs.aggregate(num=Sum("kpi_rating"), den=Count("pk"))
    raw["satisfaction"] = (row["num"] or 0, row["den"], _ratio(row["num"] or 0, row["den"], 1, "0.01"))
    qs, numerator = population("repeat_complaints", project_ids, start, end, now)
    row = qs.aggregate(num=Count("pk", filter=numerator), den=Count("pk"))
    raw["repeat_complaints"] = (row["num"], row["den"], Decimal(row["num"]))
    last_day = (end - dt.timedelta(microseconds=1)).date()
    homes = households(project_ids, last_day)
    raw["complaints_per_100_households"] = (row["den"], homes, _ratio(row["den"], homes, 100, "0.01"))
    return {
        code: KpiValue(code, value, num, den, targets[code], _met(KPIS[code], value, targets[code]))
        for code, (num, den, value) in raw.items()
    }


# The instant each KPI's population is dated by (the month a work order belongs to in a trend).
DATED_BY = {"emergency_response_30": "received_at", "complaints_on_time": "received_at",
            "satisfaction": "called_back_at", "callback_coverage": "resolved_at",
            "repeat_complaints": "received_at", "complaints_per_100_households": "received_at"}


def compute_months(project_ids, months: list, tz_name: str, *, targets: dict | None = None,
                   now: dt.datetime | None = None) -> list[dict[str, KpiValue]]:
    """compute() for consecutive calendar months (periods.Period), in one grouped query per KPI
    (GROUP BY the local month of the KPI's date) instead of one compute per month: the 12-month trend.
    Same populations and conditions as compute(); tests check both agree month by month."""
    project_ids = list(project_ids)
    now = now or timezone.now()
    targets = {**{c: k.target for c, k in KPIS.items()}, **(targets or {})}
    tz = ZoneInfo(tz_name)
    first_start, last_end = months[0].bounds(tz_name)[0], months[-1].bounds(tz_name)[1]
    rows: dict[str, dict] = defaultdict(dict)  # code -> {month's first day: (num, den)}
    for code in ("emergency_response_30", "complaints_on_time", "callback_coverage", "repeat_complaints",
                 "satisfaction"):
        qs, numerator = population(code, project_ids, first_start, last_end, now)
        num = Sum("kpi_rating") if code == "satisfaction" else Count("pk", filter=numerator)
        grouped = qs.annotate(kpi_month=TruncMonth(DATED_BY[code], tzinfo=tz)).order_by().values(
            "kpi_month").annotate(num=num, den=Count("pk"))
        for row in grouped:
            rows[code][timezone.localtime(row["kpi_month"], tz).date()] = (row["num"] or 0, row["den"])
    homes_on = households_on(project_ids, [month.last for month in months])
    result = []
    for month in months:
        raw = {}
        for code in ("emergency_response_30", "complaints_on_time", "callback_coverage"):
            num, den = rows[code].get(month.first, (0, 0))
            raw[code] = (num, den, _ratio(num, den))
        num, den = rows["satisfaction"].get(month.first, (0, 0))
        raw["satisfaction"] = (num, den, _ratio(num, den, 1, "0.01"))
        num, den = rows["repeat_complaints"].get(month.first, (0, 0))
        raw["repeat_complaints"] = (num, den, Decimal(num))
        homes = homes_on[month.last]
        raw["complaints_per_100_households"] = (den, homes, _ratio(den, homes, 100, "0.01"))
        result.append({code: KpiValue(code, value, n, d, targets[code], _met(KPIS[code], value, targets[code]))
                       for code, (n, d, value) in raw.items()})
    return result


# The formulas other modules of the app reuse (the quarterly staff evaluation, quality.evaluation).
limit_annotations, received, ratio, met = _limit_annotations, _received, _ratio, _met
