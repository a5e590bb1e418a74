"""The quarterly staff evaluation (季度考核, PRODUCT.md area 7): each staff member's figures for one
project and one quarter, beside the project's averages. Every figure is an SQL aggregate grouped by
staff member (no Python loop over work orders); the formulas are those of kpis.py.

Who is evaluated: the active staff assigned to the project, project managers and company
administrators excepted (they are the evaluators). Who sees what is decided here, not in a template:
a project manager or a company administrator sees every evaluated member of a project they may see;
anybody else sees only their own row.

The figures, for work orders of the project received in the quarter (counted as in kpis.py: not
cancelled, not merged duplicates), per staff member:
- handled: the work orders assigned to them (`WorkOrder.assignee`, the person who did the work);
- response on time: of those, the ones whose response limit is decided (responded, or unanswered past
  the limit) and met — kpis' "met" and "decided", for every priority;
- resolution on time: of the complaints assigned to them, those whose resolution limit is decided and
  met (the complaints_on_time formula);
- average owner rating: the satisfaction KPI restricted to their work orders — the owner's last reached
  callback rating of their work orders called back in the quarter. The portal's own rating
  (`owner_rating`) is not counted, as it is not in the satisfaction KPI either, so the project's
  average equals the dashboard's satisfaction for the quarter;
- callbacks done: callbacks they made (`Callback.by`) in the quarter on the project's work orders,
  whether the owner was reached or not (a call not answered is work done too);
- complaints naming them: complaints received in the quarter whose description contains their name
  (family name + given name, as owners say it, at least two characters). Not the complaint's assignee:
  the assignee is whoever handles the complaint, not whom it is about. A namesake is counted too.

The project's averages: for the rates and the rating, the project's figure over all its work orders
(assigned or not); for the counts, their mean over the evaluated staff members.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Concat, Length
from django.utils import timezone

from propdesk.core.errors import NotFound
from propdesk.org.access import MANAGERS, has_role
from propdesk.org.models import User
from propdesk.org.selectors import get_project, projects_for
from propdesk.service.models import Callback, SlaTimer, WorkOrder

from . import kpis
from .evaluation_models import StaffEvaluation
from .periods import QUARTER, Period, parse


def quarter_code(period: Period) -> str:
    """'2026Q4': how a quarter is stored on a StaffEvaluation."""
    return f"{period.first.year}Q{(period.first.month - 1) // 3 + 1}"


def quarter_of(value: str | None, today=None) -> Period:
    """'2026Q4' or '2026-Q4'; anything else is the current quarter."""
    return parse(QUARTER, value, today=today)


@dataclass
class Figures:
    """One staff member's quarter (staff None: the project's averages)."""

    staff: User | None
    handled: Decimal | int = 0
    response: tuple = (0, 0)  # (met, decided)
    resolution: tuple = (0, 0)
    rating: tuple = (0, 0)  # (sum of ratings, work orders rated)
    callbacks: Decimal | int = 0
    complaints_naming: Decimal | int = 0
    evaluation: StaffEvaluation | None = field(default=None, repr=False)

    @property
    def response_rate(self) -> Decimal | None:
        return kpis.ratio(*self.response)

    @property
    def resolution_rate(self) -> Decimal | None:
        return kpis.ratio(*self.resolution)

    @property
    def average_rating(self) -> Decimal | None:
        return kpis.ratio(self.rating[0], self.rating[1], 1, "0.01")


def evaluated_staff(project):
    return User.objects.filter(projects=project, is_active=True).exclude(role__in=MANAGERS).exclude(
        is_superuser=True).order_by("last_name", "first_name", "username")


def visible_staff(user, project):
    """The evaluated staff of `project` that `user` may see: all of them for its managers, else oneself."""
    staff = evaluated_staff(project)
    return staff if has_role(user, MANAGERS) else staff.filter(pk=user.pk)


def project_for(user, project_id: int | None):
    """One of the user's projects: the one asked for if they may see it, else their first (or None)."""
    if project_id and (project := projects_for(user).filter(pk=project_id).first()):
        return project
    return projects_for(user).first()


def _by_assignee(project, start, end, now) -> dict:
    complaint = Q(kind=WorkOrder.Kind.COMPLAINT)
    qs = kpis.received([project.pk], start, end).annotate(
        **kpis.limit_annotations(SlaTimer.Kind.RESPOND, now, "resp"),
        **kpis.limit_annotations(SlaTimer.Kind.RESOLVE, now, "res"))
    rows = qs.order_by().values("assignee_id").annotate(
        handled=Count("pk"),
        resp_met=Count("pk", filter=Q(resp_met=True)), resp_dec=Count("pk", filter=Q(resp_decided=True)),
        res_met=Count("pk", filter=complaint & Q(res_met=True)),
        res_dec=Count("pk", filter=complaint & Q(res_decided=True)))
    return {r.pop("assignee_id"): r for r in rows}


def _ratings(project, start, end, now) -> dict:
    qs, _numerator = kpis.population("satisfaction", [project.pk], start, end, now)
    rows = qs.order_by().values("assignee_id").annotate(total=Sum("kpi_rating"), n=Count("pk"))
    return {r["assignee_id"]: (r["total"] or 0, r["n"]) for r in rows}


def _callbacks(project, start, end) -> dict:
    rows = Callback.objects.filter(work_order__project_id=project.pk, at__gte=start, at__lt=end).order_by(
    ).values("by_id").annotate(n=Count("pk"))
    return {r["by_id"]: r["n"] for r in rows}


def _complaints_naming(staff_qs, project, start, end) -> dict:
    naming = kpis.received([project.pk], start, end).filter(
        kind=WorkOrder.Kind.COMPLAINT, description__contains=OuterRef("said_name")).order_by().values(
        "project_id").annotate(n=Count("pk")).values("n")
    rows = staff_qs.annotate(said_name=Concat("last_name", "first_name")).annotate(
        said_name_length=Length("said_name")).annotate(naming=Case(
            When(said_name_length__gte=2, then=Coalesce(Subquery(naming), 0)), default=Value(0),
            output_field=IntegerField()))
    return dict(rows.values_list("pk", "naming"))


def _sum(rows, key) -> int:
    return sum(r[key] for r in rows)


def _mean(total, count) -> Decimal:
    return (Decimal(total) / count).quantize(Decimal("0.1")) if count else Decimal(0)


def figures(user, project, period: Period, now=None) -> tuple[list[Figures], Figures]:
    """(the rows `user` may see, the project's averages) for `project` and the quarter `period`."""
    now = now or timezone.now()
    start, end = period.bounds(project.timezone)
    everyone = list(evaluated_staff(project))
    visible = set(visible_staff(user, project).values_list("pk", flat=True))
    assigned, ratings = _by_assignee(project, start, end, now), _ratings(project, start, end, now)
    calls, naming = _callbacks(project, start, end), _complaints_naming(evaluated_staff(project), project, start, end)
    evaluations = {e.staff_id: e for e in StaffEvaluation.objects.filter(
        project=project, quarter=quarter_code(period), staff_id__in=visible).select_related("finalised_by")}
    empty = {"handled": 0, "resp_met": 0, "resp_dec": 0, "res_met": 0, "res_dec": 0}
    rows = []
    for person in everyone:
        a = assigned.get(person.pk, empty)
        rows.append(Figures(person, a["handled"], (a["resp_met"], a["resp_dec"]), (a["res_met"], a["res_dec"]),
                            ratings.get(person.pk, (0, 0)), calls.get(person.pk, 0), naming.get(person.pk, 0),
                            evaluations.get(person.pk)))
    groups, rated = list(assigned.values()), list(ratings.values())
    n = len(everyone)
    average = Figures(
        None, _mean(sum(r.handled for r in rows), n), (_sum(groups, "resp_met"), _sum(groups, "resp_dec")),
        (_sum(groups, "res_met"), _sum(groups, "res_dec")), (sum(t for t, _n in rated), sum(c for _t, c in rated)),
        _mean(sum(r.callbacks for r in rows), n), _mean(sum(r.complaints_naming for r in rows), n))
    return [r for r in rows if r.staff.pk in visible], average


def staff_figures(user, project_id: int, staff_id: int, period: Period, now=None) -> tuple:
    """(project, the staff member's Figures, the project's averages) — NotFound when `user` may not see
    that project or that staff member's evaluation (another project's, or a colleague's)."""
    project = get_project(user, project_id)
    if not visible_staff(user, project).filter(pk=staff_id).exists():
        raise NotFound
    rows, average = figures(user, project, period, now)
    row = next((r for r in rows if r.staff.pk == staff_id), None)
    if row is None:
        raise NotFound
    return project, row, average
