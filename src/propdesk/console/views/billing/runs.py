"""Bill runs: open the month's run, preview it (in the worker, with a progress bar), post it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.billing import access, runs
from propdesk.billing.models import BillRun, FeeItem
from propdesk.core.errors import Conflict

from ...decorators import staff_view
from ...forms_billing import RunForm
from ...pagination import paginate
from . import chosen_project


@staff_view
def bill_runs(request):
    project, projects = chosen_project(request)
    today = timezone.localdate()
    form = RunForm(request.POST or None, projects=projects,
                   initial={"project": project, "month": today.replace(day=1)})
    if request.method == "POST":
        if not access.can(request.user, access.clerks()):
            raise PermissionDenied
        if form.is_valid():
            run = runs.open_run(request.user, form.cleaned_data["project"], form.cleaned_data["month"])
            return redirect("console:bill_run", run.pk)
    page = paginate(request, runs.runs_for(request.user, project.pk if project else -1))
    return render(request, "console/billing/runs.html", {
        "project": project, "projects": projects, "form": form, "page": page,
        "can_run": access.can(request.user, access.clerks())})


def _skip_label(code: str) -> str:
    return _(runs.SKIP_REASONS.get(code, code))


@staff_view
def bill_run(request, run_id: int):
    """The run: its state and progress, the preview (totals by item beside last month, skipped units and
    why, a page of units with their lines) and the buttons to preview again and to post."""
    run = runs.get_run(request.user, run_id)
    preview = run.preview or {}
    skipped = Paginator([(pk, label, _skip_label(code)) for pk, label, code in preview.get("skipped", [])], 50) \
        .get_page(request.GET.get("skipped"))
    units_page, unit_plans = None, []
    if run.status in (BillRun.Status.PREVIEWED, BillRun.Status.POSTED) and request.GET.get("lines"):
        from propdesk.org.models import Unit

        units = Unit.objects.filter(project=run.project).order_by("building__code", "entrance", "number")
        units_page = Paginator(units.values_list("id", flat=True), 50).get_page(request.GET.get("lines"))
        plans = runs.preview_lines(run, list(units_page))
        labels = dict(Unit.objects.filter(pk__in=list(units_page)).values_list("id", "number"))
        items = {i.pk: i.name for i in FeeItem.objects.filter(project=run.project)}
        unit_plans = [(p, labels.get(p.unit_id), [(items.get(x.fee_item_id), x) for x in p.lines]) for p in plans]
    return render(request, "console/billing/run.html", {
        "run": run, "preview": preview, "skipped": skipped, "units_page": units_page, "unit_plans": unit_plans,
        "skipped_counts": [(_skip_label(code), n) for code, n in preview.get("skipped_counts", {}).items()],
        "can_run": access.can(request.user, access.clerks())})


@staff_view
@require_POST
def bill_run_preview(request, run_id: int):
    run = runs.get_run(request.user, run_id)
    try:
        runs.start_preview(request.user, run)
    except Conflict as exc:
        messages.error(request, exc.message)
    return redirect("console:bill_run", run.pk)


@staff_view
@require_POST
def bill_run_post(request, run_id: int):
    run = runs.get_run(request.user, run_id)
    if not access.can(request.user, access.clerks()):
        raise PermissionDenied
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm posting the run."))
        return redirect("console:bill_run", run.pk)
    try:
        runs.start_posting(request.user, run, request.POST.get("digest", ""))
    except Conflict as exc:
        messages.error(request, exc.message)
    return redirect("console:bill_run", run.pk)


@staff_view
def bill_run_progress(request, run_id: int):
    """The progress bar (htmx polls it while the worker runs); when the run is done the page reloads."""
    run = runs.get_run(request.user, run_id)
    if not run.busy and request.headers.get("HX-Request"):
        response = HttpResponse("")
        response["HX-Redirect"] = reverse("console:bill_run", args=[run.pk])
        return response
    return render(request, "console/billing/_run_progress.html", {"run": run})
