"""Shared set-up of the benchmarks on the generated 1,000,000-work-order dataset (bench/dataset.py)."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
VAR = ROOT / "var" / "bench"
DEFAULT_SQLITE = VAR / "service-1m.sqlite3"
SETTINGS = "settings_bench"
DATASET_KEY = "bench:dataset"


def env_for_django() -> dict:
    """The environment a child process (granian, a script) needs to load the bench settings."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(BENCH)] +
                                        ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PROPDESK_HOME"] = str(ROOT)
    if not env.get("DATABASE_URL"):
        env.setdefault("SQLITE_PATH", str(DEFAULT_SQLITE))
    return env


def setup_django():
    for p in (str(ROOT / "src"), str(BENCH)):
        if p not in sys.path:
            sys.path.insert(0, p)
    os.environ.update({k: v for k, v in env_for_django().items() if k in
                       ("DJANGO_SETTINGS_MODULE", "PROPDESK_HOME", "SQLITE_PATH")})
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.conf import settings

    assert not settings.DEBUG


def db_label() -> str:
    from django.db import connection

    return connection.vendor


def dataset_info() -> dict:
    """What bench/dataset.py stored about the dataset (its reference time, sizes), or stop."""
    from django.core.cache import cache

    info = cache.get(DATASET_KEY)
    if not info or not info.get("complete"):
        sys.exit("No complete benchmark dataset in this database: run bench/dataset.py first.")
    return info


def percentile(samples, p):
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def measure(fn, n):
    """Call fn n times; p50/p95/max in milliseconds."""
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"n": n, "p50_ms": round(percentile(samples, 50), 2), "p95_ms": round(percentile(samples, 95), 2),
            "max_ms": round(max(samples), 2)}
