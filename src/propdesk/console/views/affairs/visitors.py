"""The gate's visitor page: register, recall, check out (issue 13, item 5). Fits a 375 px phone; every field is
reachable by keyboard in the order a guard fills it, and a scanner's text + Enter submits."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.affairs import selectors
from propdesk.affairs import visitors as svc
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_affairs import VisitorForm
from ._helpers import act


@staff_view
def visitors(request):
    projects = list(projects_for(request.user))
    initial = {"project": projects[0].pk} if projects else {}
    form = VisitorForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit = svc.register_visit(
                request.user, get_project(request.user, d["project"]), unit_text=d["unit"], name=d["name"],
                id_number=d["id_number"], phone=d["phone"], purpose=d["purpose"], plate=d["plate"],
                people=d["people"], code=d["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s registered for %(unit)s.") % {
                "name": visit.visitor.name, "unit": visit.unit.label})
            return redirect("console:gate_visitors")
    on_site = selectors.visits_for(request.user, on_site_only=True)[:50]
    return render(request, "console/affairs/visitors.html", {"form": form, "on_site": on_site})


@staff_view
def visitor_recall(request):
    """htmx: the visitor a typed phone or ID number recalls (name filled in for the guard)."""
    project_id = request.GET.get("project", "")
    text = request.GET.get("id_number") or request.GET.get("phone") or ""
    visitor = None
    if project_id.isdigit() and text.strip():
        project = get_project(request.user, int(project_id))
        visitor = svc.recall(project.pk, text)
    return render(request, "console/affairs/_recalled.html", {"visitor": visitor})


@staff_view
@require_POST
def visit_checkout(request, visit_id: int):
    visit = selectors.get_visit(request.user, visit_id)
    return act(request, lambda: svc.check_out(request.user, visit), _("Checked out."), reverse("console:gate_visitors"))
