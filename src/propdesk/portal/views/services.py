"""Special (paid) services: the published price list of the owner's projects and ordering one
(特约服务, PRODUCT.md areas 4 and 6)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from propdesk.service import ordering

from ..decorators import owner_view
from ..forms_services import OrderForm


def _group_by_project(items):
    groups = {}
    for item in items:
        groups.setdefault(item.project, []).append((item, ordering.PRICE_UNITS[item.unit]))
    return list(groups.items())


@owner_view
def service_list(request):
    return render(request, "portal/services.html", {
        "groups": _group_by_project(ordering.special_services_for_owner(request.owner))})


def _request_page(wo) -> str:
    """The owner's page of the work order (built by the requests part of the portal)."""
    for name in ("portal:request", "portal:request_detail"):
        try:
            return reverse(name, args=[wo.pk])
        except NoReverseMatch:
            continue
    return f"/portal/requests/{wo.pk}/"


@owner_view
def order(request, item_id: int):
    item = ordering.get_orderable_item(request.owner, item_id)
    homes = ordering.homes_for_item(request.owner, item)
    form = OrderForm(request.POST or None, item=item, homes=homes)
    if request.method == "POST" and form.is_valid():
        try:
            wo, created = ordering.order_special_service(
                request.owner, item_id=item.pk, unit_id=form.cleaned_data["unit"], when=form.when(),
                quantity=form.cleaned_data.get("quantity"), note=form.cleaned_data["note"],
                idempotency_key=form.cleaned_data["idempotency_key"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("date" if field == "when" else field if field in form.fields else None, errors)
        else:
            if created:
                messages.success(request, _("Ordered. Your order number is %(number)s; we will confirm the visit "
                                            "by phone.") % {"number": wo.number})
            return redirect(_request_page(wo))
    return render(request, "portal/service_order.html", {
        "item": item, "per": ordering.PRICE_UNITS[item.unit], "form": form,
        "area": homes[0].unit.area if len(homes) == 1 and item.unit == item.PriceUnit.SQM else None})
