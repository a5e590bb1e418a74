"""Lost and found (issue 13, item 6)."""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.affairs import lost_found as svc
from propdesk.affairs import selectors
from propdesk.core.errors import Conflict
from propdesk.org.selectors import buildings_for, get_building, get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_affairs import ClaimForm, FoundItemForm
from ...pagination import paginate
from ._helpers import act, int_param


@staff_view
def found_items(request):
    projects = projects_for(request.user)
    form = FoundItemForm(request.POST or None, projects=projects, buildings=buildings_for(request.user),
                         initial={"found_at": timezone.localtime().replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            building = get_building(request.user, d["building"]) if d["building"] else None
            item = svc.register_item(
                request.user, get_project(request.user, d["project"]), description=d["description"],
                contents=d["contents"], building=building, floor=d["floor"], place=d["place"],
                found_at=d["found_at"], finder_name=d["finder_name"], finder_phone=d["finder_phone"],
                kept_at=d["kept_at"], photos=request.FILES.getlist("photos"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("console:affairs_found_item", item.pk)
    status = request.GET.get("status") or None
    page = paginate(request, selectors.found_items_for(request.user, int_param(request, "project"), status))
    return render(request, "console/affairs/found_items.html", {"page": page, "form": form, "status": status})


@staff_view
def found_item(request, item_id: int):
    item = selectors.get_found_item(request.user, item_id)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.claim_item(request.user, item, claimant_name=d["claimant_name"], claimant_phone=d["claimant_phone"],
                           id_type=d["id_type"], id_number=d["id_number"], described_contents=d["described_contents"],
                           signature=d["signature"], paper_reference=d["paper_reference"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("console:affairs_found_item", item.pk)
    return render(request, "console/affairs/found_item.html", {
        "item": item, "form": form, "photos": selectors.photos_for([item]),
        "claim": getattr(item, "claim", None) if item.status == "claimed" else None})


@staff_view
@require_POST
def found_item_dispose(request, item_id: int):
    item = selectors.get_found_item(request.user, item_id)
    return act(request, lambda: svc.dispose_item(request.user, item, note=request.POST.get("note", "")),
               _("Disposal recorded."), reverse("console:affairs_found_item", args=[item.pk]))


@staff_view
def photo(request, photo_id: int):
    """A photo of public affairs, served only to staff who may see its project."""
    p = selectors.get_photo(request.user, photo_id)
    return FileResponse(p.file.open("rb"), content_type="image/jpeg")


@staff_view
def claim_signature(request, item_id: int):
    item = selectors.get_found_item(request.user, item_id)
    claim = getattr(item, "claim", None)
    if claim is None or not claim.signature:
        raise Http404
    return FileResponse(claim.signature.open("rb"), content_type="image/png")
