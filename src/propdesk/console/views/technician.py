"""A technician's own open jobs on a phone (PRODUCT.md area 2): respond, start, resolve, quote."""

from django.shortcuts import render

from propdesk.service import desk
from propdesk.service import selectors as service_selectors
from propdesk.service.workflow import allowed_actions

from ..decorators import staff_view
from ..forms_service import ConsentForm, QuoteForm

TECH_ACTIONS = ("respond", "start", "resolve")


@staff_view
def my_jobs(request):
    jobs = desk.with_urgency(service_selectors.jobs_for_technician(request.user)[:100])
    price_lists = {}
    for wo, _urgency in jobs:
        if wo.project_id not in price_lists:
            price_lists[wo.project_id] = list(service_selectors.price_list(wo.project))
    return render(request, "console/service/my_jobs.html", {
        "jobs": [(wo, u, [a for a in allowed_actions(wo.state) if a in TECH_ACTIONS],
                  QuoteForm(price_items=price_lists[wo.project_id], auto_id=f"q{wo.pk}-%s"))
                 for wo, u in jobs],
        "consent_form": ConsentForm(),
    })
