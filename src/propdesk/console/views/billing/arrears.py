"""Arrears (欠费): ageing per project, building and unit; the reminder ladder; payment plans; letters."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.billing import access, arrears, pdf, reminders, selectors
from propdesk.billing.models import ReminderAction
from propdesk.core.errors import Conflict
from propdesk.org import selectors as org_selectors

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_billing import PlanForm
from ...pagination import paginate, quick_page
from . import chosen_project


def _building(request, project):
    value = request.GET.get("building", "")
    if not (project and value.isdigit() and len(value) < 19):
        return None
    return org_selectors.buildings_for(request.user).filter(project=project, pk=int(value)).first()


@staff_view
def arrears_page(request):
    """The ageing of what is overdue (1–30, 31–90, 91–180, > 180 days) in a project, by building and by
    unit, most owed first; nothing here (or anywhere) cuts a service for arrears."""
    access.require_reader(request.user)
    project, projects = chosen_project(request)
    today = timezone.localdate()
    pid = project.pk if project else -1
    building = _building(request, project)
    bid = building.pk if building else None
    ageing = arrears.overview(request.user, pid, today, bid)
    page = quick_page(request, ageing.units)
    page.object_list = arrears.with_units(page.object_list, today)
    return render(request, "console/billing/arrears.html", {
        "project": project, "projects": projects, "today": today, "building": building,
        "total": ageing.total, "buildings": ageing.buildings, "page": page,
        "keep": [("building", bid)] if bid else []})


@staff_view
def reminder_ladder(request, project_id: int):
    """The project's ladder (days overdue → action, on/off) and the reminders sent lately."""
    access.require_reader(request.user)
    project = org_selectors.get_project(request.user, project_id)
    steps = reminders.ladder_for(project)
    errors = []
    if request.method == "POST":
        rows = []
        for step in steps:
            text = request.POST.get(f"days_{step.order}", "").strip()
            rows.append({"order": step.order, "days_overdue": int(text) if text.isdigit() and len(text) < 6 else None,
                         "is_active": request.POST.get(f"active_{step.order}") == "on"})
        try:
            reminders.save_ladder(request.user, project, rows)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Reminder ladder saved."))
            return redirect("console:reminder_ladder", project.pk)
    page = paginate(request, selectors.reminders_for(request.user, project.pk))
    return render(request, "console/billing/ladder.html", {
        "project": project, "steps": steps, "errors": errors, "page": page,
        "can_edit": access.can(request.user, access.clerks())}, status=200)


@staff_view
def reminder_letter(request, reminder_id: int):
    reminder = selectors.get_reminder(request.user, reminder_id)
    if reminder.action != ReminderAction.LETTER:
        raise Http404
    response = HttpResponse(pdf.letter_pdf(reminder), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{reminders.letter_filename(reminder)}"'
    return response


@staff_view
@require_POST
def unit_plan(request, unit_id: int):
    """Record a payment plan agreed with the payer: the ladder stops for the unit while it runs."""
    fees = selectors.unit_fees(request.user, unit_id)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            reminders.agree_plan(request.user, fees.unit, terms=form.cleaned_data["terms"],
                                 until=form.cleaned_data["until"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Payment plan recorded: reminders stop while it runs."))
            return redirect("console:unit_fees", fees.unit.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("console:unit_fees", fees.unit.pk)


@staff_view
@require_POST
def plan_end(request, plan_id: int):
    plan = selectors.get_plan(request.user, plan_id)
    try:
        reminders.end_plan(request.user, plan)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Payment plan ended."))
    return redirect("console:unit_fees", plan.unit_id)
