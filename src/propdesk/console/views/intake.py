"""Hotline intake on one screen (PRODUCT.md area 2): the caller's card from the phone number, the live
triage hint, and a save that a double submit cannot turn into two work orders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from propdesk.archive import selectors as archive_selectors
from propdesk.core.errors import NotFound
from propdesk.org.selectors import building_choices, get_project, projects_for
from propdesk.service import desk, services, triage
from propdesk.service import selectors as service_selectors

from ..decorators import staff_view
from ..forms import add_service_errors
from ..forms_service import IntakeForm


def _form(request, data=None, files=None):
    projects = list(projects_for(request.user))
    categories = {c.pk: c for p in projects for c in service_selectors.categories_for(p)}
    return IntakeForm(data, files, user=request.user, projects=projects, categories=list(categories.values()),
                      buildings=list(building_choices(request.user)))


@staff_view
def intake(request):
    if request.method != "POST":
        return render(request, "console/service/intake.html", {"form": _form(request)})
    form = _form(request, request.POST, request.FILES)
    if form.is_valid():
        try:
            wo, created = services.create_work_order(request.user, **form.service_data())
            if created:
                for photo in form.cleaned_data["photos"]:
                    services.add_attachment(request.user, wo, photo)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if created:
                messages.success(request, _("Work order %(number)s received.") % {"number": wo.number})
            else:
                messages.info(request, _("This call was already saved as %(number)s.") % {"number": wo.number})
            return redirect("console:work_order", wo.pk)
    return render(request, "console/service/intake.html", {"form": form})


@staff_view
def caller(request):
    """The caller's card(s) for the typed phone number (htmx fragment), each home a pick button."""
    result = archive_selectors.lookup(request.user, request.GET.get("contact_phone", ""))
    return render(request, "console/service/_caller.html", {"result": result})


@staff_view
def triage_hint(request):
    """What the triage makes of the description so far, with the promise to read out to the caller."""
    text = request.GET.get("description", "")
    project = None
    try:
        project = get_project(request.user, int(request.GET.get("project", "")))
    except (ValueError, NotFound):
        project = next(iter(projects_for(request.user)), None)
    suggestion = triage.suggest(text, project) if text.strip() and project else None
    minutes = desk.response_promise(project, suggestion.emergency) if suggestion else None
    return render(request, "console/service/_triage.html", {"s": suggestion, "minutes": minutes})
