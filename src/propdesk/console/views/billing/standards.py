"""Fee items, standards, the project's billing settings, meter readings and the fees home page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.archive import selectors as archive_selectors
from propdesk.billing import access, dashboard, standards
from propdesk.billing.models import FeeItem
from propdesk.core.errors import Conflict

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_billing import FeeItemForm, ReadingForm, SettingsForm, StandardForm
from ...pagination import paginate
from . import chosen_project


def _to_items(project_id) -> str:
    return f"{reverse('console:fee_items')}?project={project_id}"


@staff_view
def fees_home(request):
    """The fees desk: find a unit to take a payment, and the project's figures of the day."""
    access.require_reader(request.user)
    project, projects = chosen_project(request)
    query = (request.GET.get("unit") or "").strip()
    found = []
    if query:
        found = [u for u in archive_selectors.lookup(request.user, query).units if project and u.project_id == project.pk]
        if len(found) == 1:
            return redirect("console:unit_fees", found[0].pk)
    return render(request, "console/billing/home.html", {
        "project": project, "projects": projects, "query": query, "found": found,
        "figures": dashboard.figures(request.user, project, timezone.localdate()) if project else None,
        "can": {"clerk": access.can(request.user, access.clerks()), "approve": access.can(request.user, access.approvers())},
    })


@staff_view
def fee_items(request):
    access.require_reader(request.user)
    project, projects = chosen_project(request)
    items = standards.fee_items_for(request.user, project.pk if project else -1).prefetch_related("standards")
    return render(request, "console/billing/items.html", {
        "project": project, "projects": projects, "items": items,
        "settings": standards.settings_for(project) if project else None,
        "can_edit": access.can(request.user, access.clerks()),
        "can_settings": access.can(request.user, access.approvers()),
    })


def _item_form_page(request, form, item=None):
    return render(request, "console/billing/item_form.html", {"form": form, "item": item})


@staff_view
def fee_item_add(request):
    if not access.can(request.user, access.clerks()):
        raise PermissionDenied
    project, projects = chosen_project(request)
    form = FeeItemForm(request.POST or None, projects=projects, initial={"project": project})
    if request.method == "POST" and form.is_valid():
        try:
            item = standards.save_fee_item(request.user, form.cleaned_data["project"], form.data_for_service())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s added. Now give it a standard.") % {"name": item.name})
            return redirect(_to_items(item.project_id))
    return _item_form_page(request, form)


@staff_view
def fee_item_edit(request, item_id: int):
    item = standards.get_fee_item(request.user, item_id)
    if not access.can(request.user, access.clerks()):
        raise PermissionDenied
    form = FeeItemForm(request.POST or None, instance=item, projects=None, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            standards.save_fee_item(request.user, item.project, form.data_for_service(),
                                    item=standards.get_fee_item(request.user, item_id))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": item.name})
            return redirect(_to_items(item.project_id))
    return _item_form_page(request, form, item)


@staff_view
def fee_standard_add(request, item_id: int):
    item = standards.get_fee_item(request.user, item_id)
    if not access.can(request.user, access.clerks()):
        raise PermissionDenied
    form = StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = standards.add_standard(request.user, item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Standard of %(item)s from %(start)s saved. Months already posted keep "
                                        "their bills.") % {"item": item.name, "start": standard.effective_from})
            return redirect(_to_items(item.project_id))
    return render(request, "console/billing/standard_form.html", {
        "form": form, "item": item, "standards": item.standards.order_by("unit_type", "-effective_from")})


@staff_view
def fee_settings(request, project_id: int):
    from propdesk.org.selectors import get_project

    project = get_project(request.user, project_id)
    if not access.can(request.user, access.approvers()):
        raise PermissionDenied
    current = standards.settings_for(project)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            standards.save_settings(request.user, project, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Billing settings saved."))
            return redirect(_to_items(project.pk))
    return render(request, "console/billing/settings.html", {"form": form, "project": project})


@staff_view
def meter_readings(request):
    """The month's readings of the project, the form to enter one, and the xlsx import."""
    access.require_reader(request.user)
    project, projects = chosen_project(request)
    items = FeeItem.objects.filter(project=project, kind=FeeItem.Kind.METERED, is_active=True)
    form = ReadingForm(request.POST or None, items=items)
    if request.method == "POST":
        if not access.can(request.user, access.clerks()):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            units = [u for u in archive_selectors.lookup(request.user, data["unit"]).units if u.project_id == project.pk]
            try:
                if len(units) != 1:
                    raise ValidationError({"unit": _("No such unit in %(project)s.") % {"project": project.name}})
                reading = standards.enter_reading(request.user, units[0], data["fee_item"], period=data["month"],
                                                  value=data["value"], read_on=data["read_on"],
                                                  previous=data["previous"])
            except (ValidationError, Conflict) as exc:
                if isinstance(exc, Conflict):
                    form.add_error(None, exc.message)
                else:
                    add_service_errors(form, exc)
            else:
                messages.success(request, _("Reading of %(unit)s saved: %(usage)s used.") % {
                    "unit": units[0].label, "usage": reading.usage})
                return redirect(f"{reverse('console:meter_readings')}?project={project.pk}")
    page = paginate(request, standards.readings_for(request.user, project.pk if project else -1))
    return render(request, "console/billing/readings.html", {
        "project": project, "projects": projects, "form": form, "page": page,
        "can_edit": access.can(request.user, access.clerks())})


@staff_view
@require_POST
def meter_readings_import(request):
    from propdesk.billing import excel_import

    access.require_reader(request.user)
    project, _projects = chosen_project(request)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose the .xlsx file to import."))
        report = excel_import.import_readings(request.user, project, upload)
    except ValidationError as exc:
        for message in exc.messages[:20]:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)s readings imported.") % {"count": report})
    return redirect(f"{reverse('console:meter_readings')}?project={project.pk}")
