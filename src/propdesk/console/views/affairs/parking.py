"""Parking spaces, allocations and rentals expiring (issue 13, item 4)."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.affairs import common, selectors
from propdesk.affairs import parking as svc
from propdesk.core.errors import Conflict
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_affairs import AllocationForm, SpaceForm
from ...pagination import paginate
from ._helpers import act, int_param


@staff_view
def spaces(request):
    projects = projects_for(request.user)
    form = SpaceForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            space = svc.add_space(request.user, get_project(request.user, d["project"]), number=d["number"],
                                  zone=d["zone"], kind=d["kind"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("console:affairs_space", space.pk)
    project_id = int_param(request, "project")
    page = paginate(request, selectors.spaces_for(request.user, project_id))
    return render(request, "console/affairs/spaces.html", {
        "page": page, "form": form, "expiring": selectors.rentals_expiring(request.user, project_id=project_id)[:50]})


@staff_view
def space(request, space_id: int):
    s = selectors.get_space(request.user, space_id)
    form = AllocationForm(request.POST or None, initial={"kind": s.kind, "start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            unit, _resident = common.resolve_unit(request.user, s.project_id, d["unit"])
            customer = common.resolve_customer(request.user, s.project_id, d["customer"])
            svc.allocate(request.user, s, unit=unit, customer=customer, start_date=d["start_date"],
                         end_date=d["end_date"], plates=d["plates"], monthly_price=d["monthly_price"],
                         receipt=d["receipt"], kind=d["kind"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("console:affairs_space", s.pk)
    today = timezone.localdate()
    return render(request, "console/affairs/space.html", {
        "s": s, "form": form, "allocations": [(a, a.is_current(today)) for a in s.allocations.all()]})


@staff_view
@require_POST
def allocation_end(request, allocation_id: int):
    a = selectors.get_allocation(request.user, allocation_id)
    return act(request, lambda: svc.end_allocation(request.user, a), _("Allocation ended."),
               reverse("console:affairs_space", args=[a.space_id]))
