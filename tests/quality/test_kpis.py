"""Every KPI pinned by the hand-computed edge cases of conftest.kpi_world (read its docstring)."""

import datetime as dt
from decimal import Decimal

import pytest

from propdesk.quality import kpis, periods, services
from propdesk.quality.models import KpiTarget
from propdesk.quality.selectors import figures, scope_for
from tests.quality.conftest import EXPECTED, NOW

OCTOBER = periods.month(2026, 10)


def october(project_ids, **kw):
    start, end = OCTOBER.bounds("Asia/Shanghai")
    return kpis.compute(project_ids, start, end, now=NOW, **kw)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_kpi_matches_the_hand_computed_value(kpi_world, code):
    value, numerator, denominator = EXPECTED[code]
    got = october([kpi_world.project.pk])[code]
    assert (got.value, got.numerator, got.denominator) == (value, numerator, denominator)


def test_the_registry_documents_every_kpi():
    assert set(kpis.KPIS) == set(EXPECTED)
    from django.utils import translation

    with translation.override("en"):  # the length of a real explanation, in the language it was written
        for kpi in kpis.KPIS.values():
            assert len(str(kpi.description)) > 80 and kpi.unit
    assert kpis.KPIS["emergency_response_30"].target == Decimal("90")
    assert kpis.KPIS["complaints_on_time"].target == Decimal("80")


def test_which_work_orders_are_behind_each_figure(kpi_world):
    w = kpi_world
    start, end = OCTOBER.bounds("Asia/Shanghai")

    def ids(code):
        return set(kpis.work_orders_behind(code, [w.project.pk], start, end, NOW).values_list("pk", flat=True))

    assert ids("emergency_response_30") == {w.e1.pk, w.e2.pk, w.e3.pk, w.e6.pk, w.e7.pk}
    assert ids("complaints_on_time") == {w.c1.pk, w.c2.pk, w.c3.pk, w.c4.pk, w.c7.pk}
    assert ids("satisfaction") == {w.e1.pk, w.c1.pk, w.c2.pk}
    assert ids("callback_coverage") == {w.e1.pk, w.c1.pk, w.c2.pk, w.c3.pk, w.c4.pk}
    assert ids("repeat_complaints") == {w.c2.pk, w.c4.pk, w.c7.pk}
    assert ids("complaints_per_100_households") == {w.c1.pk, w.c2.pk, w.c3.pk, w.c4.pk, w.c7.pk}
    values = october([w.project.pk])
    for code in kpis.KPIS:
        assert len(ids(code)) == values[code].drill_count, code


def test_met_at_exactly_the_limit_and_late_one_second_after(kpi_world):
    w = kpi_world
    start, end = OCTOBER.bounds("Asia/Shanghai")
    qs, met = kpis.population("emergency_response_30", [w.project.pk], start, end, NOW)
    met_ids = set(qs.filter(met).values_list("pk", flat=True))
    assert w.e1.pk in met_ids and w.e3.pk in met_ids and w.e6.pk in met_ids
    assert w.e2.pk not in met_ids and w.e7.pk not in met_ids


def test_the_month_is_cut_at_local_midnight(kpi_world):
    w = kpi_world
    start, end = periods.month(2026, 11).bounds("Asia/Shanghai")
    assert start == dt.datetime(2026, 10, 31, 16, 0, tzinfo=dt.UTC)
    november = kpis.compute([w.project.pk], start, end, now=NOW)["emergency_response_30"]
    assert (november.numerator, november.denominator) == (1, 1)  # E9 only; E6 stays in October
    assert w.e9.received_at < dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # in UTC it would be October's


def test_a_running_limit_is_not_judged_before_it_passes(kpi_world):
    early = dt.datetime(2026, 10, 20, 2, 10, tzinfo=dt.UTC)  # C7 received 10:00 local, 10 min ago
    start, end = OCTOBER.bounds("Asia/Shanghai")
    got = kpis.compute([kpi_world.project.pk], start, end, now=early)["complaints_on_time"]
    assert kpi_world.c7.pk not in set(kpis.work_orders_behind(
        "complaints_on_time", [kpi_world.project.pk], start, end, early).values_list("pk", flat=True))
    assert got.denominator == 4


def test_targets_default_and_per_project(kpi_world, manager_user):
    w = kpi_world
    values = october([w.project.pk])
    assert values["emergency_response_30"].target == Decimal("90") and values["emergency_response_30"].met is False
    assert values["repeat_complaints"].met is None  # no default target: monitored only
    services.set_target(manager_user, w.project, "emergency_response_30", "50")
    services.set_target(manager_user, w.project, "repeat_complaints", "3")
    got = figures(scope_for(manager_user, w.project.pk), OCTOBER, now=NOW)
    assert got["emergency_response_30"].target == Decimal("50") and got["emergency_response_30"].met is True
    assert got["repeat_complaints"].met is True  # lower is better: 3 <= 3
    services.set_target(manager_user, w.project, "repeat_complaints", "")
    assert not KpiTarget.objects.filter(code="repeat_complaints").exists()


def test_only_managers_of_the_project_set_targets(kpi_world, outsider):
    from django.core.exceptions import PermissionDenied

    from propdesk.core.errors import NotFound

    with pytest.raises(PermissionDenied):
        services.set_target(kpi_world.staff, kpi_world.project, "satisfaction", "4")
    with pytest.raises(NotFound):
        services.set_target(outsider, kpi_world.project, "satisfaction", "4")


def test_empty_period_has_no_values(project):
    start, end = periods.month(2026, 1).bounds("Asia/Shanghai")
    values = kpis.compute([project.pk], start, end)
    assert all(v.value in (None, Decimal("0")) and v.met in (None, True) for v in values.values())


def test_figures_come_from_a_fixed_number_of_queries(kpi_world, django_assert_max_num_queries):
    start, end = OCTOBER.bounds("Asia/Shanghai")
    with django_assert_max_num_queries(7):
        kpis.compute([kpi_world.project.pk], start, end, now=NOW)


def test_periods():
    assert periods.quarter(2026, 4) == periods.Period("quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert periods.parse("quarter", "2026-Q1").last == dt.date(2026, 3, 31)
    assert periods.parse("month", "2026-02").last == dt.date(2026, 2, 28)
    assert periods.parse("range", "", "2026-03-05", "2026-03-01").first == dt.date(2026, 3, 1)
    assert periods.parse("month", "garbage", today=dt.date(2026, 7, 9)) == periods.month(2026, 7)
    months = periods.trailing_months(dt.date(2026, 2, 10))
    assert len(months) == 12 and months[0] == periods.month(2025, 3) and months[-1] == periods.month(2026, 2)


def test_the_monthly_trend_agrees_with_compute_month_by_month(kpi_world):
    ids = [kpi_world.project.pk]
    months = periods.trailing_months(dt.date(2026, 12, 1), 4)  # September to December
    grouped = kpis.compute_months(ids, months, "Asia/Shanghai", now=NOW)
    for month, values in zip(months, grouped, strict=True):
        start, end = month.bounds("Asia/Shanghai")
        assert values == kpis.compute(ids, start, end, now=NOW), month.label
    assert grouped[1]["complaints_on_time"].denominator == 5 and grouped[2]["emergency_response_30"].denominator == 1
