"""Approvals of corrections, refunds and deposit releases (a manager, not the requester), deposits held."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.billing import access, corrections, selectors
from propdesk.core.errors import Conflict

from ...decorators import staff_view
from ...forms_billing import DecideForm
from ...pagination import paginate
from . import chosen_project


@staff_view
def fee_approvals(request):
    project, projects = chosen_project(request)
    show_all = request.GET.get("all") == "1"
    rows = selectors.requests_for(request.user, project.pk if project else -1, pending_only=not show_all)
    return render(request, "console/billing/approvals.html", {
        "project": project, "projects": projects, "rows": rows, "show_all": show_all,
        "can_approve": access.can(request.user, access.approvers())})


@staff_view
@require_POST
def fee_decide(request, kind: str, request_id: int):
    row = selectors.get_request(request.user, kind, request_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Approve or reject."))
    else:
        try:
            corrections.decide(request.user, row, approve=form.cleaned_data["decision"] == "approve",
                               note=form.cleaned_data["note"])
        except (ValidationError, Conflict) as exc:
            messages.error(request, exc.message if isinstance(exc, Conflict) else "；".join(exc.messages))
        else:
            messages.success(request, _("Decision recorded."))
    return redirect(f"{reverse('console:fee_approvals')}?project={row.project_id}")


@staff_view
def deposits(request):
    project, projects = chosen_project(request)
    status = request.GET.get("status") or None
    page = paginate(request, selectors.deposits_for(request.user, project.pk if project else -1, status))
    return render(request, "console/billing/deposits.html", {"project": project, "projects": projects,
                                                              "page": page, "status": status})
