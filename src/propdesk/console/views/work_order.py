"""One work order: facts, limits, photos, quote and consent, measures, notes, duplicates, the timeline,
and one form per action the state machine allows (PRODUCT.md area 2)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict
from propdesk.service import desk, services, transitions
from propdesk.service import selectors as service_selectors
from propdesk.service.models import SlaTimer, WorkOrder
from propdesk.service.workflow import ACTION_LABELS, OPEN_STATES, A

from ..decorators import staff_view
from ..forms import add_service_errors
from ..forms_service import ACTION_FORMS, ConsentForm, MeasureForm, NoteForm, QuoteForm, action_form

QUOTABLE = (WorkOrder.Kind.REPAIR_HOME, WorkOrder.Kind.REPAIR_PUBLIC, WorkOrder.Kind.SPECIAL_SERVICE)
CHOOSES_PEOPLE = (A.DISPATCH, A.TRANSFER, A.ACCEPT_TRANSFER)


def _choices(user, wo, actions):
    if not any(a in CHOOSES_PEOPLE for a in actions):
        return [], []
    return list(desk.dispatch_staff(user, wo.project_id)), list(desk.departments_for(user, wo.project_id))


def _resolve_is_late(timers) -> bool:
    """The late-explanation field shows only when the resolve limit has already passed."""
    return any(t.kind == SlaTimer.Kind.RESOLVE and t.stopped_at is None and desk.urgency_of([t]).level == "late"
               for t in timers)


def _action_forms(user, wo, timers, actions, bound=None):
    staff, departments = _choices(user, wo, actions)
    forms = []
    for action in actions:
        form = bound if bound is not None and bound.prefix == action else action_form(
            action, wo=wo, staff=staff, departments=departments)
        if action == A.RESOLVE and not _resolve_is_late(timers) and not form.errors.get("late_explanation"):
            form.fields.pop("late_explanation", None)
        forms.append((action, ACTION_LABELS[action], form))
    return forms


def page_context(request, work_order_id: int, bound=None, **forms) -> dict:
    page = service_selectors.work_order_page(request.user, work_order_id)
    wo = page.work_order
    quotable = wo.kind in QUOTABLE and wo.state in OPEN_STATES
    price_items = list(service_selectors.price_list(wo.project)) if quotable else []
    return {
        "p": page, "wo": wo,
        "timers": [(t, desk.urgency_of([t])) for t in page.timers],
        "urgency": desk.urgency_of(page.timers),
        "action_forms": _action_forms(request.user, wo, page.timers, page.actions, bound),
        "quote_form": forms.get("quote_form") or (QuoteForm(price_items=price_items) if price_items else None),
        "consent_form": forms.get("consent_form") or ConsentForm(initial={
            "consent_by": wo.requester.name if wo.requester_id else wo.contact_name}),
        "measure_form": forms.get("measure_form") or MeasureForm(),
        "note_form": forms.get("note_form") or NoteForm(),
    }


@staff_view
def work_order(request, work_order_id: int):
    return render(request, "console/service/work_order.html", page_context(request, work_order_id))


def _back(request, wo) -> str:
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return reverse("console:work_order", args=[wo.pk])


def _errors_text(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@require_POST
@staff_view
def act(request, work_order_id: int, action: str):
    """One action of the state machine; a stale version or a forbidden action shows the conflict."""
    if action not in ACTION_FORMS:
        raise Http404
    wo = service_selectors.get_work_order(request.user, work_order_id)
    staff, departments = _choices(request.user, wo, [action])
    form = action_form(action, request.POST, wo=wo, staff=staff, departments=departments,
                       prefix=request.POST.get("prefix", "1") != "0")
    if form.is_valid():
        try:
            wo = transitions.transition(request.user, wo, action, version=form.cleaned_data["version"],
                                        note=form.cleaned_data.get("note") or "", **form.params())
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect(_back(request, wo))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(action)s: work order %(number)s is now %(state)s.") % {
                "action": ACTION_LABELS[action], "number": wo.number, "state": wo.get_state_display()})
            return redirect(_back(request, wo))
    if request.POST.get("next"):  # from the technician's or the callback page: say it there
        messages.error(request, _errors_text(form))
        return redirect(_back(request, wo))
    return render(request, "console/service/work_order.html",
                  page_context(request, work_order_id, bound=form), status=400)


def _write(request, work_order_id, form_name, form, call):
    """Validate `form`, run the service `call`; errors show on the page, success goes back to it."""
    wo = service_selectors.get_work_order(request.user, work_order_id)
    if form.is_valid():
        try:
            call(wo, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back(request, wo))
    if request.POST.get("next"):
        messages.error(request, _errors_text(form))
        return redirect(_back(request, wo))
    return render(request, "console/service/work_order.html",
                  page_context(request, work_order_id, **{form_name: form}), status=400)


@require_POST
@staff_view
def quote(request, work_order_id: int):
    wo = service_selectors.get_work_order(request.user, work_order_id)
    form = QuoteForm(request.POST, price_items=service_selectors.price_list(wo.project))
    return _write(request, work_order_id, "quote_form", form,
                  lambda wo, f: services.record_quote(request.user, wo, **f.service_data()))


@require_POST
@staff_view
def consent(request, work_order_id: int):
    return _write(request, work_order_id, "consent_form", ConsentForm(request.POST),
                  lambda wo, f: services.record_consent(request.user, wo, **f.cleaned_data))


@require_POST
@staff_view
def measure(request, work_order_id: int):
    return _write(request, work_order_id, "measure_form", MeasureForm(request.POST),
                  lambda wo, f: services.add_measure(request.user, wo, **f.cleaned_data))


@require_POST
@staff_view
def note(request, work_order_id: int):
    return _write(request, work_order_id, "note_form", NoteForm(request.POST),
                  lambda wo, f: services.add_note(request.user, wo, f.cleaned_data["text"]))


@staff_view
def photo(request, work_order_id: int, photo_id: int):
    """A photo of a work order in the user's projects (404 otherwise); uploads have no public URL."""
    attachment = service_selectors.get_work_order_photo(request.user, work_order_id, photo_id)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
