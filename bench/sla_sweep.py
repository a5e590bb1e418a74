"""The SLA sweep over the 1,000,000-work-order dataset (bench/dataset.py): (a) nothing due, (b) 1,000
warnings/escalations falling due at once.

    .venv/bin/python bench/sla_sweep.py [--due 1000] [--rounds 3]      (DATABASE_URL for PostgreSQL)

The sweep runs with the dataset's reference time as "now" (at that moment every limit already past
was told by earlier sweeps). For (b) "now" moves forward to the moment when exactly --due more
limits (warnings + breaches) have passed; the sweep then claims each one, writes its timeline entry
and in-app notifications, each in its own transaction, as in production. After each round the
benchmark undoes what the sweep wrote (timer claims, timeline, notifications, queued tasks), so the
dataset stays the same for the next round and the next benchmark.
"""

import argparse
import json
import statistics
import time
from datetime import datetime

from _big import RESULTS, dataset_info, db_label, percentile, setup_django


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--due", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--idle-rounds", type=int, default=20)
    args = ap.parse_args()
    setup_django()
    from propdesk.service.models import SlaTimer
    from propdesk.service.sweep import sweep_sla

    info = dataset_info()
    anchor = datetime.fromisoformat(info["now"])
    running = SlaTimer.objects.filter(stopped_at__isnull=True, paused_at__isnull=True).count()
    print(f"SLA sweep on {db_label()}: {info['work_orders']:,} work orders, {SlaTimer.objects.count():,} timers, "
          f"{running:,} running", flush=True)

    idle = []
    for _ in range(args.idle_rounds):
        start = time.perf_counter()
        report = sweep_sla(now=anchor)
        idle.append((time.perf_counter() - start) * 1000)
        if report.warned or report.breached:
            raise SystemExit(f"the sweep at the dataset's time found work ({report}): was the dataset "
                             "changed? Re-generate it.")
    print(f"(a) nothing due: p50 {percentile(idle, 50):.2f} ms, max {max(idle):.2f} ms "
          f"({args.idle_rounds} sweeps)", flush=True)

    moment = _moment_with(anchor, args.due)
    # Warm up as a running worker is: URL conf, translations, first queries (one round, not counted).
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    marks = _marks()
    sweep_sla(now=moment)
    _undo(marks, moment)
    due = []
    for r in range(args.rounds):
        marks = _marks()
        start = time.perf_counter()
        report = sweep_sla(now=moment)
        ms = (time.perf_counter() - start) * 1000
        done = report.warned + report.breached
        due.append({"ms": ms, "warned": report.warned, "breached": report.breached, "per_s": done / ms * 1000})
        _undo(marks, moment)
        print(f"(b) round {r + 1}: {report.warned} warnings + {report.breached} escalations in {ms:.0f} ms "
              f"({done / ms * 1000:,.0f} timers/s)", flush=True)
        time.sleep(1)
    med = statistics.median(d["ms"] for d in due)
    out = {
        "benchmark": "sla_sweep", "database": db_label(), "work_orders": info["work_orders"],
        "idle_p50_ms": round(percentile(idle, 50), 2), "idle_max_ms": round(max(idle), 2),
        "due": due[0]["warned"] + due[0]["breached"], "due_median_ms": round(med, 1),
        "due_timers_per_s": round((due[0]["warned"] + due[0]["breached"]) / med * 1000),
        "due_runs_ms": [round(d["ms"], 1) for d in due],
    }
    (RESULTS / f"sla_sweep-{db_label()}.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out))
    return out


def _moment_with(anchor, n):
    """The earliest time after `anchor` by which `n` more warnings/escalations have fallen due."""
    from propdesk.service.models import SlaTimer

    base = SlaTimer.objects.filter(stopped_at__isnull=True, paused_at__isnull=True)
    warns = list(base.filter(warned_at__isnull=True, warn_at__gt=anchor).order_by("warn_at")
                 .values_list("warn_at", flat=True)[:n])
    dues = list(base.filter(breached_at__isnull=True, due_at__gt=anchor).order_by("due_at")
                .values_list("due_at", flat=True)[:n])
    moments = sorted(warns + dues)
    if len(moments) < n:
        raise SystemExit(f"only {len(moments)} limits fall due after the dataset's time")
    return moments[n - 1]


def _marks():
    from django_tasks_db.models import DBTaskResult

    from propdesk.core.models import TimelineEvent, TimelineLink
    from propdesk.notify.models import Notification

    return {m: (m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
            for m in (TimelineEvent, TimelineLink, Notification, DBTaskResult)}


def _undo(marks, moment):
    """Put the dataset back as it was: unclaim the timers, delete what the sweep wrote."""
    from django.db import transaction

    from propdesk.service.models import SlaTimer

    with transaction.atomic():
        SlaTimer.objects.filter(warned_at=moment).update(warned_at=None)
        SlaTimer.objects.filter(breached_at=moment).update(breached_at=None)
        for model, last in marks.items():
            model.objects.filter(pk__gt=last).delete()


if __name__ == "__main__":
    main()
