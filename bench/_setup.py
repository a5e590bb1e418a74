"""Shared set-up for benchmarks: a database of their own, migrated and loaded with the demo data."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def django_for_bench(name: str):
    """Configure Django on a benchmark database (SQLite file, or DATABASE_URL when set)."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "propdesk.settings.dev")
    os.environ.setdefault("SQLITE_PATH", str(ROOT / "var" / f"bench-{name}.sqlite3"))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log growing during the run
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo", verbosity=0)
    RESULTS.mkdir(parents=True, exist_ok=True)


def backend_name() -> str:
    from django.db import connection

    return connection.vendor


def percentile(samples, p):
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, value
