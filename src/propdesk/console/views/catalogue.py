"""The price list (收费标准 / 特约服务价目表): every staff member reads it, managers keep it (PRODUCT.md area 4)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.org.selectors import get_project, projects_for
from propdesk.service import catalogue
from propdesk.service.ordering import PRICE_UNITS

from ..decorators import staff_view
from ..forms import add_service_errors
from ..forms_catalogue import PriceItemForm


def _project_filter(request):
    value = request.GET.get("project", "")
    return int(value) if value.isdigit() else None


@staff_view
def catalogue_list(request):
    project_id = _project_filter(request)
    items = catalogue.price_items_for(request.user, project_id)
    return render(request, "console/catalogue/list.html", {
        "items": [(item, PRICE_UNITS[item.unit]) for item in items], "projects": projects_for(request.user),
        "project_id": project_id, "can_manage": catalogue.can_manage(request.user),
    })


def _form_page(request, form, item=None):
    return render(request, "console/catalogue/form.html", {"form": form, "item": item})


@staff_view
def item_add(request):
    if not catalogue.can_manage(request.user):
        raise PermissionDenied
    projects = projects_for(request.user)
    if request.method != "POST":
        initial = {"project": _project_filter(request), "kind": "special"}
        return _form_page(request, PriceItemForm(projects=projects, initial=initial))
    form = PriceItemForm(request.POST, projects=projects)
    if form.is_valid():
        try:
            item = catalogue.save_price_item(request.user, get_project(request.user, form.cleaned_data["project"].pk),
                                             form.data_for_service())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s added to the price list.") % {"name": item.name})
            return redirect(f"{reverse('console:catalogue')}?project={item.project_id}")
    return _form_page(request, form)


@staff_view
def item_edit(request, item_id: int):
    item = catalogue.get_price_item(request.user, item_id)
    if not catalogue.can_manage(request.user):
        raise PermissionDenied
    projects = projects_for(request.user)
    if request.method != "POST":
        return _form_page(request, PriceItemForm(instance=item, projects=projects, editing=True), item)
    form = PriceItemForm(request.POST, instance=catalogue.get_price_item(request.user, item_id), projects=projects,
                         editing=True)
    if form.is_valid():
        try:
            catalogue.save_price_item(request.user, item.project, form.data_for_service(), item=item)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": item.name})
            return redirect(f"{reverse('console:catalogue')}?project={item.project_id}")
    return _form_page(request, form, item)


@staff_view
@require_POST
def item_publish(request, item_id: int):
    item = catalogue.get_price_item(request.user, item_id)
    catalogue.set_published(request.user, item, request.POST.get("published") == "1")
    return redirect(f"{reverse('console:catalogue')}?project={item.project_id}")
