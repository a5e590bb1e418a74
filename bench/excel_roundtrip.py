"""Excel export and import of the demo residential project (1,600 units, ~2,800 customers).

Run: `.venv/bin/python bench/excel_roundtrip.py` (DATABASE_URL=postgres://… for PostgreSQL).
"""

import io
import json
import time

from _setup import RESULTS, backend_name, django_for_bench


def main():
    django_for_bench("excel")
    from django.db import transaction

    from propdesk.archive import excel
    from propdesk.archive.models import Customer
    from propdesk.org.models import Company, Project, Unit, User

    admin = User.objects.get(username="admin")
    source = Project.objects.get(code="sunshine")
    rows = {}
    start = time.perf_counter()
    data = excel.export_project(admin, source, reveal_ids=True)
    rows["export"] = time.perf_counter() - start
    start = time.perf_counter()
    report = excel.import_project(admin, source, io.BytesIO(data))
    rows["re-import, nothing changes"] = time.perf_counter() - start
    assert report.created == 0 and report.updated == 0, report
    with transaction.atomic():
        target = Project.objects.create(company=Company.objects.first(), code="bench-copy", name="基准副本")
        start = time.perf_counter()
        excel.import_project(admin, target, io.BytesIO(data))
        rows["import into an empty project"] = time.perf_counter() - start
        units = Unit.objects.filter(project=target).count()
        customers = Customer.objects.filter(project=target).count()
        transaction.set_rollback(True)
    out = {"benchmark": "excel", "database": backend_name(), "units": units, "customers": customers,
           "seconds": {k: round(v, 2) for k, v in rows.items()}, "bytes": len(data)}
    (RESULTS / f"excel-{backend_name()}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(f"Excel round trip of 阳光花园 ({units} units, {customers} customers, {len(data) // 1024} KiB) "
          f"on {backend_name()}")
    for k, v in rows.items():
        print(f"| {k} | {v:.2f} s |")


if __name__ == "__main__":
    main()
