"""Work-order intake through the API under load, against a bare Django JSON endpoint served the same way.

    .venv/bin/python bench/intake_throughput.py [--seconds 10] [--rounds 3] [--rate 50] [--rate-seconds 10]
    (DATABASE_URL for PostgreSQL)

Both are served by granian (WSGI, 2 workers, as scripts/serve.sh) on 127.0.0.1 with DEBUG off and
loaded by `wrk -t2 -c8`: propdesk's POST /api/v1/work-orders (bearer token of a front-desk member,
a repair in the home of a random unit, a unique Idempotency-Key per request) and the baseline's
POST /hello (bench/baseline/, Django + Ninja, no database, the same body). Created work orders are
counted in the database, not taken from wrk; afterwards they are deleted again, so the 1,000,000-row
dataset stays as generated. Aim: intake ≥ half the baseline's requests/s.

Then the same intake at a fixed rate (bench/_openloop.py: --rate creations/s sent open-loop on
keep-alive connections, latency counted from each request's due time): achieved rate, p50/p95/p99
and the rows counted in the database. The issue's aim there: p95 ≤ 100 ms at 50/s.
"""

import argparse
import json
import random
import statistics
import time
import uuid

from _big import BENCH, RESULTS, ROOT, VAR, dataset_info, db_label, env_for_django, setup_django
from _openloop import fixed_rate
from _serve import granian, wrk

GRANIAN = str(ROOT / ".venv" / "bin" / "granian")


def intake_project():
    """The last project of the dataset (the queue benchmark reads the first)."""
    from propdesk.org.models import Project

    return Project.objects.filter(code__startswith="bench-").order_by("-code").first()


def body(project_id: int) -> str:
    return json.dumps({"project": project_id, "kind": "repair_home", "channel": "hotline",
                       "description": "卫生间天花板漏水，水一直往下滴", "unit": "UNIT"},
                      ensure_ascii=False).replace('"UNIT"', "{unit}")


def baseline(seconds: int, rounds: int, project_id: int, unit_lo: int, unit_hi: int) -> list[dict]:
    env = {**env_for_django(), "DJANGO_SETTINGS_MODULE": "baseline.settings"}
    runs = []
    with granian("baseline.wsgi:application", env, GRANIAN, cwd=BENCH, log=VAR / "granian-baseline.log") as url:
        wrk(url + "/hello", "wrk_post.lua", seconds=2, env={"WRK_BODY": body(project_id), "WRK_UNIT_LO": "1",
                                                             "WRK_UNIT_HI": "9"})  # warm-up
        for _ in range(rounds):
            r = wrk(url + "/hello", "wrk_post.lua", seconds=seconds,
                    env={"WRK_BODY": body(project_id), "WRK_UNIT_LO": str(unit_lo), "WRK_UNIT_HI": str(unit_hi)})
            runs.append(r)
            print(f"  baseline POST /hello: {r['req_per_s']:,.0f} req/s, p50 {r['p50_ms']} ms, "
                  f"p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms, non-2xx {r['non2xx']}", flush=True)
            time.sleep(2)
    return runs


def intake(seconds: int, rounds: int, rate: float = 50, rate_seconds: int = 10,
           fixed_rounds: int | None = None) -> tuple[list[dict], list[dict]]:
    import urllib.request

    from propdesk.org.models import Unit, User
    from propdesk.service.models import WorkOrder

    project = intake_project()
    unit_ids = list(Unit.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    user = User.objects.get(username=f"{project.code}-front_desk-1")
    runs = []
    with granian("propdesk.wsgi:application", env_for_django(), GRANIAN, cwd=ROOT,
                 log=VAR / "granian-propdesk.log") as url:
        req = urllib.request.Request(url + "/api/v1/auth/token", method="POST",
                                     data=json.dumps({"username": user.username,
                                                      "password": "bench-password"}).encode(),
                                     headers={"Content-Type": "application/json"})
        token = json.loads(urllib.request.urlopen(req, timeout=30).read())["token"]
        env = {"WRK_BODY": body(project.pk), "WRK_UNIT_LO": str(unit_ids[0]), "WRK_UNIT_HI": str(unit_ids[-1]),
               "WRK_AUTH": f"Bearer {token}"}
        marks = _marks()
        wrk(url + "/api/v1/work-orders", "wrk_post.lua", seconds=2, env={**env, "WRK_RUN": uuid.uuid4().hex[:8]})
        time.sleep(1)
        _undo(marks)
        for _ in range(rounds):
            marks = _marks()
            r = wrk(url + "/api/v1/work-orders", "wrk_post.lua", seconds=seconds,
                    env={**env, "WRK_RUN": uuid.uuid4().hex[:8]})
            time.sleep(1)  # requests still in flight when wrk stopped
            r["created"] = WorkOrder.objects.filter(pk__gt=marks["wo"]).count()
            r["created_per_s"] = r["created"] / r["seconds"]
            runs.append(r)
            print(f"  propdesk POST /api/v1/work-orders: {r['req_per_s']:,.0f} req/s, {r['created_per_s']:,.0f} "
                  f"created/s ({r['created']:,} rows), p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
                  f"p99 {r['p99_ms']} ms, non-2xx {r['non2xx']}", flush=True)
            _undo(marks)
            time.sleep(2)
        fixed = []
        template = body(project.pk)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        for _ in range(rounds if fixed_rounds is None else fixed_rounds):
            marks = _marks()
            run, rng = uuid.uuid4().hex[:8], random.Random()

            def request(i, run=run, rng=rng):
                unit = str(rng.randint(unit_ids[0], unit_ids[-1]))
                return (template.replace("{unit}", unit).encode(),
                        {**headers, "Idempotency-Key": f"{run}-fixed-{i}"})

            r = fixed_rate(url + "/api/v1/work-orders", request, rate=rate, seconds=rate_seconds)
            time.sleep(1)
            r["created"] = WorkOrder.objects.filter(pk__gt=marks["wo"]).count()
            r["created_per_s"] = r["created"] / r["seconds"]
            fixed.append(r)
            print(f"  propdesk at a fixed {rate:g}/s: {r['achieved_per_s']:,.1f} created/s answered "
                  f"({r['created']:,} rows in the DB), p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
                  f"p99 {r['p99_ms']} ms, max {r['max_ms']} ms, non-2xx {r['non2xx']}, errors {r['errors']}, "
                  f"{r['connections']} connections", flush=True)
            _undo(marks)
            time.sleep(2)
    return runs, fixed


def _marks() -> dict:
    from propdesk.core.models import TimelineEvent
    from propdesk.service.models import WorkOrder

    last = lambda m: m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0  # noqa: E731
    return {"wo": last(WorkOrder), "event": last(TimelineEvent)}


def _undo(marks) -> None:
    """Delete what the load test created (work orders, their timers, keys and timeline)."""
    from django.db import transaction

    from propdesk.core.models import TimelineEvent
    from propdesk.service.models import WorkOrder

    with transaction.atomic():
        TimelineEvent.objects.filter(pk__gt=marks["event"]).delete()
        WorkOrder.objects.filter(pk__gt=marks["wo"]).delete()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rate", type=float, default=50, help="creations/s of the fixed-rate run")
    ap.add_argument("--rate-seconds", type=int, default=10)
    ap.add_argument("--skip-baseline", action="store_true", help="only propdesk's intake (while developing)")
    ap.add_argument("--intake-only", action="store_true",
                    help="only the full-load intake rounds (no baseline, no fixed rate): compare.py --pairs")
    args = ap.parse_args()
    setup_django()
    from propdesk.org.models import Unit

    info = dataset_info()
    project = intake_project()
    units = Unit.objects.filter(project=project).order_by("pk").values_list("pk", flat=True)
    print(f"intake on {db_label()} ({info['work_orders']:,} work orders), wrk -t2 -c8 -d{args.seconds}s, "
          f"{args.rounds} rounds", flush=True)
    if args.intake_only:
        runs, _fixed = intake(args.seconds, args.rounds, fixed_rounds=0)
        print("INTAKE " + json.dumps({"system": "propdesk", "database": db_label(),
                                      "created_s": [round(r["created_per_s"], 1) for r in runs],
                                      "p95_ms": [r["p95_ms"] for r in runs]}))
        return None
    base = ([{"req_per_s": 0, "p50_ms": 0, "p95_ms": 0}] if args.skip_baseline
            else baseline(args.seconds, args.rounds, project.pk, units.first(), units.last()))
    time.sleep(2)
    runs, fixed = intake(args.seconds, args.rounds, args.rate, args.rate_seconds)
    med = lambda rs, k: statistics.median(r[k] for r in rs)  # noqa: E731
    out = {
        "benchmark": "intake", "database": db_label(), "work_orders": info["work_orders"],
        "baseline_req_s": round(med(base, "req_per_s")), "baseline_p50_ms": med(base, "p50_ms"),
        "baseline_p95_ms": med(base, "p95_ms"),
        "intake_req_s": round(med(runs, "req_per_s")), "intake_created_s": round(med(runs, "created_per_s")),
        "intake_p50_ms": med(runs, "p50_ms"), "intake_p95_ms": med(runs, "p95_ms"),
        "intake_p99_ms": med(runs, "p99_ms"), "intake_non2xx": sum(r["non2xx"] for r in runs),
        "intake_runs_created_s": [round(r["created_per_s"]) for r in runs],
        "baseline_runs_req_s": [round(r["req_per_s"]) for r in base],
        "fixed_rate": args.rate, "fixed_achieved_s": med(fixed, "achieved_per_s"),
        "fixed_created": med(fixed, "created"), "fixed_p50_ms": med(fixed, "p50_ms"),
        "fixed_p95_ms": med(fixed, "p95_ms"), "fixed_p99_ms": med(fixed, "p99_ms"),
        "fixed_non2xx": sum(r["non2xx"] + r["errors"] for r in fixed),
        "fixed_runs_p95_ms": [r["p95_ms"] for r in fixed],
    }
    out["ratio"] = round(out["intake_created_s"] / out["baseline_req_s"], 3) if out["baseline_req_s"] else None
    (RESULTS / f"intake-{db_label()}.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
