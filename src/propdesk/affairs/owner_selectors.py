"""What an owner or resident signed in to the portal sees of public affairs (archive.owners decides who
they are): their homes' handovers, renovations and passes, their announced visitors, and the found
items posted on their projects' notice boards (without finder or contents)."""

from django.db.models import Prefetch, Q

from propdesk.archive.models import Occupancy
from propdesk.core.errors import NotFound

from .models import (
    FoundItem,
    Handover,
    HandoverLine,
    PreRegistration,
    ReleasePass,
    Renovation,
    RenovationFile,
)


def occupancy_of(owner, unit_id: int) -> Occupancy:
    """The owner's current occupancy of a unit (their archive record for it), or NotFound."""
    for occ in owner.occupancies:
        if occ.unit_id == unit_id:
            return occ
    raise NotFound


def owned_units(owner) -> list:
    return [o.unit for o in owner.occupancies if o.role == Occupancy.Role.OWNER]


def handovers(owner):
    lines = HandoverLine.objects.select_related("work_order").order_by("position", "id")
    return (Handover.objects.filter(unit_id__in=owner.unit_ids, customer_id__in=owner.customer_ids)
            .select_related("unit__building", "unit__project").prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("-date", "-id"))


def get_handover(owner, handover_id: int) -> Handover:
    found = handovers(owner).filter(pk=handover_id).first()
    if found is None:
        raise NotFound
    return found


def renovations(owner):
    return (Renovation.objects.filter(unit_id__in=owner.unit_ids, applicant_id__in=owner.customer_ids)
            .select_related("unit__building").order_by("-submitted_at"))


def get_renovation(owner, renovation_id: int) -> Renovation:
    found = (renovations(owner).filter(pk=renovation_id)
             .prefetch_related("permits", "acceptance_items", "deductions", "files", "patrols__rectification")
             .first())
    if found is None:
        raise NotFound
    return found


def get_renovation_file(owner, file_id: int) -> RenovationFile:
    """A drawing of one of the owner's renovations (never a public media URL)."""
    found = RenovationFile.objects.filter(pk=file_id, renovation__in=renovations(owner)).first()
    if found is None:
        raise NotFound
    return found


def passes(owner):
    """Passes the owner applied for, and passes of units they own now (to authorise or follow)."""
    owned = [u.pk for u in owned_units(owner)]
    return (ReleasePass.objects.filter(Q(applicant_id__in=owner.customer_ids) | Q(unit_id__in=owned))
            .select_related("unit__building", "applicant").prefetch_related("items").order_by("-date", "-id"))


def get_pass(owner, pass_id: int) -> ReleasePass:
    found = passes(owner).filter(pk=pass_id).first()
    if found is None:
        raise NotFound
    return found


def preregistrations(owner):
    return (PreRegistration.objects.filter(host_id__in=owner.customer_ids, unit_id__in=owner.unit_ids)
            .select_related("unit__building").order_by("-date", "-id"))


def found_notices(owner):
    """Unclaimed items posted on the notice board of the owner's projects: what, where, when, kept where."""
    return (FoundItem.objects.filter(project_id__in=owner.project_ids, status=FoundItem.Status.HELD,
                                     posted_at__isnull=False)
            .select_related("building").only("number", "description", "building__name", "floor", "place",
                                             "found_at", "kept_at", "project_id")
            .order_by("-found_at"))
