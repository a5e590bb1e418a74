"""Release passes at the desk and the guard's gate page (issue 13, item 3)."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.affairs import common, selectors
from propdesk.affairs import release as svc
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_affairs import PassForm, PhoneAuthorisationForm
from ...pagination import paginate
from ._helpers import act, int_param, refuse


@staff_view
def passes(request):
    projects = projects_for(request.user)
    form = PassForm(request.POST or None, projects=projects, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = get_project(request.user, d["project"])
            unit, _resident = common.resolve_unit(request.user, project.pk, d["unit"])
            applicant = common.resolve_customer(request.user, project.pk, d["customer"])
            p = svc.apply_pass(request.user, unit=unit, applicant=applicant, items=svc.items_from_text(d["items"]),
                               carrier=d["carrier"], carrier_phone=d["carrier_phone"], date=d["date"],
                               reason=d["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("console:affairs_pass", p.pk)
    page = paginate(request, selectors.passes_for(request.user, int_param(request, "project")))
    return render(request, "console/affairs/passes.html", {"page": page, "form": form})


@staff_view
def release_pass(request, pass_id: int):
    p = selectors.get_pass(request.user, pass_id)
    owners = common.current_owners(p.unit)
    return render(request, "console/affairs/pass.html", {
        "p": p, "verdict": svc.gate_verdict(p), "owners": owners,
        "auth_form": PhoneAuthorisationForm(owners=owners, items=p.items.all())})


@staff_view
@require_POST
def pass_authorise(request, pass_id: int):
    p = selectors.get_pass(request.user, pass_id)
    owners = common.current_owners(p.unit)
    form = PhoneAuthorisationForm(request.POST, owners=owners, items=p.items.all())
    back = reverse("console:affairs_pass", args=[p.pk])
    if not form.is_valid():
        return refuse(request, form, back)
    d = form.cleaned_data
    owner = next(o for o in owners if o.pk == d["owner"])
    quantities = {item.pk: d[name] for item, name in form.item_fields if d[name] is not None}
    return act(request, lambda: svc.authorise_by_phone(
        request.user, p, owner=owner, id_last4=d["id_last4"], phone=d["phone"], quantities=quantities,
        granted=d["granted"]), _("The owner's answer is recorded."), back)


@staff_view
@require_POST
def pass_cancel(request, pass_id: int):
    p = selectors.get_pass(request.user, pass_id)
    return act(request, lambda: svc.cancel_pass(request.user, p), _("Pass cancelled."),
               reverse("console:affairs_pass", args=[p.pk]))


# -- the gate ---------------------------------------------------------------------------------------

@staff_view
def gate(request):
    """The guard's phone page: a scanned or typed pass number, or a unit; what may pass and why not."""
    q = request.GET.get("q", "")
    answer = selectors.gate_lookup(request.user, q) if q.strip() else None
    return render(request, "console/affairs/gate.html", {"query": q, "answer": answer})


@staff_view
@require_POST
def gate_release(request, pass_id: int):
    p = selectors.get_pass(request.user, pass_id)
    quantities = {}
    for item in p.items.all():
        raw = request.POST.get(f"q{item.pk}", "").strip()
        if raw:
            try:
                quantities[item.pk] = int(raw)
            except ValueError:
                quantities[item.pk] = -1
    back = f"{reverse('console:gate')}?q={p.number}"
    return act(request, lambda: svc.release(request.user, p, quantities=quantities),
               _("Release entered in the register."), back)


@staff_view
def gate_plate(request):
    q = request.GET.get("q", "")
    answer = selectors.plate_lookup(request.user, q) if q.strip() else None
    return render(request, "console/affairs/gate_plate.html", {"query": q, "answer": answer})


@staff_view
def register(request):
    """The release register (物品放行登记表) on screen; its .xlsx is in exports."""
    page = paginate(request, selectors.register_entries(request.user, int_param(request, "project")))
    return render(request, "console/affairs/register.html", {"page": page})
