"""The care calendar (关怀, issue 15 item 4): the year's festivals on their lunar and solar dates, who is to
be greeted and visited before each, the greetings' wording, the coming birthdays; greetings are sent
from here after a confirmation."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.engage.care import selectors, services
from propdesk.engage.models import Occasion
from propdesk.engage.points.selectors import get_customer
from propdesk.org.access import ARCHIVE_EDITORS, has_role
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view


def _project(request):
    projects = list(projects_for(request.user))
    wanted = request.GET.get("project") or request.POST.get("project")
    chosen = next((p for p in projects if str(p.pk) == wanted), projects[0] if projects else None)
    return projects, chosen


@staff_view
def care_calendar(request):
    projects, project = _project(request)
    today = timezone.localdate()
    return render(request, "console/engage/care/calendar.html", {
        "projects": projects, "project": project, "today": today,
        "rows": selectors.year_ahead(project, today) if project else [],
        "birthdays": selectors.birthdays_ahead(project, today) if project else [],
        "can_send": has_role(request.user, ARCHIVE_EDITORS)})


@staff_view
def care_greet(request, project_id: int, occasion: str, day: str):
    """GET: how many are to be greeted and the wording, to confirm; POST: send."""
    project = get_project(request.user, project_id)
    if not has_role(request.user, ARCHIVE_EDITORS):
        raise PermissionDenied
    try:
        when = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    if occasion not in Occasion.values:
        raise Http404
    if request.method == "POST":
        try:
            sent = services.send_greetings(request.user, project, occasion, when)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)d greetings sent.") % {"n": sent})
        return redirect(f"{reverse('console:care_calendar')}?project={project.pk}")
    people = services.recipients(project, occasion, when)
    template = services.templates_for(project)[occasion]
    preview = template.text.replace("{name}", people[0].name if people else "王先生").replace("{project}", project.name)
    label = Occasion(occasion).label
    return render(request, "console/engage/care/greet.html", {
        "project": project, "occasion": occasion, "label": label, "day": when, "people": people[:50],
        "count": len(people), "template": template, "preview": preview})


@staff_view
def care_templates(request):
    projects, project = _project(request)
    if project is None:
        raise Http404
    templates = services.templates_for(project)
    if request.method == "POST":
        wanted = {o: (request.POST.get(f"text-{o}", ""), request.POST.get(f"active-{o}") == "on")
                  for o in Occasion.values}
        try:
            services.save_templates(request.user, project, wanted)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Greetings saved."))
            return redirect(f"{request.path}?project={project.pk}")
    return render(request, "console/engage/care/templates.html", {
        "projects": projects, "project": project, "templates": [templates[o] for o in Occasion.values],
        "can_edit": has_role(request.user, ARCHIVE_EDITORS)})


@staff_view
@require_POST
def customer_greetings(request, customer_id: int):
    """The desk records an owner's wish to receive greetings or not."""
    customer = get_customer(request.user, customer_id)
    services.set_greetings_opt_out(request.user, customer, request.POST.get("opt_out") == "1")
    messages.success(request, _("Greetings preference saved."))
    return redirect("console:customer_detail", customer.pk)
