"""Public affairs in the owner portal (issue 13, item 7): handover status, renovation application and
progress, release passes and their authorisation, the hold on a let home, visitor pre-registration, and
the lost-and-found notice board."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.affairs import attachments, documents, owner_selectors, release, renovation, visitors
from propdesk.affairs.selectors import warranty_open
from propdesk.archive.models import Occupancy
from propdesk.core.errors import Conflict, NotFound

from ..decorators import owner_view
from ..forms_affairs import AuthoriseForm, PassForm, RenovationForm, VisitorForm

RENOVATION_FIELDS = ("scope", "contractor", "foreman", "foreman_phone", "workers", "planned_start", "planned_end",
                     "fire_filing_ref")


def _add_errors(form, exc: ValidationError):
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _report(request, call, success: str) -> None:
    """Run one service call; show its refusal, or `success`, as a message."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


def _owner_record(request, unit_id: int):
    """The signed-in person's archive record as a current owner of the unit, or None."""
    return next((o.customer for o in request.owner.occupancies
                 if o.unit_id == unit_id and o.role == Occupancy.Role.OWNER), None)


@owner_view
def affairs_home(request):
    owner = request.owner
    owned = owner_selectors.owned_units(owner)
    let_units = [u for u in owned if any(o.unit_id == u.pk and o.role == Occupancy.Role.TENANT
                                         for o in Occupancy.objects.current().filter(unit=u))]
    return render(request, "portal/affairs/home.html", {
        "handovers": owner_selectors.handovers(owner)[:10], "renovations": owner_selectors.renovations(owner)[:10],
        "passes": owner_selectors.passes(owner)[:20], "preregistrations": owner_selectors.preregistrations(owner)[:10],
        "holds": [(u, release.open_hold(u.pk)) for u in let_units], "today": timezone.localdate(),
        "owner_customer_ids": set(owner.customer_ids)})


@owner_view
def handover_detail(request, handover_id: int):
    h = owner_selectors.get_handover(request.owner, handover_id)
    return render(request, "portal/affairs/handover.html", {
        "h": h, "rows": [(line, warranty_open(line)) for line in h.lines.all()]})


@owner_view
def renovation_apply(request):
    homes = [o for o in request.owner.occupancies if o.role == Occupancy.Role.OWNER]
    form = RenovationForm(request.POST or None, request.FILES or None, homes=homes)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        occ = owner_selectors.occupancy_of(request.owner, d["unit"])
        try:
            r = renovation.apply(None, unit=occ.unit, applicant=occ.customer, channel="portal",
                                 attachments=d["attachments"], **{k: d[k] for k in RENOVATION_FIELDS})
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Application received. The service center will review it."))
            return redirect("portal:affairs_renovation", r.pk)
    return render(request, "portal/affairs/renovation_apply.html", {"form": form})


@owner_view
def renovation_detail(request, renovation_id: int):
    r = owner_selectors.get_renovation(request.owner, renovation_id)
    now = timezone.now()
    return render(request, "portal/affairs/renovation.html", {
        "r": r, "permits": [(p, p.state(now)) for p in r.permits.all()], "patrols": r.patrols.all()})


@owner_view
@require_POST
def renovation_files(request, renovation_id: int):
    """The owner adds drawings to their renovation after applying."""
    r = owner_selectors.get_renovation(request.owner, renovation_id)
    owner_record = _owner_record(request, r.unit_id)
    _report(request, lambda: attachments.add_files(None, r, request.FILES.getlist("attachments"), owner=owner_record),
            _("Files attached."))
    return redirect("portal:affairs_renovation", r.pk)


@owner_view
def renovation_file(request, file_id: int):
    """A drawing of one of the owner's renovations; never a public media URL."""
    f = owner_selectors.get_renovation_file(request.owner, file_id)
    return FileResponse(f.file.open("rb"), content_type=f.content_type, as_attachment=True, filename=f.name)


@owner_view
def pass_apply(request):
    form = PassForm(request.POST or None, homes=request.owner.occupancies, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        occ = owner_selectors.occupancy_of(request.owner, d["unit"])
        try:
            p = release.apply_pass(None, unit=occ.unit, applicant=occ.customer, channel="portal",
                                   items=release.items_from_text(d["items"]), carrier=d["carrier"],
                                   carrier_phone=d["carrier_phone"], date=d["date"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Pass %(number)s created.") % {"number": p.number})
            return redirect("portal:affairs_pass", p.pk)
    return render(request, "portal/affairs/pass_apply.html", {"form": form})


@owner_view
def pass_detail(request, pass_id: int):
    p = owner_selectors.get_pass(request.owner, pass_id)
    owner_record = _owner_record(request, p.unit_id)
    can_authorise = owner_record is not None and p.status == p.Status.AWAITING_OWNER
    form = AuthoriseForm(request.POST or None, items=p.items.all()) if can_authorise else None
    if request.method == "POST" and form is None:
        raise NotFound  # nothing to authorise here for this person
    if request.method == "POST" and form.is_valid():
        granted = request.POST.get("decision") != "refuse"
        quantities = {item.pk: form.cleaned_data[name] for item, name in form.item_fields}
        _report(request, lambda: release.authorise_in_portal(owner_record, p, quantities=quantities, granted=granted),
                _("Your answer is recorded."))
        return redirect("portal:affairs_pass", p.pk)
    return render(request, "portal/affairs/pass.html", {
        "p": p, "form": form, "item_fields": [(item, form[name]) for item, name in form.item_fields] if form else [],
        "qr": documents.qr_svg(p.number) if p.status == p.Status.AUTHORISED else ""})


@owner_view
@require_POST
def hold(request, unit_id: int):
    occ = owner_selectors.occupancy_of(request.owner, unit_id)
    if request.POST.get("on") == "1":
        _report(request, lambda: release.set_hold(occ.customer, occ.unit, reason=request.POST.get("reason", "")[:100]),
                _("Nothing will leave %(unit)s without you.") % {"unit": occ.unit.label})
    else:
        _report(request, lambda: release.clear_hold(occ.customer, occ.unit), _("The hold is lifted."))
    return redirect("portal:affairs")


@owner_view
def visitor_preregister(request):
    form = VisitorForm(request.POST or None, homes=request.owner.occupancies, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        occ = owner_selectors.occupancy_of(request.owner, d["unit"])
        try:
            pre = visitors.pre_register(occ.customer, occ.unit, visitor_name=d["visitor_name"], date=d["date"],
                                        visitor_phone=d["visitor_phone"], people=d["people"], purpose=d["purpose"],
                                        plate=d["plate"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Give your visitor the code %(code)s for the gate.") % {"code": pre.code})
            return redirect("portal:affairs_visitors")
    items = [(pre, documents.qr_svg(pre.code)) for pre in owner_selectors.preregistrations(request.owner)[:10]]
    return render(request, "portal/affairs/visitors.html", {"form": form, "items": items,
                                                            "today": timezone.localdate()})


@owner_view
def found_notices(request):
    return render(request, "portal/affairs/found.html", {"items": owner_selectors.found_notices(request.owner)[:100]})
