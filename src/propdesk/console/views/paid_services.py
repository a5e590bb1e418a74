"""Paid-service revenue by month, kept apart from property fees (PRODUCT.md area 4)."""

from django.shortcuts import render

from propdesk.org.selectors import projects_for
from propdesk.service import revenue

from ..decorators import staff_view
from ..forms_catalogue import RevenueFilterForm


@staff_view
def paid_services(request):
    form = RevenueFilterForm(request.GET, projects=projects_for(request.user))
    values = form.values()
    return render(request, "console/service/paid_services.html", {
        "form": form, "revenue": revenue.paid_service_orders(request.user, **values),
        "kind": values["kind"], "month": values["month"],
    })
