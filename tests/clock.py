"""The test suite under a shifted clock: the same suite at the awkward instants of the calendar.

    PROPDESK_CLOCK=2027-01-01T00:05:00+08:00 pytest ...     # one instant
    python -m tests.clock                                   # the instants `make test-clock` runs at

With PROPDESK_CLOCK set, every pytest process (the controller and each xdist worker) starts at
configure time a `time_machine.travel(…, tick=True)` so that "now" is that instant when the run begins
and moves on with the real clock; tests that pin time themselves travel again inside it, as usual.
The shift is one offset in seconds from the real clock, computed once by the first process and passed
on in PROPDESK_CLOCK_OFFSET, so every worker and every served process agree on the time.

Processes the tests start (the fault drill's granian, task worker and scheduler, their manage.py
commands) are outside time-machine's reach: `faked_env()` adds libfaketime (Debian's `faketime`
package) to their environment with the same offset (FAKETIME="+N"). The monotonic clock stays real so
that timeouts and sleeps behave: tests/faketime_sleep.c, compiled on first use with the machine's gcc
and preloaded before libfaketime, sends monotonic sleeps straight to the kernel (libfaketime 0.9.10
breaks them: see that file). The database servers keep the real clock: propdesk reads "now" in Python
only (no SQL now(), no database defaults), which the suite relies on.

The instants are computed from the real date, always in the near future (a session cookie the server
dates in the shifted future is still valid for the real browser):
the 1st of next month at 00:05 Asia/Shanghai (the previous day in UTC), the last day of next month at
23:55, the next 29 February at 00:05, the next last day of March, June or September at 23:58, the next
31 December at 23:59, and the eve of the next Spring Festival (lunar calendar) at 20:00.
"""

import datetime as dt
import os
import subprocess
import time
from glob import glob
from pathlib import Path
from zoneinfo import ZoneInfo

CLOCK, OFFSET = "PROPDESK_CLOCK", "PROPDESK_CLOCK_OFFSET"
SH = ZoneInfo("Asia/Shanghai")
_FAKETIME_VARS = ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC", "FAKETIME_DONT_RESET")
_travel = None
_applied = 0  # the shift start() applied to this process, seconds


def offset() -> int | None:
    """Seconds between the shifted clock and the real one, or None when the clock is not shifted."""
    if os.environ.get(OFFSET):
        return int(os.environ[OFFSET])
    if not os.environ.get(CLOCK):
        return None
    at = dt.datetime.fromisoformat(os.environ[CLOCK])
    if at.tzinfo is None:
        raise ValueError(f"{CLOCK} needs a time zone offset, e.g. 2027-01-01T00:05:00+08:00")
    shift = round(at.timestamp() - time.time())
    os.environ[OFFSET] = str(shift)  # inherited by xdist workers and served processes
    return shift


def start() -> None:
    """Shift this process's clock when PROPDESK_CLOCK asks for it (pytest_configure)."""
    global _travel, _applied
    shift = offset()
    if shift is None or _travel is not None:
        return
    import time_machine

    _applied = shift
    _travel = time_machine.travel(dt.datetime.fromtimestamp(time.time() + shift, dt.UTC), tick=True)
    _travel.start()
    # time-machine's clock starts ticking at its first reading, not at start(): read it now, or a process
    # that first asks the time minutes later (the fault drill's harness after its set-up) lags the
    # served processes' libfaketime clock by those minutes.
    time.time()


def stop() -> None:
    global _travel, _applied
    if _travel is not None:
        _travel.stop()
        _travel, _applied = None, 0


def applied() -> int:
    """The shift of this process's own clock (0 when the run is not shifted)."""
    return _applied
_applied = 0  # the shift start() applied to this process, seconds


def libfaketime() -> str:
    found = sorted(glob("/usr/lib/*/faketime/libfaketime.so.1"))
    if not found:
        raise RuntimeError("a shifted clock for served processes needs libfaketime: apt-get install faketime")
    return found[0]


def sleep_fix() -> str:
    """The compiled tests/faketime_sleep.c (built once into var/, rebuilt when the source changes)."""
    source = Path(__file__).with_name("faketime_sleep.c")
    built = Path(__file__).resolve().parent.parent / "var" / "faketime" / "faketime_sleep.so"
    if not built.exists() or built.stat().st_mtime < source.stat().st_mtime:
        built.parent.mkdir(parents=True, exist_ok=True)
        partial = built.with_suffix(f".{os.getpid()}.tmp")
        subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-o", str(partial), str(source), "-ldl"], check=True)
        partial.replace(built)
    return str(built)


def faked_env(env: dict) -> dict:
    """`env` for a process that must see the shifted clock too (unchanged when it is not shifted)."""
    shift = offset()
    env = {k: v for k, v in env.items() if k not in _FAKETIME_VARS}
    if shift is None:
        return env
    return env | {"LD_PRELOAD": f"{sleep_fix()}:{libfaketime()}", "FAKETIME": f"{shift:+d}",
                  "FAKETIME_DONT_FAKE_MONOTONIC": "1"}


def real_env(env: dict) -> dict:
    """`env` without libfaketime: for the database server, which keeps the real clock."""
    return {k: v for k, v in env.items() if k not in _FAKETIME_VARS}


# -- the instants ------------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def spring_festival(year: int) -> dt.date:
    """The 1st day of the 1st lunar month of `year` (春节), from the lunar-calendar library."""
    from lunar_python import Lunar

    solar = Lunar.fromYmd(year, 1, 1).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def instants(now: dt.datetime | None = None) -> dict[str, dt.datetime]:
    """The awkward instants after `now` (real time), by name, in Asia/Shanghai."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(SH)
    at = lambda day, h, m: dt.datetime.combine(day, dt.time(h, m), SH)  # noqa: E731
    y, mo = now.year, now.month
    ny, nm = (y + 1, 1) if mo == 12 else (y, mo + 1)
    leap = next(year for year in range(y, y + 9) if year % 4 == 0 and (year % 100 or year % 400 == 0)
                and at(dt.date(year, 2, 29), 0, 5) > now)
    # The next end of March, June or September (December's is the year end below).
    q_end = next(at(_month_end(year, month), 23, 58) for year in (y, y + 1) for month in (3, 6, 9)
                 if at(_month_end(year, month), 23, 58) > now)
    year_end = at(dt.date(y, 12, 31), 23, 59)
    if year_end <= now:
        year_end = at(dt.date(y + 1, 12, 31), 23, 59)
    festival = spring_festival(y)
    if at(festival - dt.timedelta(days=1), 20, 0) <= now:
        festival = spring_festival(y + 1)
    return {
        "first-of-month-0005": at(dt.date(ny, nm, 1), 0, 5),
        "month-end-2355": at(_month_end(ny, nm), 23, 55),
        "leap-day-0005": at(dt.date(leap, 2, 29), 0, 5),
        "quarter-end-2358": q_end,
        "year-end-2359": year_end,
        "spring-festival-eve": at(festival - dt.timedelta(days=1), 20, 0),
    }


# The date-sensitive rules: the service-level tests of every rule that reads the date or the time (limits
# and the sweep, callbacks, KPIs and reports by month, surveys' closing, login codes, archive review, audit
# filters by day, the shifted clock itself; permits, passes, visitors and parking; bill periods, proration,
# the daily close and arrears; notices, activities, points, the care calendar and votes' deadlines).
# `make test` runs the whole suite at two instants (WHOLE_SUITE) and these at every other one. Pages, the
# API and the browser are left to the whole-suite runs: they read "now" only through these rules.
DATE_SENSITIVE = (
    "tests/test_clock.py",
    "tests/service/test_sla.py", "tests/service/test_sweep.py", "tests/service/test_scheduler.py",
    "tests/service/test_repairs_and_callbacks.py",
    "tests/quality/test_kpis.py", "tests/quality/test_report.py", "tests/quality/test_summaries.py",
    "tests/surveys/test_services.py", "tests/notify/test_queue.py",
    "tests/portal/test_login.py", "tests/portal/test_promises.py",
    "tests/archive/test_services.py", "tests/security/test_audit.py", "tests/console/test_service_queue.py",
    "tests/affairs/test_renovation.py", "tests/affairs/test_release.py", "tests/affairs/test_visitors.py",
    "tests/affairs/test_parking.py", "tests/affairs/test_handover.py",
    "tests/billing/test_runs.py", "tests/billing/test_calc.py", "tests/billing/test_standards.py",
    "tests/billing/test_payments.py",
    "tests/engage/test_planning.py", "tests/engage/test_care.py", "tests/engage/test_votes.py",
    "tests/engage/test_activities.py", "tests/engage/test_notices.py", "tests/engage/test_points.py",
)


# The instants at which `make test` runs the whole suite (SQLite, then PostgreSQL); the others run
# DATE_SENSITIVE only.
WHOLE_SUITE = ("first-of-month-0005", "month-end-2355")


if __name__ == "__main__":
    import sys

    args = sys.argv[1:]
    if args == ["--suites"]:
        print(" ".join(DATE_SENSITIVE))
    elif args[:1] == ["--at"]:
        print(instants()[args[1]].isoformat())
    else:
        for name, when in instants().items():
            if args != ["--others"] or name not in WHOLE_SUITE:
                print(name, when.isoformat())
