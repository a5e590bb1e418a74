"""The shifted clock of the test runs (tests/clock.py): the instants, and served processes that share it."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import clock

SH = clock.SH


def test_the_instants_are_the_awkward_ones_and_all_ahead():
    now = dt.datetime(2026, 12, 5, 11, 0, tzinfo=SH)
    found = clock.instants(now)
    assert {k: v.isoformat() for k, v in found.items()} == {
        "first-of-month-0005": "2027-01-01T00:05:00+08:00",
        "month-end-2355": "2027-01-31T23:55:00+08:00",
        "leap-day-0005": "2028-02-29T00:05:00+08:00",
        "quarter-end-2358": "2027-03-31T23:58:00+08:00",
        "year-end-2359": "2026-12-31T23:59:00+08:00",
        "spring-festival-eve": "2027-02-05T20:00:00+08:00",
    }
    # The 1st at 00:05 in Shanghai is still the previous day in UTC: the case that broke the suite.
    assert found["first-of-month-0005"].astimezone(dt.UTC).date() == dt.date(2026, 12, 31)
    later = clock.instants(dt.datetime(2027, 2, 5, 21, 0, tzinfo=SH))  # just past the festival eve
    assert later["spring-festival-eve"].date() == dt.date(2028, 1, 25)
    assert later["leap-day-0005"].date() == dt.date(2028, 2, 29)
    assert all(when > now for when in found.values())


def test_spring_festival_dates_from_the_lunar_calendar():
    assert clock.spring_festival(2027) == dt.date(2027, 2, 6)
    assert clock.spring_festival(2028) == dt.date(2028, 1, 26)


def test_a_served_process_sees_the_shifted_clock_and_can_still_sleep_and_wait(monkeypatch):
    try:
        clock.libfaketime()
    except RuntimeError:
        pytest.skip("Debian's faketime is missing (the Makefile's system-deps installs it)")
    monkeypatch.delenv(clock.CLOCK, raising=False)
    monkeypatch.setenv(clock.OFFSET, str(400 * 86400))
    env = clock.faked_env(dict(os.environ))
    code = ("import time, threading, datetime; time.sleep(0.05); threading.Event().wait(0.05); "
            "print(datetime.datetime.now(datetime.UTC).timestamp())")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=20, check=True)
    seen = float(out.stdout)
    expected = dt.datetime.now(dt.UTC).timestamp() + 400 * 86400 - clock.applied()
    assert abs(seen - expected) < 60
    assert "LD_PRELOAD" not in clock.real_env(env)


def test_the_shifted_clock_ticks_from_the_start_not_from_its_first_reading():
    """A process that asks the time a while after start() agrees with the served processes (real + offset)."""
    code = ("import time, time_machine; from tests import clock; clock.start(); "
            "time.sleep(1.5); "
            "print(time.time() - time_machine.escape_hatch.time.time() - clock.applied())")
    env = {k: v for k, v in os.environ.items() if k != clock.OFFSET} | {
        clock.CLOCK: "2028-02-29T00:05:00+08:00", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=20, check=True)
    assert abs(float(out.stdout)) < 0.5  # 1.5 s behind when the clock started at its first reading


def test_the_date_sensitive_list_names_test_files_that_exist_and_the_whole_runs_are_instants():
    # `make test-clock` passes these paths to pytest: a renamed file would silently drop its rule's check.
    root = Path(__file__).resolve().parent.parent
    missing = [p for p in clock.DATE_SENSITIVE if not (root / p).is_file()]
    assert not missing, missing
    assert set(clock.WHOLE_SUITE) < set(clock.instants())
