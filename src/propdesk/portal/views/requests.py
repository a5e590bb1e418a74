"""The owner's requests (PRODUCT.md areas 2 and 6): report a problem, follow it, confirm, rate.

Views parse and render only: what an owner may see comes from service.owner_selectors, what they
may do is checked by service.owner_actions.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict
from propdesk.service import owner_actions, owner_selectors

from ..decorators import owner_view
from ..forms_requests import NotFixedForm, RateForm, ReportForm, place_ids

PAGE_SIZE = 20


def _report_form(owner, data=None, files=None):
    units, buildings = owner_selectors.report_places(owner)
    return ReportForm(data, files, units=units, buildings=buildings,
                      categories=owner_selectors.report_categories(owner))


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@owner_view
def report(request):
    if request.method != "POST":
        return render(request, "portal/report.html", {"form": _report_form(request.owner)})
    form = _report_form(request.owner, request.POST, request.FILES)
    if form.is_valid():
        try:
            wo, created = owner_actions.report(request.owner, **form.service_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if created:
                messages.success(request, _("Thank you. Your request %(number)s has been received.") % {
                    "number": wo.number})
            return redirect("portal:request", wo.pk)
    return render(request, "portal/report.html", {"form": form}, status=200)


@owner_view
def triage_hint(request):
    """The emergency hint while the owner types (htmx fragment)."""
    unit_id, building_id = place_ids(request.GET.get("place", ""))
    hint = owner_selectors.triage_hint(request.owner, request.GET.get("description", ""), unit_id, building_id)
    return render(request, "portal/_triage.html", {"hint": hint})


@owner_view
def request_list(request):
    page = Paginator(owner_selectors.owner_work_orders(request.owner), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(wo, owner_selectors.state_words(wo), owner_selectors.last_update(wo)) for wo in page]
    return render(request, "portal/requests.html", {"page": page, "rows": rows})


@owner_view
def request_detail(request, work_order_id):
    p = owner_selectors.request_page(request.owner, work_order_id)
    return render(request, "portal/request_detail.html", {
        "p": p, "wo": p.work_order, "not_fixed_form": NotFixedForm(initial={"version": p.work_order.version}),
        "rate_form": RateForm()})


def _act(request, work_order_id, do):
    wo = owner_selectors.get_owner_work_order(request.owner, work_order_id)
    try:
        do(wo)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    except Conflict as exc:
        messages.error(request, exc.message)
    return redirect("portal:request", wo.pk)


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require_POST
@owner_view
def confirm(request, work_order_id):
    def do(wo):
        owner_actions.confirm(request.owner, wo, version=_version(request))
        messages.success(request, _("Thank you for confirming."))
    return _act(request, work_order_id, do)


@require_POST
@owner_view
def not_fixed(request, work_order_id):
    def do(wo):
        owner_actions.not_fixed(request.owner, wo, request.POST.get("note", ""), version=_version(request))
        messages.success(request, _("Sorry it is not fixed yet. We have reopened your request."))
    return _act(request, work_order_id, do)


@require_POST
@owner_view
def rate(request, work_order_id):
    def do(wo):
        owner_actions.rate(request.owner, wo, request.POST.get("rating"), request.POST.get("comment", ""))
        messages.success(request, _("Thank you for your rating."))
    return _act(request, work_order_id, do)


@owner_view
def photo(request, work_order_id, photo_id):
    """A photo of one of the owner's requests; never a public media URL."""
    attachment = owner_selectors.get_owner_photo(request.owner, work_order_id, photo_id)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
