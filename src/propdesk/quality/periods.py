"""Reporting periods (月 / 季度 / 自定义) cut at midnight in the project's local time.

A period is a pair of local dates [first, last]; `bounds()` turns it into the half-open interval of
instants [start, end) in the project's time zone (Asia/Shanghai by default), so a work order
received at 23:50 on the 31st in Shanghai (15:50 UTC) belongs to that month, not to the next.
"""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

MONTH, QUARTER, RANGE = "month", "quarter", "range"


@dataclass(frozen=True)
class Period:
    kind: str
    first: dt.date
    last: dt.date

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        return f"{self.first:%Y-%m-%d} – {self.last:%Y-%m-%d}"

    def bounds(self, tz_name: str | None = None) -> tuple[dt.datetime, dt.datetime]:
        """[start, end): local midnight of the first day and of the day after the last."""
        tz = ZoneInfo(tz_name or settings.TIME_ZONE)
        start = dt.datetime.combine(self.first, dt.time.min, tz)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time.min, tz)
        return start, end


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def month(year: int, month_no: int) -> Period:
    first = dt.date(year, month_no, 1)
    return Period(MONTH, first, _next_month(first) - dt.timedelta(days=1))


def quarter(year: int, quarter_no: int) -> Period:
    first = dt.date(year, 3 * (quarter_no - 1) + 1, 1)
    last = _next_month(_next_month(_next_month(first))) - dt.timedelta(days=1)
    return Period(QUARTER, first, last)


def date_range(first: dt.date, last: dt.date) -> Period:
    if last < first:
        first, last = last, first
    return Period(RANGE, first, last)


def parse(kind: str | None, value: str | None, first: str | None = None, last: str | None = None,
          today: dt.date | None = None) -> Period:
    """A period from the dashboard's query: month=2026-10, quarter=2026-Q4 or range from/to (ISO
    dates). Anything unreadable falls back to the current month (of `today`, by default the local date
    in settings.TIME_ZONE)."""
    today = today or timezone.localdate()
    value = (value or "").strip()
    try:
        if kind == QUARTER and (m := re.fullmatch(r"(\d{4})-?Q([1-4])", value, re.I)):
            return quarter(int(m[1]), int(m[2]))
        if kind == RANGE and first and last:
            return date_range(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
            return month(int(m[1]), int(m[2]))
    except ValueError:
        pass
    if kind == QUARTER:
        return quarter(today.year, (today.month - 1) // 3 + 1)
    return month(today.year, today.month)


def trailing_months(last: dt.date, count: int = 12) -> list[Period]:
    """The `count` calendar months ending with the month of `last`, oldest first."""
    periods, year, month_no = [], last.year, last.month
    for _ in range(count):
        periods.append(month(year, month_no))
        year, month_no = (year - 1, 12) if month_no == 1 else (year, month_no - 1)
    return periods[::-1]
