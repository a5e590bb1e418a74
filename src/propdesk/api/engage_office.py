"""API operations of the office side of communication and care: the public relations register (issue 15 item
6), the owners' assembly's and committee's meetings with agenda, sign-in and minutes (item 5), and points
awarded by the project's earn rules with the ledger (item 3).

Thin, like api/engage.py (which mounts this router): ids are resolved through the scoped selectors (another
project's: 404, nothing written), then one service or selector of propdesk.engage runs. Creates take an
Idempotency-Key (api/idempotency.py): the same key again answers 200 with the first object.
"""

from django.http import HttpResponse
from ninja import Query, Router

from propdesk.archive import selectors as archive_selectors
from propdesk.engage.assembly import selectors as assembly
from propdesk.engage.assembly import services as meetings
from propdesk.engage.points import ledger
from propdesk.engage.points import selectors as points_selectors
from propdesk.engage.relations import selectors as relations
from propdesk.engage.relations import services as register
from propdesk.org import selectors as org_selectors

from . import schemas
from .idempotency import KEY, created_answer
from .schemas import LIST_ERRORS, PageQuery, PathId, page
from .schemas_engage import ProjectPage
from .schemas_engage_office import (
    AttendanceOut,
    AwardIn,
    BodyDetailOut,
    BodyFilter,
    BodyIn,
    BodyOut,
    BodyPage,
    ContactIn,
    ContactOut,
    DealingIn,
    DealingOut,
    DealingPage,
    LedgerEntryOut,
    LedgerFilter,
    LedgerPage,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingPage,
    MinutesIn,
    SettleIn,
    SignInIn,
)

router = Router(tags=["communication and care"])
ERRORS, BODY_ERRORS = schemas.ERRORS, {**schemas.BODY_ERRORS, 409: schemas.ErrorOut}


def _created(out) -> dict:
    """The answers of a create: 201 with the new object, 200 with the first one for a replayed key."""
    return {200: out, 201: out, **BODY_ERRORS}


def _page_of_project(queryset, query):
    return page(queryset.filter(project_id=query.project) if query.project else queryset, query)


def _create_in_project(request, payload, response, idempotency_key, create_once, reread):
    """Create in the payload's project (another project's: 404) through `create_once(user, project, data,
    idempotency_key=...)`; answer 201, or 200 with the first object for a replayed key."""
    user = request.auth
    project = org_selectors.get_project(user, payload.project)
    obj, created = create_once(user, project, payload.dict(exclude={"project"}), idempotency_key=idempotency_key or None)
    return created_answer(response, obj, created, lambda pk: reread(user, pk))


# -- the public relations register ----------------------------------------------------------------------

@router.get("/engage/relations/bodies", response={200: BodyPage, **LIST_ERRORS})
def list_bodies(request, query: Query[BodyFilter]):
    """The outside bodies of the user's projects (street office, housing authority, police, utilities, the
    owners' committee…), with their open follow-ups."""
    return _page_of_project(relations.bodies_for(request.auth, query.kind), query)


@router.post("/engage/relations/bodies", response=_created(BodyOut))
def create_body(request, payload: BodyIn, response: HttpResponse, idempotency_key: str | None = KEY):
    """Add an outside body to a project's register (front desk, butlers, managers); its name once per project."""
    return _create_in_project(request, payload, response, idempotency_key, register.add_body_once, _body)


def _body(user, body_id: int):
    return relations.bodies_for(user).get(pk=relations.get_body(user, body_id).pk)


@router.get("/engage/relations/bodies/{body_id}", response={200: BodyDetailOut, **ERRORS})
def get_body(request, body_id: PathId):
    """An outside body with its contacts."""
    return _body(request.auth, body_id)


@router.post("/engage/relations/bodies/{body_id}/contacts", response=_created(ContactOut))
def create_contact(request, body_id: PathId, payload: ContactIn, response: HttpResponse,
                   idempotency_key: str | None = KEY):
    """Add a contact person of an outside body."""
    body = relations.get_body(request.auth, body_id)
    contact, created = register.add_contact_once(request.auth, body, payload.dict(),
                                                 idempotency_key=idempotency_key or None)
    return created_answer(response, contact, created, lambda pk: body.contacts.get(pk=pk))


@router.get("/engage/relations/bodies/{body_id}/dealings", response={200: DealingPage, **ERRORS})
def list_dealings(request, body_id: PathId, query: Query[PageQuery]):
    """The dealings with a body (visits, letters in and out, inspections, complaints from them), newest first."""
    return page(relations.dealings_of(relations.get_body(request.auth, body_id)), query)


@router.post("/engage/relations/bodies/{body_id}/dealings", response=_created(DealingOut))
def create_dealing(request, body_id: PathId, payload: DealingIn, response: HttpResponse,
                   idempotency_key: str | None = KEY):
    """Record a dealing with a body. A follow-up needs its due date and stays open until settled; a letter
    needs its number; the date is not in the future."""
    user = request.auth
    body = relations.get_body(user, body_id)
    dealing, created = register.record_dealing_once(user, body, payload.dict(),
                                                    idempotency_key=idempotency_key or None)
    return created_answer(response, dealing, created, lambda pk: relations.get_dealing(user, pk))


@router.post("/engage/relations/dealings/{dealing_id}/settle", response={200: DealingOut, **BODY_ERRORS})
def settle_dealing(request, dealing_id: PathId, payload: SettleIn):
    """Close a dealing's follow-up, saying how it was settled (409 if it is settled already)."""
    return register.settle(request.auth, relations.get_dealing(request.auth, dealing_id), payload.note)


# -- meetings -------------------------------------------------------------------------------------------

@router.get("/engage/meetings", response={200: MeetingPage, **LIST_ERRORS})
def list_meetings(request, query: Query[ProjectPage]):
    """Meetings of the owners' assembly and committee, latest first, with how many signed in."""
    return _page_of_project(assembly.meetings_for(request.auth), query)


@router.post("/engage/meetings", response=_created(MeetingOut))
def create_meeting(request, payload: MeetingIn, response: HttpResponse, idempotency_key: str | None = KEY):
    """Plan a meeting with its agenda (managers)."""
    return _create_in_project(request, payload, response, idempotency_key, meetings.plan_meeting_once, _meeting)


def _meeting(user, meeting_id: int):
    return assembly.meetings_for(user).get(pk=assembly.get_meeting(user, meeting_id).pk)


@router.get("/engage/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS})
def get_meeting(request, meeting_id: PathId):
    """A meeting with its agenda, minutes and the people signed in."""
    return _meeting(request.auth, meeting_id)


@router.post("/engage/meetings/{meeting_id}/sign-ins", response=_created(AttendanceOut))
def sign_in(request, meeting_id: PathId, payload: SignInIn, response: HttpResponse,
            idempotency_key: str | None = KEY):
    """Sign a person in: an owner by phone (named from the archive; once per meeting: 409 again), or anyone by
    name (front desk, butlers, managers)."""
    user = request.auth
    meeting = assembly.get_meeting(user, meeting_id)
    row, created = meetings.sign_in_once(user, meeting, idempotency_key=idempotency_key or None,
                                         name=payload.name, phone=payload.phone, capacity=payload.capacity)
    return created_answer(response, row, created, lambda pk: assembly.attendance_of(meeting).get(pk=pk))


@router.put("/engage/meetings/{meeting_id}/minutes", response={200: MeetingDetailOut, **BODY_ERRORS})
def write_minutes(request, meeting_id: PathId, payload: MinutesIn):
    """Write the minutes once the meeting has started; the meeting is then held."""
    meetings.write_minutes(request.auth, assembly.get_meeting(request.auth, meeting_id), payload.minutes)
    return get_meeting(request, meeting_id)


# -- points ---------------------------------------------------------------------------------------------

@router.get("/engage/points/entries", response={200: LedgerPage, **LIST_ERRORS})
def list_entries(request, query: Query[LedgerFilter]):
    """The points ledger of the user's projects (or of one customer), newest first; entries never change."""
    return page(points_selectors.entries_for(request.auth, query.project, query.customer), query)


@router.post("/engage/customers/{customer_id}/points/awards", response=_created(LedgerEntryOut))
def award_points(request, customer_id: PathId, payload: AwardIn, response: HttpResponse,
                 idempotency_key: str | None = KEY):
    """Award a customer the points the project's earn rule gives for an adopted suggestion, a referred buyer or
    a magazine article (front desk, butlers, managers); once per `ref`."""
    user = request.auth
    customer = archive_selectors.get_customer(user, customer_id)
    entry, created = ledger.award_once(user, customer, payload.reason, payload.note, payload.ref,
                                       idempotency_key=idempotency_key or None)
    return created_answer(response, entry, created,
                          lambda pk: points_selectors.entries_for(user).get(pk=pk))
