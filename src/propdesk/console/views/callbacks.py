"""Callbacks due (回访): every resolved request gets a call and a 1–5 rating (PRODUCT.md area 2)."""

from django.shortcuts import render

from propdesk.service import selectors as service_selectors

from ..decorators import staff_view
from ..forms_service import CallbackForm
from ..pagination import quick_page


@staff_view
def callbacks(request):
    page = quick_page(request, service_selectors.callbacks_due(request.user))
    return render(request, "console/service/callbacks.html", {
        "page": page,
        "rows": [(wo, CallbackForm(initial={"version": wo.version}, prefix="callback", auto_id=f"cb{wo.pk}-%s"))
                 for wo in page.object_list],
    })
