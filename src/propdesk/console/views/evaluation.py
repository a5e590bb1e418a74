"""The quarterly staff evaluation (季度考核, PRODUCT.md area 7): a project's staff for a quarter beside the
project's averages, one member's detail with the manager's comment and "final", and the .xlsx export.
Who sees which rows is decided by propdesk.quality.evaluation (a staff member: only themselves)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from propdesk.org.selectors import projects_for
from propdesk.quality import evaluation
from propdesk.quality.evaluation_services import can_evaluate, save_evaluation
from propdesk.quality.excel import evaluation_workbook

from ..decorators import staff_view
from .transfer import xlsx_response


def _project_id(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _selection(request):
    """(project or None, quarter): the project asked for if the user may see it, else their first."""
    project = evaluation.project_for(request.user, _project_id(request.GET.get("project")))
    return project, evaluation.quarter_of(request.GET.get("quarter"))


@staff_view
def staff_list(request):
    project, period = _selection(request)
    rows, average = evaluation.figures(request.user, project, period) if project else ([], None)
    query = urlencode({"project": project.pk, "quarter": period.label}) if project else ""
    return render(request, "console/quality/staff_list.html", {
        "project": project, "period": period, "rows": rows, "average": average, "query": query,
        "projects": list(projects_for(request.user)), "quarter_code": evaluation.quarter_code(period)})


@staff_view
def staff_detail(request, project_id, staff_id):
    period = evaluation.quarter_of(request.POST.get("quarter") or request.GET.get("quarter"))
    project, row, average = evaluation.staff_figures(request.user, project_id, staff_id, period)
    error = None
    if request.method == "POST":
        try:
            save_evaluation(request.user, project, staff_id, period, request.POST.get("manager_comment", ""),
                            finalise=request.POST.get("finalise") == "1")
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:
            error = _("Only a project manager of this project can comment on an evaluation.")
        else:
            messages.success(request, _("Evaluation saved."))
            url = reverse("console:staff_evaluation", args=[project.pk, staff_id])
            return redirect(f"{url}?{urlencode({'quarter': period.label})}")
    can_edit = can_evaluate(request.user, row.evaluation)
    return render(request, "console/quality/staff_detail.html", {
        "project": project, "period": period, "row": row, "average": average, "error": error,
        "can_edit": can_edit, "comment": request.POST.get("manager_comment") if error else (
            row.evaluation.manager_comment if row.evaluation else "")}, status=400 if error else 200)


@staff_view
def staff_export(request):
    project, period = _selection(request)
    rows, average = evaluation.figures(request.user, project, period) if project else ([], None)
    name = f"staff-{project.code if project else 'none'}-{evaluation.quarter_code(period)}.xlsx"
    return xlsx_response(evaluation_workbook(project.name if project else "", period.label, rows, average), name)
