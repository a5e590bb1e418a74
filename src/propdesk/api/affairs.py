"""API operations of public affairs (issue 13): gate terminals and other systems integrate through them.

Thin: each view resolves the ids it is given through the scoped selectors (another project's: 404,
nothing written) and calls one service or selector of propdesk.affairs. Creates take an Idempotency-Key:
the same key again answers 200 with the first object (`Idempotent-Replayed: true`) and writes nothing.
"""


from django.http import FileResponse, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from propdesk.affairs import (
    handover,
    idempotency,
    lost_found,
    parking,
    release,
    renovation,
    selectors,
    visitors,
)
from propdesk.affairs.models import (
    FoundItem,
    Handover,
    ParkingAllocation,
    PatrolInspection,
    ReleasePass,
    Renovation,
    Visit,
)
from propdesk.archive import selectors as archive_selectors
from propdesk.core.errors import NotFound
from propdesk.org import selectors as org_selectors

from . import schemas
from .idempotency import KEY, created_answer
from .schemas import LIST_ERRORS, Id, PageQuery, PathId, page
from .schemas_affairs import (
    AllocationIn,
    AllocationOut,
    AllocationPage,
    ClaimIn,
    ClaimOut,
    EntryOut,
    EntryPage,
    FoundItemIn,
    FoundItemOut,
    FoundItemPage,
    GateOut,
    GateQuery,
    HandoverDetailOut,
    HandoverIn,
    HandoverPage,
    PassIn,
    PassOut,
    PassPage,
    PatrolIn,
    PatrolOut,
    PermitIn,
    PermitOut,
    PermitPage,
    PlateOut,
    PlateQuery,
    PreRegistrationPage,
    QueryDay,
    RecheckIn,
    RectificationOut,
    ReleaseIn,
    RenovationIn,
    RenovationOut,
    RenovationPage,
    SpacePage,
    VisitIn,
    VisitOut,
    VisitPage,
)

router = Router(tags=["public affairs"])
ERRORS, BODY_ERRORS = schemas.ERRORS, {**schemas.BODY_ERRORS, 409: schemas.ErrorOut}




class ProjectPage(PageQuery):
    project: Id | None = None


def _client(request) -> str:
    return f"staff:{request.auth.pk}"



# -- handovers --------------------------------------------------------------------------------------

@router.get("/affairs/handovers", response={200: HandoverPage, **LIST_ERRORS})
def list_handovers(request, query: Query[ProjectPage]):
    """Move-in handovers and move-out inspections, newest first."""
    return page(selectors.handovers_for(request.auth, query.project).order_by("-date", "-id"), query)


@router.post("/affairs/handovers", response={200: HandoverDetailOut, 201: HandoverDetailOut, **BODY_ERRORS})
def create_handover(request, payload: HandoverIn, response: HttpResponse, idempotency_key: str | None = KEY):
    """Start a move-in handover (the project's checklist) or a move-out inspection (the unit's baseline) of
    `unit` with `customer`; its lines are then ticked on the desk's tablet page."""
    user = request.auth
    unit = org_selectors.get_unit(user, payload.unit)
    customer = archive_selectors.get_customer(user, payload.customer)
    obj, created = idempotency.once(_client(request), idempotency_key, Handover, lambda: handover.start_handover(
        user, unit=unit, customer=customer, kind=payload.kind, date=payload.date))
    return created_answer(response, obj, created, lambda pk: selectors.get_handover(user, pk))


@router.get("/affairs/handovers/{handover_id}", response={200: HandoverDetailOut, **ERRORS})
def get_handover(request, handover_id: PathId):
    """A handover with its checklist lines; a defect's warranty work order is `work_order`."""
    return selectors.get_handover(request.auth, handover_id)


# -- renovations ------------------------------------------------------------------------------------

@router.get("/affairs/renovations", response={200: RenovationPage, **LIST_ERRORS})
def list_renovations(request, query: Query[ProjectPage]):
    return page(selectors.renovations_for(request.auth, query.project).prefetch_related("files"), query)


@router.post("/affairs/renovations", response={200: RenovationOut, 201: RenovationOut, **BODY_ERRORS})
def create_renovation(request, payload: RenovationIn, response: HttpResponse, idempotency_key: str | None = KEY):
    """A renovation application taken for the owner `applicant` (a current owner of `unit`)."""
    user = request.auth
    unit = org_selectors.get_unit(user, payload.unit)
    applicant = archive_selectors.get_customer(user, payload.applicant)
    data = payload.model_dump(exclude={"unit", "applicant"})
    obj, created = idempotency.once(_client(request), idempotency_key, Renovation,
                                    lambda: renovation.apply(user, unit=unit, applicant=applicant, **data))
    return created_answer(response, obj, created, lambda pk: selectors.get_renovation(user, pk))


@router.get("/affairs/renovations/{renovation_id}", response={200: RenovationOut, **ERRORS})
def get_renovation(request, renovation_id: PathId):
    return selectors.get_renovation(request.auth, renovation_id)


@router.get("/affairs/renovation-files/{file_id}", response=ERRORS,
            openapi_extra={"responses": {"200": {"description": "The file (PDF or JPEG)", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}}})
def get_renovation_file(request, file_id: PathId):
    """A drawing or attachment of a renovation, as a download."""
    f = selectors.get_renovation_file(request.auth, file_id)
    return FileResponse(f.file.open("rb"), content_type=f.content_type, as_attachment=True, filename=f.name)


@router.post("/affairs/renovations/{renovation_id}/permits", response={201: PermitOut, **BODY_ERRORS})
def issue_permit(request, renovation_id: PathId, payload: PermitIn):
    """A hot-work permit for a renovation in progress: it must end after it starts (at most 7 days)."""
    r = selectors.get_renovation(request.auth, renovation_id)
    permit = renovation.issue_permit(request.auth, r, **payload.model_dump())
    return Status(201, _permit_out(permit))


def _permit_out(p, now=None) -> dict:
    now = now or timezone.now()
    return {"id": p.pk, "number": p.number, "renovation_id": p.renovation_id, "location": p.location,
            "work": p.work, "starts_at": p.starts_at, "ends_at": p.ends_at, "fire_watch": p.fire_watch,
            "state": p.state(now)}


@router.get("/affairs/patrols/due", response={200: RenovationPage, **LIST_ERRORS})
def list_patrols_due(request, query: Query[ProjectPage]):
    """Renovations in progress whose patrol is due today or overdue, most overdue first (a patrol app's list;
    a patrol is recorded with POST …/renovations/{id}/patrols, one with photos on the phone page)."""
    return page(selectors.patrols_due(request.auth, timezone.localdate(), query.project).prefetch_related("files"),
                query)


@router.post("/affairs/renovations/{renovation_id}/patrols",
             response={200: PatrolOut, 201: PatrolOut, **BODY_ERRORS})
def record_patrol(request, renovation_id: PathId, payload: PatrolIn, response: HttpResponse,
                  idempotency_key: str | None = KEY):
    """A patrol inspection of a renovation in progress; a violation may issue a rectification notice with a
    deadline. Photos are not sent through the API: a violation needs one, so it is recorded on the patrol
    phone page (here it is a 422 saying so); a patrol without a problem is recorded here."""
    user = request.auth
    r = selectors.get_renovation(user, renovation_id)
    obj, created = idempotency.once(_client(request), idempotency_key, PatrolInspection, lambda: renovation.record_patrol(
        user, r, result=payload.result, findings=payload.findings, notice=payload.notice, deadline=payload.deadline))
    return created_answer(response, obj, created, lambda pk: selectors.get_patrol(user, pk))


@router.post("/affairs/rectifications/{rectification_id}/recheck", response={200: RectificationOut, **BODY_ERRORS})
def recheck_rectification(request, rectification_id: PathId, payload: RecheckIn):
    """The re-check of a rectification notice (整改通知): rectified or not; once only (409 after)."""
    rect = selectors.get_rectification(request.auth, rectification_id)
    return renovation.recheck(request.auth, rect, passed=payload.passed, note=payload.note)


@router.get("/affairs/permits", response={200: PermitPage, **LIST_ERRORS})
def list_permits(request, query: Query[ProjectPage]):
    """Hot-work permits of renovations in progress and their state now: what the gate and patrols check."""
    now = timezone.now()
    qs = selectors.permits_now(request.auth, now, query.project)
    return {"count": qs.count(), "items": [_permit_out(p, now) for p in qs[query.offset:query.offset + query.limit]]}


# -- goods release ----------------------------------------------------------------------------------

@router.get("/affairs/passes", response={200: PassPage, **LIST_ERRORS})
def list_passes(request, query: Query[ProjectPage]):
    return page(selectors.passes_for(request.auth, query.project).prefetch_related("items"), query)


@router.post("/affairs/passes", response={200: PassOut, 201: PassOut, **BODY_ERRORS})
def create_pass(request, payload: PassIn, response: HttpResponse, idempotency_key: str | None = KEY):
    """A release pass: an owner's is authorised as asked, anyone else's waits for an owner."""
    user = request.auth
    unit = org_selectors.get_unit(user, payload.unit)
    applicant = archive_selectors.get_customer(user, payload.applicant)
    obj, created = idempotency.once(_client(request), idempotency_key, ReleasePass, lambda: release.apply_pass(
        user, unit=unit, applicant=applicant, items=[(i.name, i.quantity) for i in payload.items],
        carrier=payload.carrier, carrier_phone=payload.carrier_phone, date=payload.date, reason=payload.reason))
    return created_answer(response, obj, created, lambda pk: selectors.get_pass(user, pk))


@router.get("/affairs/passes/{pass_id}", response={200: PassOut, **ERRORS})
def get_pass(request, pass_id: PathId):
    return selectors.get_pass(request.auth, pass_id)


@router.get("/affairs/gate/check", response={200: GateOut, **ERRORS})
def gate_check(request, query: Query[GateQuery]):
    """The gate's check of a scanned pass number: may it pass today, and if not, why."""
    found = selectors.passes_for(request.auth).filter(number=query.number.strip().upper()).first()
    if found is None:
        raise NotFound
    verdict = release.gate_verdict(selectors.get_pass(request.auth, found.pk))
    return {"release_pass": verdict.release_pass, "can_release": verdict.can_release, "reasons": verdict.reasons,
            "hold": verdict.hold is not None}


@router.post("/affairs/passes/{pass_id}/releases", response={201: list[EntryOut], **BODY_ERRORS})
def release_goods(request, pass_id: PathId, payload: ReleaseIn):
    """What passed the gate under the pass: only listed, authorised, unreleased quantities, on its day."""
    p = selectors.get_pass(request.auth, pass_id)
    quantities = {}
    for line in payload.items:
        quantities[line.item] = quantities.get(line.item, 0) + line.quantity
    return Status(201, release.release(request.auth, p, quantities=quantities))


@router.get("/affairs/release-register", response={200: EntryPage, **LIST_ERRORS})
def release_register(request, query: Query[ProjectPage]):
    """The release register (物品放行登记表), newest first."""
    return page(selectors.register_entries(request.auth, query.project), query)


# -- parking ----------------------------------------------------------------------------------------

@router.get("/affairs/parking/spaces", response={200: SpacePage, **LIST_ERRORS})
def list_spaces(request, query: Query[ProjectPage]):
    return page(selectors.spaces_for(request.auth, query.project), query)


@router.get("/affairs/parking/allocations", response={200: AllocationPage, **LIST_ERRORS})
def list_allocations(request, query: Query[ProjectPage]):
    return page(selectors.allocations_for(request.auth, query.project), query)


@router.post("/affairs/parking/allocations", response={200: AllocationOut, 201: AllocationOut, **BODY_ERRORS})
def create_allocation(request, payload: AllocationIn, response: HttpResponse, idempotency_key: str | None = KEY):
    """Allocate a space for a period; a space already allocated for an overlapping day is a 409."""
    user = request.auth
    space = selectors.get_space(user, payload.space)
    unit = org_selectors.get_unit(user, payload.unit)
    customer = archive_selectors.get_customer(user, payload.customer)
    obj, created = idempotency.once(_client(request), idempotency_key, ParkingAllocation, lambda: parking.allocate(
        user, space, unit=unit, customer=customer, start_date=payload.start_date, end_date=payload.end_date,
        plates=payload.plates, monthly_price=payload.monthly_price, receipt=payload.receipt,
        kind=payload.kind or None))
    return created_answer(response, obj, created, lambda pk: selectors.get_allocation(user, pk))


@router.get("/affairs/plates", response={200: PlateOut, **LIST_ERRORS})
def plate_lookup(request, query: Query[PlateQuery]):
    """A plate read at the gate: its allocations and whether one is current; an unknown plate says so."""
    answer = selectors.plate_lookup(request.auth, query.plate)
    return {"plate": answer.plate, "allocations": [a for a, _current in answer.allocations],
            "current": any(current for _a, current in answer.allocations), "message": answer.message}


# -- visitors ---------------------------------------------------------------------------------------

@router.get("/affairs/visits", response={200: VisitPage, **LIST_ERRORS})
def list_visits(request, query: Query[ProjectPage]):
    return page(selectors.visits_for(request.auth, query.project), query)


@router.post("/affairs/visits", response={200: VisitOut, 201: VisitOut, **BODY_ERRORS})
def create_visit(request, payload: VisitIn, response: HttpResponse, idempotency_key: str | None = KEY):
    """Register a visitor at the gate (the ID number is stored encrypted and answered masked)."""
    user = request.auth
    project = org_selectors.get_project(user, payload.project)
    data = payload.model_dump(exclude={"project", "unit"})
    obj, created = idempotency.once(_client(request), idempotency_key, Visit, lambda: visitors.register_visit(
        user, project, unit_text=payload.unit, **data))
    return created_answer(response, obj, created, lambda pk: selectors.get_visit(user, pk))


class AnnouncedQuery(ProjectPage):
    date: QueryDay | None = None


@router.get("/affairs/preregistrations", response={200: PreRegistrationPage, **LIST_ERRORS})
def list_preregistrations(request, query: Query[AnnouncedQuery]):
    """Visits announced by owners in the portal (of one `date` when given): a gate terminal checks a code."""
    return page(selectors.preregistrations_for(request.auth, query.project, query.date), query)


@router.post("/affairs/visits/{visit_id}/checkout", response={200: VisitOut, **BODY_ERRORS})
def check_out(request, visit_id: PathId):
    return visitors.check_out(request.auth, selectors.get_visit(request.auth, visit_id))


# -- lost and found ---------------------------------------------------------------------------------

@router.get("/affairs/found-items", response={200: FoundItemPage, **LIST_ERRORS})
def list_found_items(request, query: Query[ProjectPage]):
    return page(selectors.found_items_for(request.auth, query.project), query)


@router.post("/affairs/found-items", response={200: FoundItemOut, 201: FoundItemOut, **BODY_ERRORS})
def create_found_item(request, payload: FoundItemIn, response: HttpResponse, idempotency_key: str | None = KEY):
    """Register a found item; the desk and the security post are told at once."""
    user = request.auth
    project = org_selectors.get_project(user, payload.project)
    building = org_selectors.get_building(user, payload.building) if payload.building else None
    data = payload.model_dump(exclude={"project", "building"})
    obj, created = idempotency.once(_client(request), idempotency_key, FoundItem, lambda: lost_found.register_item(
        user, project, building=building, **data))
    return created_answer(response, obj, created, lambda pk: selectors.get_found_item(user, pk))


@router.get("/affairs/found-items/{item_id}", response={200: FoundItemOut, **ERRORS})
def get_found_item(request, item_id: PathId):
    return selectors.get_found_item(request.auth, item_id)


@router.post("/affairs/found-items/{item_id}/claim", response={201: ClaimOut, **BODY_ERRORS})
def claim_found_item(request, item_id: PathId, payload: ClaimIn):
    """Hand a found item to its claimant: contents described, ID shown (answered masked), signed on a screen
    or on paper; the finder's details are cleared. An item already claimed or disposed of: 409."""
    user = request.auth
    item = selectors.get_found_item(user, item_id)
    customer = archive_selectors.get_customer(user, payload.customer) if payload.customer else None
    claim = lost_found.claim_item(user, item, customer=customer, **payload.model_dump(exclude={"customer"}))
    return Status(201, claim)
