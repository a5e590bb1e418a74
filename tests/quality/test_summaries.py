"""The summary-backed 12-month trend (quality.summaries) equals a full recomputation, month by month,
after past work orders change; a second view with nothing changed computes nothing."""

import datetime as dt

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from propdesk.quality import kpis, periods, summaries
from propdesk.quality.models import MonthlyKpi, SummaryWatermark
from propdesk.service import services
from propdesk.service.transitions import transition
from tests.quality.conftest import NOW, SH, at

TZ = "Asia/Shanghai"
MONTHS = periods.trailing_months(dt.date(2026, 12, 1), 6)  # July to December 2026


def full(ids, now):
    grouped = kpis.compute_months(ids, MONTHS, TZ, now=now)
    for month, values in zip(MONTHS, grouped, strict=True):  # and compute() agrees with it
        start, end = month.bounds(TZ)
        assert values == kpis.compute(ids, start, end, now=now), month.label
    return grouped


def assert_same(ids, now):
    got = summaries.trend_months(ids, MONTHS, TZ, now=now)
    for month, mine, theirs in zip(MONTHS, got, full(ids, now), strict=True):
        assert mine == theirs, month.label


def test_the_summary_follows_changes_to_past_work_orders(kpi_world):
    w = kpi_world
    ids = [w.project.pk]
    unit, owner = w.c1.unit, w.c1.requester
    complaint = {"kind": "complaint", "complexity": "general", "description": "楼上装修噪音太大"}

    def new(when, **kw):
        return at(when, services.create_work_order, w.staff, project=w.project, channel="hotline", unit=unit,
                  requester=owner, **{**complaint, **kw})[0]

    def act(when, wo, action, **params):
        wo.refresh_from_db()
        return at(when, transition, w.staff, wo, action, **params)

    n1 = new(dt.datetime(2026, 11, 10, 9, 0, tzinfo=SH))  # a repeat of C7 (20 October)
    act(dt.datetime(2026, 11, 10, 10, 0, tzinfo=SH), n1, "resolve", note="已协调")
    n2 = new(dt.datetime(2026, 11, 12, 9, 0, tzinfo=SH))
    n3 = new(dt.datetime(2026, 11, 30, 23, 0, tzinfo=SH))  # its 24 h limit passes on 1 December, 23:00
    assert_same(ids, NOW)  # September and October from the summary, November and December live
    first_view = dt.datetime(2026, 12, 1, 10, 0, tzinfo=SH)
    assert_same(ids, first_view)  # November closed now: computed once and stored
    assert MonthlyKpi.objects.filter(project=w.project, month=dt.date(2026, 11, 1)).exists()
    before = summaries.trend_months(ids, MONTHS, TZ, now=first_view)
    n3_due = n3.timers.get(kind="resolve").due_at
    assert MonthlyKpi.objects.get(project=w.project, month=dt.date(2026, 11, 1), code="satisfaction").valid_until \
        == n3_due

    act(dt.datetime(2026, 12, 1, 11, 0, tzinfo=SH), w.c3, "callback", rating=5)  # a callback recorded late
    act(dt.datetime(2026, 12, 1, 12, 0, tzinfo=SH), n1, "reopen", note="噪音还在")
    act(dt.datetime(2026, 12, 1, 13, 0, tzinfo=SH), n1, "resolve", note="已处理", late_explanation="装修队拖延")
    act(dt.datetime(2026, 12, 1, 14, 0, tzinfo=SH), n2, "merge", parent=n1)
    act(dt.datetime(2026, 12, 1, 15, 0, tzinfo=SH), w.c7, "cancel", note="误报")  # n1 is no repeat now
    later = dt.datetime(2026, 12, 2, 10, 0, tzinfo=SH)  # and n3's limit has passed without any event
    assert_same(ids, later)
    after = summaries.trend_months(ids, MONTHS, TZ, now=later)
    october, november = after[3], after[4]
    assert october["callback_coverage"].numerator == before[3]["callback_coverage"].numerator + 1
    # n2 merged away, n1 no repeat once C7 is cancelled
    assert november["repeat_complaints"].numerator == before[4]["repeat_complaints"].numerator - 2
    # n1 now late, n2 merged away, n3 past its limit (no event: the row's valid_until had passed)
    assert (november["complaints_on_time"].numerator, november["complaints_on_time"].denominator) == (0, 2)
    n3.refresh_from_db()
    assert n3.resolved_at is None


def test_a_second_view_computes_nothing_when_nothing_changed(kpi_world, django_assert_max_num_queries):
    ids = [kpi_world.project.pk]
    now = dt.datetime(2026, 12, 5, 10, 0, tzinfo=SH)
    summaries.trend_months(ids, MONTHS, TZ, now=now)
    stored = {(r.month, r.code): r.computed_at for r in MonthlyKpi.objects.all()}
    assert len(stored) == 5 * len(kpis.KPIS)  # July to November
    assert summaries.refresh_summaries(ids, now, [m.first for m in MONTHS[:-1]]) == 0
    with CaptureQueriesContext(connection) as ctx:
        summaries.trend_months(ids, MONTHS, TZ, now=now)
    closed_part = [q for q in ctx.captured_queries if "quality_monthlykpi" in q["sql"]]
    assert len(ctx.captured_queries) <= 16, len(ctx.captured_queries)  # the live December and a few reads
    assert not any(q["sql"].startswith(("INSERT", "DELETE")) for q in closed_part)
    assert {(r.month, r.code): r.computed_at for r in MonthlyKpi.objects.all()} == stored


def test_rebuild_command_and_other_time_zones(kpi_world):
    ids = [kpi_world.project.pk]
    call_command("rebuild_kpi_summaries", "--months", "3", stdout=open("/dev/null", "w"))
    assert SummaryWatermark.objects.filter(project=kpi_world.project).exists()
    assert MonthlyKpi.objects.order_by().values("month").distinct().count() == 3
    assert_same(ids, NOW)
    # a trend cut in another time zone than the project's is computed live, the same as before
    got = summaries.trend_months(ids, MONTHS, "UTC", now=NOW)
    assert got == kpis.compute_months(ids, MONTHS, "UTC", now=NOW)
