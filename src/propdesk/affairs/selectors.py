"""Reads of public affairs, every one scoped through org.access (staff); owners' reads are in owner_selectors."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.archive import selectors as archive_selectors
from propdesk.archive.models import Occupancy, Vehicle
from propdesk.org.access import get_scoped, scope
from propdesk.service.workflow import FINAL_STATES

from . import handover, parking, release
from .models import (
    AffairsSettings,
    FoundItem,
    Handover,
    HandoverLine,
    HotWorkPermit,
    ParkingAllocation,
    ParkingSpace,
    PatrolInspection,
    Photo,
    PreRegistration,
    Rectification,
    ReleaseEntry,
    ReleasePass,
    Renovation,
    RenovationFile,
    Visit,
)

RS = Renovation.Status
LIVE_RENOVATION = (RS.APPROVED, RS.ACTIVE)


def _in_project(qs, project_id, path="project_id"):
    return qs.filter(**{path: project_id}) if project_id else qs


# -- a project's settings ---------------------------------------------------------------------------

@dataclass
class ProjectSettings:
    settings: AffairsSettings
    checklist: list
    default_checklist: bool


def project_settings(project) -> ProjectSettings:
    """The project's numbers of days and handover checklist (the default one while it has set none);
    the caller has the project from the user's scoped projects."""
    items = handover.checklist_for(project.pk)
    return ProjectSettings(AffairsSettings.for_project(project.pk), items, not items or items[0].pk is None)


# -- handovers --------------------------------------------------------------------------------------

def handovers_for(user, project_id=None, unit_id=None):
    qs = scope(Handover.objects.select_related("unit__building", "customer", "staff"), user)
    qs = _in_project(qs, project_id, "unit__project_id")
    return qs.filter(unit_id=unit_id) if unit_id else qs


def get_handover(user, handover_id: int) -> Handover:
    lines = HandoverLine.objects.select_related("work_order").order_by("position", "id")
    return get_scoped(Handover.objects.select_related("unit__building", "unit__project", "customer", "staff")
                      .prefetch_related(Prefetch("lines", queryset=lines)), user, pk=handover_id)


def get_handover_line(user, line_id: int) -> HandoverLine:
    return get_scoped(HandoverLine.objects.select_related("handover__unit__project", "handover__customer"),
                      user, pk=line_id)


def warranty_open(line: HandoverLine) -> bool | None:
    """None: the line opened no work order; True: its warranty work order is still open; False: closed."""
    if line.work_order_id is None:
        return None
    return line.work_order.state not in FINAL_STATES


def photos_for(objects):
    """The photos of several objects of one model, in one query."""
    objects = list(objects)
    if not objects:
        return Photo.objects.none()
    ct = ContentType.objects.get_for_model(objects[0])
    return Photo.objects.filter(subject_type=ct, subject_id__in=[o.pk for o in objects]).order_by("id")


def warranty_lines(unit_id: int):
    """The unit's warranty record: every handover defect with its warranty work order, newest handover first."""
    return (HandoverLine.objects.filter(handover__unit_id=unit_id, work_order__isnull=False)
            .select_related("work_order", "handover").order_by("-handover__date", "-handover_id", "position", "id"))


def open_warranty_lines(unit_id: int):
    """The unit's handover defects whose warranty work order is not yet closed."""
    return warranty_lines(unit_id).exclude(work_order__state__in=FINAL_STATES)


def handover_defect(work_order) -> HandoverLine | None:
    """The handover line a work order repairs under warranty, or None (the work order page's marker; the
    caller already scoped the work order)."""
    return HandoverLine.objects.filter(work_order=work_order).select_related("handover").first()


# -- renovations ------------------------------------------------------------------------------------

def renovations_for(user, project_id=None, status=None):
    qs = scope(Renovation.objects.select_related("unit__building", "applicant"), user)
    qs = _in_project(qs, project_id)
    return qs.filter(status=status) if status else qs


def get_renovation(user, renovation_id: int) -> Renovation:
    patrols = PatrolInspection.objects.select_related("inspector", "rectification").order_by("-done_at")
    return get_scoped(Renovation.objects.select_related("unit__building", "unit__project", "applicant",
                                                        "reviewed_by", "accepted_by")
                      .prefetch_related("permits", "acceptance_items", "deductions", "files",
                                        Prefetch("patrols", queryset=patrols)), user, pk=renovation_id)


def get_renovation_file(user, file_id: int) -> RenovationFile:
    return get_scoped(RenovationFile.objects.all(), user, pk=file_id)


def patrols_due(user, today=None, project_id=None):
    """Renovations in progress whose next patrol is due today or overdue, most overdue first."""
    today = today or timezone.localdate()
    qs = renovations_for(user, project_id, RS.ACTIVE).filter(next_patrol_on__lte=today)
    return qs.prefetch_related("permits").order_by("next_patrol_on", "id")


def active_renovations(unit_id: int):
    return Renovation.objects.filter(unit_id=unit_id, status__in=LIVE_RENOVATION).prefetch_related("permits")


def permits_for(user, project_id=None):
    """Every hot-work permit the user may see (the permit register)."""
    qs = scope(HotWorkPermit.objects.select_related("renovation__unit__building", "issued_by"), user)
    return _in_project(qs, project_id, "renovation__project_id")


def patrols_for(user, project_id=None):
    """Every renovation patrol the user may see, with its rectification notice (the patrol register)."""
    qs = scope(PatrolInspection.objects.select_related("renovation__unit__building", "inspector",
                                                       "rectification"), user)
    return _in_project(qs, project_id, "renovation__project_id")


def get_patrol(user, patrol_id: int) -> PatrolInspection:
    return get_scoped(PatrolInspection.objects.select_related("renovation", "rectification"), user, pk=patrol_id)


def get_rectification(user, rectification_id: int):
    return get_scoped(Rectification.objects.select_related("inspection__renovation__unit__building"), user,
                      pk=rectification_id)


def permits_now(user, now=None, project_id=None):
    """Hot-work permits of renovations in progress with their state now (valid / expired / not yet)."""
    now = now or timezone.now()
    qs = scope(HotWorkPermit.objects.select_related("renovation__unit__building"), user)
    qs = _in_project(qs, project_id, "renovation__project_id").filter(renovation__status=RS.ACTIVE)
    return qs.filter(ends_at__gte=now - dt.timedelta(days=1)).order_by("starts_at")


# -- release ----------------------------------------------------------------------------------------

def passes_for(user, project_id=None, date=None, status=None):
    qs = scope(ReleasePass.objects.select_related("unit__building", "applicant"), user)
    qs = _in_project(qs, project_id)
    if date:
        qs = qs.filter(date=date)
    return qs.filter(status=status) if status else qs


def get_pass(user, pass_id: int) -> ReleasePass:
    return get_scoped(ReleasePass.objects.select_related("unit__building", "unit__project", "applicant",
                                                         "authorisation__owner", "authorisation__verified_by")
                      .prefetch_related("items"), user, pk=pass_id)


def register_entries(user, project_id=None, date_from=None, date_to=None):
    """The release register (物品放行登记表): what passed, under which pass, who let it, when."""
    qs = scope(ReleaseEntry.objects.select_related("release_pass__unit__building", "item", "guard"), user)
    qs = _in_project(qs, project_id, "release_pass__project_id")
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


@dataclass
class GateAnswer:
    """What the guard's phone shows for what was typed or scanned."""

    query: str
    verdicts: list = field(default_factory=list)     # release.GateVerdict, one per pass found
    people: list = field(default_factory=list)       # (customer, role label, what is needed)
    hold: object = None
    message: str = ""
    renovations: list = field(default_factory=list)  # (renovation, [(permit, state now)]) of the unit


def _works_at(unit_id: int, now) -> list:
    """The unit's renovation under way and its hot-work permits, as the gate shows them (item 2)."""
    return [(r, [(p, p.state(now)) for p in r.permits.all()]) for r in active_renovations(unit_id)]


def gate_lookup(user, text: str, today=None) -> GateAnswer:
    """A pass number (typed or scanned), or a unit: the passes of today, and with none, who lives there,
    owner or tenant, and what they need to carry goods out."""
    today = today or timezone.localdate()
    text = (text or "").strip().upper()
    answer = GateAnswer(query=text)
    if not text:
        return answer
    passes = scope(ReleasePass.objects.select_related("unit__building", "applicant", "authorisation")
                   .prefetch_related("items"), user)
    found = list(passes.filter(number=text)[:1])
    units = []
    if not found:
        units = archive_selectors.lookup(user, text).units[:1]
        if units:
            found = list(passes.filter(unit=units[0], date=today).order_by("-id")[:10])
    answer.verdicts = [release.gate_verdict(p, today) for p in found]
    if found:
        answer.renovations = _works_at(found[0].unit_id, timezone.now())
        return answer
    if not units:
        answer.message = _("No pass or unit matches “%(text)s”.") % {"text": text}
        return answer
    unit = units[0]
    answer.hold = release.open_hold(unit.pk)
    answer.renovations = _works_at(unit.pk, timezone.now())
    for occ in unit.occupancies.all():
        if not occ.is_current(today):
            continue
        need = (_("An owner may apply for a pass at the desk or in the portal.")
                if occ.role == Occupancy.Role.OWNER else
                _("Needs a pass authorised by the owner (portal, or by phone at the desk)."))
        answer.people.append((occ.customer, occ.get_role_display(), need))
    answer.message = _("No pass for %(unit)s today: nothing may be carried out.") % {"unit": unit.label}
    return answer


# -- parking ----------------------------------------------------------------------------------------

def spaces_for(user, project_id=None, today=None):
    today = today or timezone.localdate()
    current = (ParkingAllocation.objects.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)).select_related("unit__building", "customer"))
    qs = scope(ParkingSpace.objects.select_related("project"), user)
    return _in_project(qs, project_id).prefetch_related(
        Prefetch("allocations", queryset=current, to_attr="current_allocations"))


def get_space(user, space_id: int) -> ParkingSpace:
    allocations = ParkingAllocation.objects.select_related("unit__building", "customer").order_by("-start_date")
    return get_scoped(ParkingSpace.objects.select_related("project").prefetch_related(
        Prefetch("allocations", queryset=allocations)), user, pk=space_id)


def allocations_for(user, project_id=None):
    qs = scope(ParkingAllocation.objects.select_related("space", "unit__building", "customer"), user)
    return _in_project(qs, project_id, "space__project_id")


def get_allocation(user, allocation_id: int) -> ParkingAllocation:
    return get_scoped(ParkingAllocation.objects.select_related("space__project", "unit__building", "customer"),
                      user, pk=allocation_id)


def rentals_expiring(user, today=None, project_id=None):
    """Rentals ending within the next 30 days (item 4), soonest first."""
    today = today or timezone.localdate()
    return allocations_for(user, project_id).filter(
        end_date__gte=today, end_date__lte=today + parking.EXPIRY_WINDOW, ended_early_on__isnull=True
    ).order_by("end_date", "id")


@dataclass
class PlateAnswer:
    plate: str
    allocations: list = field(default_factory=list)   # (allocation, is current)
    vehicles: list = field(default_factory=list)      # archive vehicles with that plate
    message: str = ""


def plate_lookup(user, text: str, today=None) -> PlateAnswer:
    """A plate typed at the gate: the vehicle, its space, the unit, and whether the rental is current."""
    today = today or timezone.localdate()
    plate = parking.normalise_plate(text)
    answer = PlateAnswer(plate=plate)
    if len(plate) < 3:
        answer.message = _("Type at least 3 characters of the plate.")
        return answer
    rows = allocations_for(user).filter(plates__contains=plate).order_by("-start_date")[:10]
    answer.allocations = [(a, a.is_current(today)) for a in rows]
    answer.vehicles = list(scope(Vehicle.objects.select_related("customer"), user).filter(
        plate__icontains=plate)[:10])
    if not answer.allocations and not answer.vehicles:
        answer.message = _("Unknown plate %(plate)s: not registered in this project; treat it as a visitor.") % {
            "plate": plate}
    return answer


# -- visitors and lost and found ---------------------------------------------------------------------

def visits_for(user, project_id=None, on_site_only=False):
    qs = scope(Visit.objects.select_related("visitor", "unit__building", "host", "checked_in_by"), user)
    qs = _in_project(qs, project_id, "visitor__project_id")
    return qs.filter(checked_out_at__isnull=True) if on_site_only else qs


def preregistrations_for(user, project_id=None, day=None):
    """Visits announced by owners (for the gate's terminals), of one day when given, soonest first."""
    qs = scope(PreRegistration.objects.select_related("unit__building"), user)
    qs = _in_project(qs, project_id, "unit__project_id")
    return (qs.filter(date=day) if day else qs).order_by("date", "id")


def get_visit(user, visit_id: int) -> Visit:
    return get_scoped(Visit.objects.select_related("visitor", "unit__building"), user, pk=visit_id)


def found_items_for(user, project_id=None, status=None):
    qs = scope(FoundItem.objects.select_related("building", "registered_by"), user)
    qs = _in_project(qs, project_id)
    return qs.filter(status=status) if status else qs


def get_found_item(user, item_id: int) -> FoundItem:
    return get_scoped(FoundItem.objects.select_related("building", "project", "registered_by", "claim",
                                                       "claim__compared_by"), user, pk=item_id)


def get_photo(user, photo_id: int) -> Photo:
    return get_scoped(Photo.objects.all(), user, pk=photo_id)



# -- the unit card's panel ------------------------------------------------------------------------------

@dataclass
class UnitAffairs:
    renovations: list
    warranty: list
    permits: list
    hold: object
    handovers: list


def unit_affairs(user, unit, now=None) -> UnitAffairs:
    """What the unit card shows of public affairs: an active renovation and its permits, the warranty
    record (handover defects, still open ones first, each with its work order's state), a hold on releases, the last handovers (the caller already scoped the unit)."""
    now = now or timezone.now()
    renovations = list(scope(Renovation.objects.filter(unit=unit, status__in=LIVE_RENOVATION), user))
    permits = [(p, p.state(now)) for r in renovations for p in r.permits.all()] if renovations else []
    return UnitAffairs(
        renovations=renovations, permits=permits, hold=release.open_hold(unit.pk),
        warranty=sorted(((line, line.work_order.state not in FINAL_STATES) for line in warranty_lines(unit.pk)),
                        key=lambda row: not row[1]),
        handovers=list(handovers_for(user, unit_id=unit.pk).order_by("-date", "-id")[:3]))
