"""The 12-month trend from a summary table (MonthlyKpi), kept current from the one timeline.

A closed month (one that ended before the current local month) of one project keeps, per KPI, the
numerator and denominator kpis.compute() gives for it. Such a figure changes only when
- one of the project's work orders changes: every change records a TimelineEvent linked to the work
  order (TimelineLink) in the same transaction. The timeline keeps no old dates, and a work order's
  resolution and callback were dated between its reception and now (a reopen clears them), so a
  work order with a new event makes every closed month from its earliest date (received, resolved,
  called back) onwards stale. `SummaryWatermark.last_link_id` is the last link already followed;
- a running limit passes its due time (the work order becomes "decided" with no event):
  `MonthlyKpi.valid_until` is the earliest such due time, and the month is stale after it;
- the households of complaints_per_100_households come from occupancies, not from the timeline: that
  denominator is always counted live (kpis.households_on, one query for every month).

`refresh_summaries()` drops the stale months and computes the missing ones with kpis.compute();
`trend_months()` is kpis.compute_months() read from the summary for closed months and computed live
for the current one. Changes made around the service layer (bulk imports, SQL) leave no timeline
event: run `manage.py rebuild_kpi_summaries` after them.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from propdesk.core.models import TimelineLink
from propdesk.org.models import Project
from propdesk.service.models import SlaTimer, WorkOrder

from . import kpis
from .models import MonthlyKpi, SummaryWatermark
from .periods import Period, month, trailing_months

PER_100 = "complaints_per_100_households"


def current_month(tz_name: str, now: dt.datetime) -> dt.date:
    """The first day of the local month of `now`: months before it are closed."""
    return timezone.localtime(now, ZoneInfo(tz_name)).date().replace(day=1)


def _earliest_change(project_id: int, after_link: int, upto_link: int, tz: ZoneInfo) -> dt.date | None:
    """The first month a work order of the project with a timeline event since `after_link` counts in."""
    changed = TimelineLink.objects.filter(subject_type=ContentType.objects.get_for_model(WorkOrder),
                                          id__gt=after_link, id__lte=upto_link).values("subject_id")
    row = WorkOrder.objects.filter(project_id=project_id, pk__in=changed).aggregate(
        a=Min("received_at"), b=Min("resolved_at"), c=Min("called_back_at"))
    instants = [v for v in row.values() if v is not None]
    return timezone.localtime(min(instants), tz).date().replace(day=1) if instants else None


def _valid_until(project_id: int, start, end, now) -> dt.datetime | None:
    """The earliest due time, not yet passed, of a limit that a figure of the month is waiting on."""
    return SlaTimer.objects.filter(
        Q(kind=SlaTimer.Kind.RESPOND, work_order__priority=WorkOrder.Priority.EMERGENCY)
        | Q(kind=SlaTimer.Kind.RESOLVE, work_order__kind=WorkOrder.Kind.COMPLAINT),
        work_order__in=kpis.received([project_id], start, end).values("pk"),
        stopped_at__isnull=True, paused_at__isnull=True, due_at__gte=now,
    ).aggregate(m=Min("due_at"))["m"]


def _store(project_id: int, tz_name: str, first: dt.date, now: dt.datetime) -> None:
    start, end = month(first.year, first.month).bounds(tz_name)
    values = kpis.compute([project_id], start, end, now=now)
    until = _valid_until(project_id, start, end, now)
    MonthlyKpi.objects.bulk_create(
        [MonthlyKpi(project_id=project_id, month=first, code=code, numerator=v.numerator,
                    denominator=v.denominator, valid_until=until, computed_at=now) for code, v in values.items()],
        update_conflicts=True, unique_fields=["project", "month", "code"],
        update_fields=["numerator", "denominator", "valid_until", "computed_at"])


def refresh_summaries(project_ids, now: dt.datetime | None = None, months: list[dt.date] | None = None) -> int:
    """Bring the projects' summaries up to date with the timeline, and compute the closed `months`
    (first days) that have none yet. Returns how many project-months were computed."""
    now = now or timezone.now()
    computed = 0
    for project_id, tz_name in Project.objects.filter(pk__in=list(project_ids)).values_list("pk", "timezone"):
        tz, closed_before = ZoneInfo(tz_name), current_month(tz_name, now)
        top = TimelineLink.objects.aggregate(m=Max("id"))["m"] or 0  # read before computing anything
        rows = MonthlyKpi.objects.filter(project_id=project_id)
        mark = SummaryWatermark.objects.filter(project_id=project_id).first()
        have = dict(rows.filter(code=PER_100).values_list("month", "valid_until"))  # month -> valid until
        since = None
        if mark is not None and top > mark.last_link_id:
            since = _earliest_change(project_id, mark.last_link_id, top, tz)
        stale = {m for m, until in have.items() if mark is None  # no watermark: nothing stored is trusted
                 or m >= min(since or closed_before, closed_before) or (until is not None and until < now)}
        if stale:
            rows.filter(month__in=stale).delete()
            have = {m: u for m, u in have.items() if m not in stale}
        for first in sorted(set(months or []) - set(have)):
            if first < closed_before:
                with transaction.atomic():
                    _store(project_id, tz_name, first, now)
                computed += 1
        if mark is None or top != mark.last_link_id:
            SummaryWatermark.objects.update_or_create(
                project_id=project_id, defaults={"last_link_id": top, "refreshed_at": now})
    return computed


def rebuild(project_ids, now: dt.datetime | None = None, months: int = 12) -> int:
    """Forget the projects' summaries and compute their last `months` closed months again."""
    now = now or timezone.now()
    project_ids = list(project_ids)
    MonthlyKpi.objects.filter(project_id__in=project_ids).delete()
    SummaryWatermark.objects.filter(project_id__in=project_ids).delete()
    computed = 0
    for project_id, tz_name in Project.objects.filter(pk__in=project_ids).values_list("pk", "timezone"):
        last = current_month(tz_name, now) - dt.timedelta(days=1)
        firsts = [p.first for p in trailing_months(last, months)]
        computed += refresh_summaries([project_id], now, firsts)
    return computed


def _value(code: str, num, den) -> Decimal | None:
    if code == "satisfaction":
        return kpis.ratio(num, den, 1, "0.01")
    if code == "repeat_complaints":
        return Decimal(num)
    if code == PER_100:
        return kpis.ratio(num, den, 100, "0.01")
    return kpis.ratio(num, den)


def trend_months(project_ids, months: list[Period], tz_name: str, *, targets: dict | None = None,
                 now: dt.datetime | None = None) -> list[dict[str, kpis.KpiValue]]:
    """kpis.compute_months(), its closed months read from the summary (refreshed first)."""
    project_ids = list(project_ids)
    now = now or timezone.now()
    zones = set(Project.objects.filter(pk__in=project_ids).values_list("timezone", flat=True))
    if zones != {tz_name}:  # summaries are cut in each project's own time zone
        return kpis.compute_months(project_ids, months, tz_name, targets=targets, now=now)
    closed_before = current_month(tz_name, now)
    closed = [m for m in months if m.first < closed_before]
    live = [m for m in months if m.first >= closed_before]
    refresh_summaries(project_ids, now, [m.first for m in closed])
    sums: dict = defaultdict(lambda: [0, 0])
    for first, code, num, den in MonthlyKpi.objects.filter(
            project_id__in=project_ids, month__in=[m.first for m in closed]).values_list(
            "month", "code", "numerator", "denominator"):
        sums[first, code][0] += num
        sums[first, code][1] += den
    homes = kpis.households_on(project_ids, [m.last for m in closed]) if closed else {}
    targets = {**{c: k.target for c, k in kpis.KPIS.items()}, **(targets or {})}
    result = []
    for m in closed:
        values = {}
        for code, kpi in kpis.KPIS.items():
            num, den = sums[m.first, code]
            if code == PER_100:
                den = homes[m.last]
            value = _value(code, num, den)
            values[code] = kpis.KpiValue(code, value, num, den, targets[code], kpis.met(kpi, value, targets[code]))
        result.append(values)
    if live:
        result += kpis.compute_months(project_ids, live, tz_name, targets=targets, now=now)
    return result
