"""The gate on the demo data (issue 13, item 5): how long the server takes for what a guard does.

The seed's standard is 25 seconds from receiving a visitor's ID to handing it back. The browser test
tests/browser/test_affairs_browser.py times a keyboard-only registration end to end in Chromium (written
to test-artifacts/visitor-registration-timing.json); this benchmark measures the server's share of it,
in-process, on the demo data: registering a known visitor (recalled by ID number) and a new one, the
recall the form asks for while the guard types, a scanned pass number at the gate, and a plate.
Run: `.venv/bin/python bench/affairs_gate.py` (DATABASE_URL=postgres://… for PostgreSQL).
"""

import json

from _setup import RESULTS, backend_name, django_for_bench, percentile, timed

ROUNDS = 40


def main():
    django_for_bench("affairs_gate")
    from django.test import Client
    from django.urls import reverse

    from propdesk.affairs.models import ParkingAllocation, ReleasePass, Visitor
    from propdesk.org.models import Project, Unit, User

    guard = User.objects.get(username="guard")
    project = Project.objects.get(code="sunshine")
    units = [u.label for u in Unit.objects.filter(project=project).select_related("building")[:ROUNDS]]
    known = Visitor.objects.filter(project=project).order_by("pk").first()
    known_id = "440301198506061117"
    known.id_number = known_id
    known.save()
    numbers = list(ReleasePass.objects.filter(project=project).values_list("number", flat=True))
    plates = [a.plate_list()[0] for a in ParkingAllocation.objects.filter(space__project=project)]
    client = Client()
    client.force_login(guard)
    url = reverse("console:gate_visitors")
    samples = {"register a known visitor (by ID)": [], "register a new visitor": [], "recall while typing": [],
               "gate: scanned pass number": [], "gate: plate": []}
    for n in range(ROUNDS):
        ms, r = timed(client.post, url, {"project": project.pk, "id_number": known_id, "unit": units[n], "people": 1})
        assert r.status_code == 302, r.status_code
        samples["register a known visitor (by ID)"].append(ms)
        new_id = f"1101011990{n:02d}011{n % 10}{n % 7}{n % 3}"
        ms, r = timed(client.post, url, {"project": project.pk, "id_number": new_id, "phone": f"1365555{n:04d}",
                                         "name": f"新访客{n}", "unit": units[n], "people": 1})
        assert r.status_code == 302, r.status_code
        samples["register a new visitor"].append(ms)
        ms, r = timed(client.get, reverse("console:gate_visitor_recall"), {"project": project.pk,
                                                                          "id_number": known_id})
        samples["recall while typing"].append(ms)
        ms, r = timed(client.get, reverse("console:gate"), {"q": numbers[n % len(numbers)]})
        samples["gate: scanned pass number"].append(ms)
        ms, r = timed(client.get, reverse("console:gate_plate"), {"q": plates[n % len(plates)]})
        samples["gate: plate"].append(ms)
    rows = [{"what": k, "n": len(v), "p50_ms": round(percentile(v, 50), 1), "p95_ms": round(percentile(v, 95), 1),
             "max_ms": round(max(v), 1)} for k, v in samples.items()]
    out = {"benchmark": "affairs_gate", "database": backend_name(), "rows": rows}
    (RESULTS / f"affairs_gate-{backend_name()}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(f"the gate on the demo data ({backend_name()}), ms")
    print("| request | n | p50 | p95 | max |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['what']} | {r['n']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |")


if __name__ == "__main__":
    main()
