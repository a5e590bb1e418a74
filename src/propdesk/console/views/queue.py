"""The service center's queue (PRODUCT.md area 2): most urgent first, with countdowns and colours."""

from django.shortcuts import render

from propdesk.org.selectors import building_choices, projects_for
from propdesk.quality import selectors as quality
from propdesk.quality.kpis import KPIS
from propdesk.service import desk
from propdesk.service import selectors as service_selectors
from propdesk.service.selectors import QueueFilter, QueueScope

from ..decorators import staff_view
from ..forms_quality import QualityFilterForm
from ..forms_service import QueueFilterForm
from ..pagination import quick_page

TABS = (QueueScope.MINE, QueueScope.TEAM, QueueScope.PROJECT)
# One screen of the most urgent work: the desk works from the top; older rows are a click away.
QUEUE_PAGE = 25


def _categories(user):
    seen = {}
    for project in projects_for(user):
        for category in service_selectors.categories_for(project):
            seen.setdefault(category.pk, category)
    return list(seen.values())


def default_tab(user) -> str:
    return QueueScope.MINE if user.role == user.Role.TECHNICIAN else QueueScope.PROJECT


def _kpi_drill(request) -> dict | None:
    """The work orders behind one KPI figure of the quality dashboard (?kpi=code&kpi_project=…&kpi_period=…)."""
    kpi = KPIS.get(request.GET.get("kpi", ""))
    if kpi is None:
        return None
    data = {k.removeprefix("kpi_"): v for k, v in request.GET.items() if k.startswith("kpi_")}
    form = QualityFilterForm(data, user=request.user, projects=projects_for(request.user))
    values = form.values()
    if values["project_id"] is None and not form.company:
        return None
    scope = quality.scope_for(request.user, values["project_id"])
    ids = quality.work_orders_behind(scope, kpi.code, values["period"]).values("pk")
    return {"kpi": kpi, "scope": scope, "period": values["period"], "ids": ids, "count": ids.count()}


@staff_view
def queue(request):
    """Tabs mine / my team / my project, or the manager's flags (?flag=manager); filters by GET."""
    user = request.user
    flag = request.GET.get("flag") == "manager"
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else default_tab(user)
    form = QueueFilterForm(request.GET, categories=_categories(user), buildings=building_choices(user),
                           staff=desk.dispatch_staff(user))
    values = form.values()
    drill = _kpi_drill(request) if request.GET.get("kpi") and not flag else None
    if drill is not None:
        tab = QueueScope.PROJECT
        orders = service_selectors.queue(user, QueueFilter(scope=tab, open_only=False, ids=drill["ids"]))
    elif flag:
        orders = service_selectors.needing_manager(user)
    else:
        show_all = values.pop("all", False)
        orders = service_selectors.queue(user, QueueFilter(scope=tab, open_only=not show_all, **{
            k: v for k, v in values.items() if v not in (None, "")}))
    page = quick_page(request, orders, per_page=QUEUE_PAGE)
    return render(request, "console/service/queue.html", {
        "page": page, "rows": desk.with_urgency(page.object_list), "form": form, "tab": tab, "tabs": TABS,
        "flag": flag, "drill": drill,
    })
