"""Reads of the quality figures, scoped to the user: a project's, or the company's (admins only)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied

from propdesk.org.access import ADMINS, has_role
from propdesk.org.selectors import get_project, projects_for

from . import kpis, summaries
from .models import KpiTarget
from .periods import Period, trailing_months


@dataclass
class Scope:
    """What the figures are about: one project, or every project of the company (project None)."""

    project: object | None
    project_ids: list[int]
    tz_name: str

    @property
    def label(self) -> str:
        return self.project.name if self.project else ""


def scope_for(user, project_id: int | None) -> Scope:
    """One of the user's projects (NotFound otherwise), or the company view, for company admins only."""
    if project_id:
        project = get_project(user, project_id)
        return Scope(project, [project.pk], project.timezone)
    if not has_role(user, ADMINS):
        raise PermissionDenied
    projects = list(projects_for(user))
    zones = {p.timezone for p in projects}
    tz_name = zones.pop() if len(zones) == 1 else settings.TIME_ZONE
    return Scope(None, [p.pk for p in projects], tz_name)


def targets_for(scope: Scope) -> dict:
    """A project's own targets over the defaults; the company view uses the defaults."""
    if scope.project is None:
        return {}
    return dict(KpiTarget.objects.filter(project_id=scope.project.pk).values_list("code", "target"))


def figures(scope: Scope, period: Period, now=None) -> dict[str, kpis.KpiValue]:
    start, end = period.bounds(scope.tz_name)
    return kpis.compute(scope.project_ids, start, end, targets=targets_for(scope), now=now)


def trend(scope: Scope, period: Period, months: int = 12, now=None) -> list[tuple[Period, dict]]:
    """The figures of the `months` calendar months ending with the period's last month: closed months
    from the summary table (quality.summaries), the current one computed live."""
    periods = trailing_months(period.last, months)
    values = summaries.trend_months(scope.project_ids, periods, scope.tz_name, targets=targets_for(scope), now=now)
    return list(zip(periods, values, strict=True))


def work_orders_behind(scope: Scope, code: str, period: Period, now=None):
    start, end = period.bounds(scope.tz_name)
    return kpis.work_orders_behind(code, scope.project_ids, start, end, now)


def today_in(scope: Scope) -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(scope.tz_name)).date()
