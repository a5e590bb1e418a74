"""The service queue's server time over the 1,000,000-work-order dataset (bench/dataset.py).

    .venv/bin/python bench/queue_page.py [--requests 200]      (DATABASE_URL for PostgreSQL)

A front-desk member of one project (≈2,500 open work orders among its 50,000), every filter at its
default. In-process (django.test.Client, logged in): the console page /work-orders/ (routing,
session, the query, the countdowns, rendering), the API list GET /api/v1/work-orders?project=…
(first page with its count), and the selector alone (the first 50 rows with their related objects).
Prints p50/p95/max in ms, the queries per request and the plan of the queue's query. Aim: p95 < 50 ms.
"""

import argparse
import json
import time

from _big import RESULTS, dataset_info, db_label, measure, setup_django

QUEUE_PROJECT = "bench-01"


class QueryLog:
    """Counts and times the queries of one request (works with DEBUG off)."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append({"ms": round((time.perf_counter() - start) * 1000, 2), "sql": sql[:300]})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=200)
    args = ap.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from propdesk.org.models import Project, User
    from propdesk.service import selectors
    from propdesk.service.models import WorkOrder
    from propdesk.service.workflow import OPEN_STATES

    info = dataset_info()
    project = Project.objects.get(code=QUEUE_PROJECT)
    user = User.objects.get(username=f"{QUEUE_PROJECT}-front_desk-1")
    open_rows = WorkOrder.objects.filter(project=project, state__in=OPEN_STATES).count()
    print(f"queue on {db_label()}: {info['work_orders']:,} work orders; {project.code} has "
          f"{WorkOrder.objects.filter(project=project).count():,}, {open_rows:,} open", flush=True)
    client = Client()
    client.force_login(user)
    page_url = reverse("console:queue")
    api_url = f"/api/v1/work-orders?project={project.pk}"

    def page():
        r = client.get(page_url)
        assert r.status_code == 200, r.status_code

    def api():
        r = client.get(api_url)
        assert r.status_code == 200, (r.status_code, r.content[:300])

    def selector():
        u = User.objects.get(pk=user.pk)  # a fresh user per request, as in a view
        rows = list(selectors.queue(u)[:50])
        assert rows

    results = {}
    for name, fn in (("page", page), ("api", api), ("selector", selector)):
        for _ in range(5):  # warm-up: templates, URL conf, connection
            fn()
        log = QueryLog()
        with connection.execute_wrapper(log):
            fn()
        results[name] = measure(fn, args.requests)
        results[name]["queries"] = len(log.queries)
        results[name]["slowest_queries"] = sorted(log.queries, key=lambda q: -q["ms"])[:3]
        r = results[name]
        print(f"  {name}: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms, {r['queries']} queries",
              flush=True)
    qs = selectors.queue(User.objects.get(pk=user.pk))[:51]
    plan = qs.explain(**({"analyze": True} if connection.vendor == "postgresql" else {}))
    print("plan of the queue's query:\n" + plan, flush=True)
    out = {"benchmark": "queue", "database": db_label(), "work_orders": info["work_orders"],
           "project_rows": WorkOrder.objects.filter(project=project).count(), "project_open": open_rows,
           **{f"{k}_{m}": v[m] for k, v in results.items() for m in ("p50_ms", "p95_ms", "max_ms", "queries")},
           "details": results, "plan": plan}
    (RESULTS / f"queue-{db_label()}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    return out


if __name__ == "__main__":
    main()
