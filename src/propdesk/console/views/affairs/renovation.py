"""Renovations: applications, review, agreement and deposit, permits, acceptance, refund; the patrol phone page
(issue 13, item 2)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.affairs import attachments as drawings
from propdesk.affairs import charges, common, selectors
from propdesk.affairs import renovation as svc
from propdesk.affairs.models import Renovation
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_affairs import (
    AcceptanceForm,
    AgreementForm,
    PatrolForm,
    PermitForm,
    RefundForm,
    RenovationForm,
    ReviewForm,
)
from ...pagination import paginate
from ._helpers import act, int_param, refuse

FIELDS = ("scope", "contractor", "foreman", "foreman_phone", "workers", "planned_start", "planned_end",
          "fire_filing_ref")


@staff_view
def renovations(request):
    projects = projects_for(request.user)
    form = RenovationForm(request.POST or None, request.FILES or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = get_project(request.user, d["project"])
            unit, _resident = common.resolve_unit(request.user, project.pk, d["unit"])
            applicant = common.resolve_customer(request.user, project.pk, d["customer"])
            r = svc.apply(request.user, unit=unit, applicant=applicant, attachments=d["attachments"],
                          **{k: d[k] for k in FIELDS})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("console:affairs_renovation", r.pk)
    status = request.GET.get("status") or None
    page = paginate(request, selectors.renovations_for(request.user, int_param(request, "project"), status))
    return render(request, "console/affairs/renovations.html", {
        "page": page, "form": form, "statuses": Renovation.Status.choices, "status": status})


@staff_view
def renovation(request, renovation_id: int):
    r = selectors.get_renovation(request.user, renovation_id)
    now = timezone.now()
    patrols = list(r.patrols.all())
    photos = {}
    for photo in selectors.photos_for(patrols):
        photos.setdefault(photo.subject_id, []).append(photo)
    return render(request, "console/affairs/renovation.html", {
        "r": r, "now": now, "permits": [(p, p.state(now)) for p in r.permits.all()],
        "billing": charges.renovation_billing(r),
        "patrols": [(p, photos.get(p.pk, [])) for p in patrols],
        "review_form": ReviewForm(), "agreement_form": AgreementForm(initial={"signed_by": r.applicant.name}),
        "permit_form": PermitForm(), "acceptance_form": AcceptanceForm(), "refund_form": RefundForm()})


def _back(r) -> str:
    return reverse("console:affairs_renovation", args=[r.pk])


def _posted(request, renovation_id, form_class):
    r = selectors.get_renovation(request.user, renovation_id)
    return r, form_class(request.POST)


@staff_view
@require_POST
def renovation_files(request, renovation_id: int):
    """Drawings and attachments added at the desk after the application."""
    r = selectors.get_renovation(request.user, renovation_id)
    return act(request, lambda: drawings.add_files(request.user, r, request.FILES.getlist("attachments")),
               _("Files attached."), _back(r) + "#files")


@staff_view
def renovation_file(request, file_id: int):
    """A drawing or attachment, served only to staff who may see its renovation's project."""
    f = selectors.get_renovation_file(request.user, file_id)
    return FileResponse(f.file.open("rb"), content_type=f.content_type, as_attachment=True, filename=f.name)


@staff_view
@require_POST
def renovation_review(request, renovation_id: int):
    r, form = _posted(request, renovation_id, ReviewForm)
    if not form.is_valid():
        return refuse(request, form, _back(r))
    d = form.cleaned_data
    return act(request, lambda: svc.review(request.user, r, decision=d["decision"], conditions=d["conditions"],
                                           reason=d["reason"]), _("Review recorded."), _back(r))


@staff_view
@require_POST
def renovation_agreement(request, renovation_id: int):
    r, form = _posted(request, renovation_id, AgreementForm)
    if not form.is_valid():
        return refuse(request, form, _back(r))
    d = form.cleaned_data
    return act(request, lambda: svc.sign_agreement(
        request.user, r, signed_by=d["signed_by"], deposit=d["deposit"], deposit_receipt=d["deposit_receipt"],
        fee=d["fee"], fee_receipt=d["fee_receipt"]), _("Agreement and deposit recorded."), _back(r))


@staff_view
@require_POST
def renovation_permit(request, renovation_id: int):
    r, form = _posted(request, renovation_id, PermitForm)
    if not form.is_valid():
        return refuse(request, form, _back(r))
    d = form.cleaned_data
    return act(request, lambda: svc.issue_permit(
        request.user, r, location=d["location"], work=d["work"], starts_at=d["starts_at"], ends_at=d["ends_at"],
        fire_watch=d["fire_watch"], extinguisher_checked=d["extinguisher_checked"]),
        _("Hot-work permit issued."), _back(r))


def parse_acceptance(text: str) -> list[tuple[str, bool, str]]:
    """"公共走道墙面 ✗ 污损" → ("公共走道墙面", False, "污损"); a line without ✗ passed."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, mark, note = line.partition("✗")
        rows.append((name.strip(), not mark, note.strip()))
    return rows


def parse_deductions(text: str) -> list[tuple[Decimal, str]]:
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        amount, _sep, reason = line.strip().partition(" ")
        try:
            rows.append((Decimal(amount), reason.strip()))
        except InvalidOperation:
            raise ValidationError({"deductions": _("Each line starts with an amount: 300 走道墙面修复")}) from None
    return rows


@staff_view
@require_POST
def renovation_accept(request, renovation_id: int):
    r, form = _posted(request, renovation_id, AcceptanceForm)
    if not form.is_valid():
        return refuse(request, form, _back(r))
    return act(request, lambda: svc.accept(request.user, r, items=parse_acceptance(form.cleaned_data["items"])),
               _("Completion acceptance recorded."), _back(r))


@staff_view
@require_POST
def renovation_refund(request, renovation_id: int):
    r, form = _posted(request, renovation_id, RefundForm)
    if not form.is_valid():
        return refuse(request, form, _back(r))
    d = form.cleaned_data
    return act(request, lambda: svc.refund_deposit(request.user, r, deductions=parse_deductions(d["deductions"]),
                                                   voucher=d["voucher"]), _("Deposit refund recorded."), _back(r))


# -- the patrol phone page --------------------------------------------------------------------------

@staff_view
def patrols(request):
    """Renovations due a patrol today (or overdue) and hot-work permits with their state now (375 px)."""
    now = timezone.now()
    due = selectors.patrols_due(request.user, timezone.localdate(now))
    permits = [(p, p.state(now)) for p in selectors.permits_now(request.user, now)]
    return render(request, "console/affairs/patrols.html", {"due": due, "permits": permits, "form": PatrolForm()})


@staff_view
def patrol(request, renovation_id: int):
    r = selectors.get_renovation(request.user, renovation_id)
    form = PatrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.record_patrol(request.user, r, result=d["result"], findings=d["findings"],
                              photos=request.FILES.getlist("photos"), notice=d["notice"], deadline=d["deadline"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("console:affairs_patrols")
    now = timezone.now()
    return render(request, "console/affairs/patrol.html", {
        "r": r, "form": form, "permits": [(p, p.state(now)) for p in r.permits.all()],
        "open_notices": [p.rectification for p in r.patrols.all() if hasattr(p, "rectification")
                         and not p.rectification.recheck]})


@staff_view
@require_POST
def rectification_recheck(request, rectification_id: int):
    rect = selectors.get_rectification(request.user, rectification_id)
    passed = request.POST.get("passed") == "1"
    return act(request, lambda: svc.recheck(request.user, rect, passed=passed, note=request.POST.get("note", "")),
               _("Re-check recorded."), reverse("console:affairs_patrol", args=[rect.inspection.renovation_id]))
