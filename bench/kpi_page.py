"""The quality dashboard's server time over the 1,000,000-work-order dataset (bench/dataset.py).

    .venv/bin/python bench/kpi_page.py [--requests 20]      (DATABASE_URL for PostgreSQL)

One project (≈50,000 work orders over two years), the last complete month before the dataset's
reference time. In-process (django.test.Client, logged in as the project's front desk): the KPIs of
one project-month alone (`kpis.compute`, a handful of aggregate queries), the dashboard page (that
month plus its 12-month trend, closed months read from the summary table quality.MonthlyKpi, rendering;
the first view, which fills that table, is timed on its own) and the drill-down queue of the complaints
figure. Prints p50/p95/max in ms and the queries per request. Applies the quality app's migration to
the benchmark database first (one empty table) if it is missing.
"""

import argparse
import datetime as dt
import json

from _big import RESULTS, dataset_info, db_label, measure, setup_django

PROJECT = "bench-01"


class QueryLog:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=20)
    args = ap.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils.dateparse import parse_datetime

    from propdesk.org.models import Project, User
    from propdesk.quality import kpis, periods

    call_command("migrate", "quality", verbosity=0)
    info = dataset_info()
    project = Project.objects.get(code=PROJECT)
    user = User.objects.get(username=f"{PROJECT}-front_desk-1")
    ref = info.get("now")
    ref = parse_datetime(ref) if isinstance(ref, str) else ref
    first_of_ref = ref.date().replace(day=1) if ref else None
    last_month = periods.trailing_months(first_of_ref - dt.timedelta(days=1), 1)[0]
    start, end = last_month.bounds(project.timezone)
    query = {"project": project.pk, "period": "month", "month": f"{last_month.first:%Y-%m}"}
    client = Client()
    client.force_login(user)

    def compute():
        kpis.compute([project.pk], start, end, now=ref)

    def page():
        r = client.get(reverse("console:quality"), query)
        assert r.status_code == 200, r.status_code

    def drill():
        r = client.get(reverse("console:queue"), {"kpi": "complaints_on_time",
                                                  **{f"kpi_{k}": v for k, v in query.items()}})
        assert r.status_code == 200, r.status_code

    figures = kpis.compute([project.pk], start, end, now=ref)
    print(f"KPIs on {db_label()}: {info['work_orders']:,} work orders; {project.code}, {last_month.label}:")
    for code, v in figures.items():
        print(f"  {code}: {v.value} ({v.numerator}/{v.denominator})")
    import time

    from propdesk.quality.models import MonthlyKpi, SummaryWatermark

    MonthlyKpi.objects.filter(project=project).delete()  # the first view computes the summary table
    SummaryWatermark.objects.filter(project=project).delete()
    began = time.perf_counter()
    page()
    first_ms = round((time.perf_counter() - began) * 1000, 1)
    print(f"  first page view (12 closed months summarised): {first_ms} ms", flush=True)
    results = {"page_first_view": {"ms": first_ms}}
    for name, fn in (("compute", compute), ("page", page), ("drill_down", drill)):
        fn()
        log = QueryLog()
        with connection.execute_wrapper(log):
            fn()
        results[name] = {**measure(fn, args.requests), "queries": log.count}
        r = results[name]
        print(f"  {name}: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms, {r['queries']} queries",
              flush=True)
    out = {"benchmark": "kpi_page", "database": db_label(), "work_orders": info["work_orders"],
           "project": project.code, "month": last_month.label, "details": results,
           "figures": {c: str(v.value) for c, v in figures.items()}}
    (RESULTS / f"kpi_page-{db_label()}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    return out


if __name__ == "__main__":
    main()
