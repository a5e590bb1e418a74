"""Fees at scale (issue 14, items 2 and 11): a bill run over 100,000 units, the arrears ageing page over
100,000 units × 24 months of bills, and an owner's bill page.

Builds its own database (not the demo): one project of 100 buildings × 1,000 units (80–140 m²), an owner
each since 2020, property fee ¥2.50/m²/month, rubbish removal ¥8/month, one unit in ten renting a parking
space at ¥300. Then:

1. the month's run, timed as the worker does it: `runs.preview()` then `runs.post()` (batches, one
   transaction each) — the issue's bound is ≤ 30 s for the post;
2. 23 earlier months of bills are copied from it in bulk (INSERT … SELECT, the same columns) with most of them paid
   (outstanding 0) and one unit in twelve owing from some month on, so that the unpaid bills the ageing
   reads are a realistic 4–5 % of 2.4 million bills;
3. the console's arrears page (`console:arrears`) and an owner's bills page (`portal:fees`) are requested
   through Django's test client, in-process, ROUNDS times each (p50 / p95 / max).

Run: `.venv/bin/python bench/billing_scale.py` (SQLite file var/bench-billing.sqlite3, rebuilt each run);
PostgreSQL: `DATABASE_URL=postgres://… .venv/bin/python bench/billing_scale.py`. UNITS=20000 for a smaller
world; RUN_ONLY=1 measures the bill run alone (no 24-month history, no pages); PAGES_ONLY=1 times the pages
again on the database the last full run left (nothing rebuilt). The result is written to
bench/results/billing_scale-<database>.json. Figures: docs/performance.md, "Fees at scale".
"""

import datetime as dt
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = int(os.environ.get("UNITS", "100000"))
PER_BUILDING = 1000
MONTHS = 24
ROUNDS = 15
D = Decimal


def setup():
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "propdesk.settings.dev")
    path = ROOT / "var" / "bench-billing.sqlite3"
    again = bool(os.environ.get("PAGES_ONLY"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(path)
        for suffix in () if again else ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    if again:
        return
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


def build(period: dt.date):
    from propdesk.archive.models import Customer, CustomerPhone, Occupancy
    from propdesk.billing import standards
    from propdesk.billing.models import UnitAccount
    from propdesk.org.models import Building, Company, Project, Unit
    from tests.factories import StaffFactory

    rng = random.Random(14)
    company = Company.objects.create(name="基准物业")
    project = Project.objects.create(company=company, code="big", name="基准花园")
    clerk = StaffFactory(username="bench-clerk", role="front_desk", projects=[project])
    buildings = Building.objects.bulk_create([Building(project=project, code=str(b + 1), name=f"{b + 1}栋", floors=50)
                                              for b in range(UNITS // PER_BUILDING)])
    units = []
    for building in buildings:
        for n in range(PER_BUILDING):
            floor, room = n // 20 + 1, n % 20 + 1
            units.append(Unit(project=project, building=building, entrance="1", number=f"{floor}{room:02d}",
                              floor=floor, area=D(rng.randint(8000, 14000)) / 100, status="occupied"))
    Unit.objects.bulk_create(units, batch_size=5000)
    units = list(Unit.objects.filter(project=project).order_by("id"))
    customers = Customer.objects.bulk_create(
        [Customer(project=project, code=f"C{n:06d}", name=f"业主{n}") for n in range(len(units))], batch_size=5000)
    Occupancy.objects.bulk_create([Occupancy(unit=u, customer=c, role="owner", start_date=dt.date(2020, 1, 1))
                                   for u, c in zip(units, customers, strict=True)], batch_size=5000)
    CustomerPhone.objects.create(customer=customers[0], number="13900000001")
    UnitAccount.objects.bulk_create([UnitAccount(project=project, unit=u, parking_spaces=1)
                                     for u in units if rng.random() < 0.1], batch_size=5000)
    for code, name, kind, price in (("property", "物业服务费", "property", "2.50"), ("rubbish", "垃圾清运费", "fixed", "8"),
                                    ("parking", "车位租金", "parking", "300")):
        item = standards.save_fee_item(clerk, project, {"code": code, "name": name, "kind": kind})
        standards.add_standard(clerk, item, price=price, effective_from=dt.date(2020, 1, 1))
    return project, clerk, units


def bill_run(project, clerk, period):
    from propdesk.billing import runs
    from propdesk.billing.models import Bill

    run = runs.open_run(clerk, project, period)
    runs.start_preview(clerk, run)
    start = time.perf_counter()
    runs.preview(run.pk)
    preview_s = time.perf_counter() - start
    run.refresh_from_db()
    runs.start_posting(clerk, run, run.preview["digest"])
    start = time.perf_counter()
    posted = runs.post(run.pk, clerk.pk)
    post_s = time.perf_counter() - start
    assert Bill.objects.filter(run=run).count() == posted == len(set(Bill.objects.filter(run=run).values_list(
        "unit_id", flat=True)))
    return {"units": UNITS, "preview_s": round(preview_s, 1), "post_s": round(post_s, 1), "bills": posted}


def history(project, run_period: dt.date, today: dt.date):
    """23 earlier months, copied from the month just posted by INSERT … SELECT (the same columns a run
    writes); most paid, one unit in twelve owing from some month on."""
    from django.db import connection, transaction

    from propdesk.billing import money
    from propdesk.billing.models import Bill, ChargeLine

    run_id = Bill.objects.filter(period=run_period, run__isnull=False).values_list("run_id", flat=True).first()
    unit_ids = sorted(Bill.objects.filter(run_id=run_id).values_list("unit_id", flat=True))
    rng = random.Random(12)
    owing_from = {u: rng.randint(1, MONTHS) for u in unit_ids if rng.random() < 1 / 12}
    bill, line = Bill._meta.db_table, ChargeLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_owing (unit_id bigint PRIMARY KEY, owing_from integer)")
        cursor.executemany("INSERT INTO bench_owing VALUES (%s, %s)", sorted(owing_from.items()))
        period = run_period
        for age in range(1, MONTHS):
            period = money.previous_month(period)
            due = period.replace(day=15)
            issued = dt.datetime.combine(period, dt.time(9), dt.UTC)
            with transaction.atomic():
                cursor.execute(
                    f"INSERT INTO {bill} (project_id, unit_id, payer_id, kind, run_id, period, source, issued_at, "
                    f"due_date, total, open_fen, created_by_id, building_id) SELECT b.project_id, b.unit_id, b.payer_id, "
                    f"b.kind, NULL, %s, '', %s, %s, b.total, CASE WHEN o.owing_from >= %s THEN b.open_fen ELSE 0 END, "
                    f"NULL, b.building_id "
                    f"FROM {bill} b LEFT JOIN bench_owing o ON o.unit_id = b.unit_id WHERE b.run_id = %s "
                    f"ORDER BY b.unit_id", [period, issued, due, age, run_id])
                cursor.execute(
                    f"INSERT INTO {line} (bill_id, project_id, unit_id, fee_item_id, kind, periodic, description, "
                    f"service_start, service_end, quantity, unit_price, days, days_in_period, amount, outstanding, "
                    f"due_date, standard_id, reading_id, late_fee_of_id) "
                    f"SELECT nb.id, l.project_id, l.unit_id, l.fee_item_id, l.kind, l.periodic, l.description, %s, %s, "
                    f"l.quantity, l.unit_price, l.days, %s, l.amount, "
                    f"CASE WHEN o.owing_from >= %s THEN l.amount ELSE 0 END, %s, l.standard_id, NULL, NULL "
                    f"FROM {line} l JOIN {bill} ob ON ob.id = l.bill_id AND ob.run_id = %s "
                    f"JOIN {bill} nb ON nb.unit_id = l.unit_id AND nb.period = %s AND nb.run_id IS NULL "
                    f"LEFT JOIN bench_owing o ON o.unit_id = l.unit_id ORDER BY l.id",
                    [period, money.month_end(period), money.days_in_month(period), age, due, run_id, period])
        cursor.execute("DROP TABLE bench_owing")
    # the month just posted: paid by all but the owing units
    ChargeLine.objects.filter(bill__period=run_period).exclude(unit_id__in=list(owing_from)).update(
        outstanding=D("0.00"))
    Bill.objects.filter(period=run_period).exclude(unit_id__in=list(owing_from)).update(open_fen=0)
    with connection.cursor() as cursor:  # as autovacuum would have left the tables of two years of bills
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {bill}")
            cursor.execute(f"VACUUM ANALYZE {line}")
        else:
            cursor.execute("ANALYZE")
    return {"bills": Bill.objects.count(), "lines": ChargeLine.objects.count(),
            "open_lines": ChargeLine.objects.filter(outstanding__gt=0).count(),
            "unpaid_bills": Bill.objects.filter(open_fen__gt=0).count(), "units_owing": len(owing_from)}


def pages(project, clerk, owner_phone: str, today: dt.date):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from propdesk.archive.owners import SESSION_KEY
    from propdesk.wsgi import freeze_loaded_objects

    freeze_loaded_objects()  # as a served worker does once loaded (propdesk/wsgi.py)
    staff = Client()
    staff.force_login(clerk)
    owner = Client()
    session = owner.session
    session[SESSION_KEY] = owner_phone
    session.save()
    out = {}
    for label, client, url, query in (
            ("arrears page (console)", staff, reverse("console:arrears"), {"project": project.pk}),
            ("arrears page, one building", staff, reverse("console:arrears"), {"project": project.pk,
                                                                              "building": project.buildings.first().pk}),
            ("owner's bills page (portal)", owner, reverse("portal:fees"), {})):
        client.get(url, query)  # warm
        samples = []
        for _n in range(ROUNDS):
            start = time.perf_counter()
            response = client.get(url, query)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, query)
        out[label] = {"n": ROUNDS, "p50_ms": round(percentile(samples, 50), 1),
                      "p95_ms": round(percentile(samples, 95), 1), "max_ms": round(max(samples), 1),
                      "queries": len(queries)}
    return out


def main():
    setup()
    import time_machine
    from django.db import connection

    today = dt.date(2027, 6, 3)
    period = today.replace(day=1)
    with time_machine.travel(dt.datetime(2027, 6, 3, 9, tzinfo=dt.UTC), tick=True):
        if os.environ.get("PAGES_ONLY"):
            from propdesk.org.models import Project, User

            print(json.dumps(pages(Project.objects.get(code="big"), User.objects.get(username="bench-clerk"),
                                   "13900000001", today), ensure_ascii=False, indent=2))
            return
        t0 = time.perf_counter()
        project, clerk, _units = build(period)
        built_s = time.perf_counter() - t0
        run = bill_run(project, clerk, period)
        data, timings, history_s = {}, {}, 0.0
        if not os.environ.get("RUN_ONLY"):
            t0 = time.perf_counter()
            data = history(project, period, today)
            history_s = time.perf_counter() - t0
            timings = pages(project, clerk, "13900000001", today)
    load = os.getloadavg()
    result = {"benchmark": "billing_scale", "database": connection.vendor, "units": UNITS, "run": run,
              "data": data, "pages": timings, "build_s": round(built_s, 1), "history_s": round(history_s, 1),
              "load_average": [round(x, 2) for x in load], "cpus": os.cpu_count()}
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"billing_scale-{connection.vendor}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
