"""Caller lookup on the demo data: how long one search box query takes (issue: under 100 ms).

Measures the selector alone and the whole console request (routing, session, rendering) in-process,
for each kind of query the desk types. Run: `make bench` or `.venv/bin/python bench/lookup.py`
(set DATABASE_URL=postgres://… to measure PostgreSQL).
"""

import json
import random
import statistics

from _setup import RESULTS, backend_name, django_for_bench, percentile, timed

ROUNDS = 3


def main():
    django_for_bench("lookup")
    from django.test import Client
    from django.urls import reverse

    from propdesk.archive.models import Customer, CustomerPhone
    from propdesk.archive.selectors import lookup
    from propdesk.org.models import Unit, User

    rng = random.Random(7)
    user = User.objects.get(username="desk")
    phones = list(CustomerPhone.objects.filter(customer__project__code="sunshine").values_list("number", flat=True))
    names = list(Customer.objects.filter(project__code="sunshine").values_list("name", flat=True))
    units = list(Unit.objects.filter(project__code="sunshine").select_related("building"))
    queries = {
        "full phone": rng.sample(phones, 40),
        "last 4 digits": [p[-4:] for p in rng.sample(phones, 40)],
        "full name": rng.sample(names, 40),
        "surname only": [n[0] for n in rng.sample(names, 20)],
        "unit 3-2-1201": [u.label for u in rng.sample(units, 40)],
        "unit 3栋1201": [f"{u.building.code}栋{u.number}" for u in rng.sample(units, 40)],
    }
    client = Client()
    client.force_login(user)
    url = reverse("console:lookup")
    rows = []
    for kind, qs in queries.items():
        sel, page, hits = [], [], []
        for _ in range(ROUNDS):
            for q in qs:
                ms, result = timed(lookup, user, q)
                sel.append(ms)
                hits.append(len(result.customers) + len(result.units))
                # The live results the box shows while typing (an htmx request).
                ms, resp = timed(client.get, url, {"q": q}, headers={"HX-Request": "true"})
                assert resp.status_code == 200, resp.status_code
                page.append(ms)
        rows.append({
            "kind": kind, "queries": len(sel), "mean_hits": round(statistics.mean(hits), 1),
            "selector_p50_ms": round(percentile(sel, 50), 2), "selector_p95_ms": round(percentile(sel, 95), 2),
            "page_p50_ms": round(percentile(page, 50), 2), "page_p95_ms": round(percentile(page, 95), 2),
            "page_max_ms": round(max(page), 2),
        })
    out = {"benchmark": "lookup", "database": backend_name(), "rows": rows}
    (RESULTS / f"lookup-{backend_name()}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(f"caller lookup on the demo data ({backend_name()}), ms")
    print("| query | n | hits | selector p50 | selector p95 | page p50 | page p95 | page max |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['kind']} | {r['queries']} | {r['mean_hits']} | {r['selector_p50_ms']} | {r['selector_p95_ms']} "
              f"| {r['page_p50_ms']} | {r['page_p95_ms']} | {r['page_max_ms']} |")


if __name__ == "__main__":
    main()
