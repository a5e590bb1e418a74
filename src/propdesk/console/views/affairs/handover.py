"""Move-in handovers and move-out inspections (issue 13, item 1)."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.affairs import common, selectors
from propdesk.affairs import handover as svc
from propdesk.affairs.models import Handover
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_affairs import HandoverLineForm, HandoverStartForm
from ...pagination import paginate
from ._helpers import act, int_param, refuse


@staff_view
def handovers(request):
    projects = projects_for(request.user)
    form = HandoverStartForm(request.POST or None, projects=projects,
                             initial={"date": timezone.localdate(), "kind": Handover.Kind.MOVE_IN})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = get_project(request.user, data["project"])
            unit, _resident = common.resolve_unit(request.user, project.pk, data["unit"])
            customer = common.resolve_customer(request.user, project.pk, data["customer"])
            h = svc.start_handover(request.user, unit=unit, customer=customer, kind=data["kind"], date=data["date"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("console:affairs_handover", h.pk)
    page = paginate(request, selectors.handovers_for(request.user, int_param(request, "project")))
    return render(request, "console/affairs/handovers.html", {"page": page, "form": form})


@staff_view
def handover(request, handover_id: int):
    h = selectors.get_handover(request.user, handover_id)
    lines = list(h.lines.all())
    photos = {}
    for photo in selectors.photos_for(lines):
        photos.setdefault(photo.subject_id, []).append(photo)
    rows = [(line, photos.get(line.pk, []), selectors.warranty_open(line)) for line in lines]
    differences = svc.move_out_differences(h) if h.kind == Handover.Kind.MOVE_OUT else None
    return render(request, "console/affairs/handover.html", {
        "h": h, "rows": rows, "differences": differences, "line_form": HandoverLineForm(),
        "statuses": HandoverLineForm.base_fields["status"].choices})


@staff_view
@require_POST
def handover_line(request, line_id: int):
    line = selectors.get_handover_line(request.user, line_id)
    form = HandoverLineForm(request.POST)
    back = reverse("console:affairs_handover", args=[line.handover_id]) + f"#line-{line.pk}"
    if not form.is_valid():
        return refuse(request, form, back)
    d = form.cleaned_data
    return act(request, lambda: svc.record_line(
        request.user, line, status=d["status"], quantity=d["quantity"], reading=d["reading"], note=d["note"],
        photos=request.FILES.getlist("photos")), _("%(item)s recorded.") % {"item": line.name}, back)


@staff_view
@require_POST
def handover_add_line(request, handover_id: int):
    h = selectors.get_handover(request.user, handover_id)
    return act(request, lambda: svc.add_line(request.user, h, name=request.POST.get("name", "")),
               _("Line added."), reverse("console:affairs_handover", args=[h.pk]))


@staff_view
@require_POST
def handover_sign(request, handover_id: int):
    h = selectors.get_handover(request.user, handover_id)
    return act(request, lambda: svc.sign_handover(request.user, h, signed_by=request.POST.get("signed_by", "")),
               _("Handover signed."), reverse("console:affairs_handover", args=[h.pk]))
