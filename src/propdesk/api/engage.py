"""API operations of communication and care (issue 15 item 7): notices with their read receipts, activities
with their sign-ups and the door's check-in, points, and votes with their result and paper ballots.

Thin: each view resolves the ids it is given through the scoped selectors (another project's: 404, nothing
written) and calls one service or selector of propdesk.engage. Creating a notice takes an Idempotency-Key
(engage.idempotency, the mechanism of the console's forms): the same key again answers 200 with the first
notice (`Idempotent-Replayed: true`) and writes nothing.
"""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from propdesk.archive import selectors as archive_selectors
from propdesk.engage.activities import selectors as activity_selectors
from propdesk.engage.activities import services as activities
from propdesk.engage.notices import selectors as notice_selectors
from propdesk.engage.notices import services as notices
from propdesk.engage.points import ledger, value
from propdesk.engage.points import selectors as points_selectors
from propdesk.engage.votes import results
from propdesk.engage.votes import selectors as vote_selectors
from propdesk.engage.votes import services as votes
from propdesk.org import selectors as org_selectors
from propdesk.org.access import scope
from propdesk.org.models import Building, Unit

from . import schemas
from .engage_office import router as office_router
from .idempotency import KEY, created_answer
from .schemas import LIST_ERRORS, PageQuery, PathId, page
from .schemas_engage import (
    ActivityFilter,
    ActivityOut,
    ActivityPage,
    BallotIn,
    BallotOut,
    CheckInIn,
    NoticeDetailOut,
    NoticeFilter,
    NoticeIn,
    NoticeOut,
    NoticePage,
    PointsOut,
    ProjectPage,
    ReceiptFilter,
    ReceiptPage,
    ResendIn,
    RewardPage,
    SendingOut,
    SignupOut,
    SignupPage,
    VotePage,
    VoteResultOut,
)

router = Router(tags=["communication and care"])
ERRORS, BODY_ERRORS = schemas.ERRORS, {**schemas.BODY_ERRORS, 409: schemas.ErrorOut}


def _all_in_scope(user, queryset, ids: list[int], field: str) -> list:
    """The objects of `ids` the user may see, or a 422 on `field` naming none of the others."""
    found = list(scope(queryset.filter(pk__in=ids), user)) if ids else []
    if len(found) != len(set(ids)):
        raise ValidationError({field: _("Select a valid choice.")})
    return found


# -- notices ----------------------------------------------------------------------------------------

@router.get("/engage/notices", response={200: NoticePage, **LIST_ERRORS})
def list_notices(request, query: Query[NoticeFilter]):
    """Notices, newest first."""
    return page(notice_selectors.notices_for(request.auth, query.project, query.status), query)


@router.post("/engage/notices", response={200: NoticeOut, 201: NoticeOut, **BODY_ERRORS})
def create_notice(request, payload: NoticeIn, response: HttpResponse, idempotency_key: str | None = KEY):
    """Draft a notice to the project's households (all of them, or those of `buildings` and/or `units`, of
    `roles`, of a saved `segment`); `send` sends it."""
    user = request.auth
    project = org_selectors.get_project(user, payload.project)
    segment = notice_selectors.get_segment(user, payload.segment) if payload.segment is not None else None
    data = {"kind": payload.kind, "title": payload.title, "body": payload.body, "channels": list(payload.channels),
            "roles": list(payload.roles), "segment": segment, "scheduled_at": payload.scheduled_at,
            "buildings": _all_in_scope(user, Building.objects.all(), payload.buildings, "buildings"),
            "units": _all_in_scope(user, Unit.objects.all(), payload.units, "units")}
    notice, created = notices.save_notice(user, project, data, idempotency_key=idempotency_key or None)
    return created_answer(response, notice, created, lambda pk: notice_selectors.get_notice(user, pk))


def _detail(notice) -> dict:
    out = NoticeOut.from_orm(notice).model_dump(by_alias=True)
    rate = notice_selectors.read_rate(notice)
    out["read_rate"] = {"households": rate.households, "read": rate.read, "unread": rate.unread,
                        "via_portal": rate.via_portal, "via_link": rate.via_link, "percent": rate.percent}
    out["sendings"] = [SendingOut.from_orm(s) for s in notice_selectors.dispatches_of(notice)]
    return out


@router.get("/engage/notices/{notice_id}", response={200: NoticeDetailOut, **ERRORS})
def get_notice(request, notice_id: PathId):
    """A notice with its live read rate and its sendings."""
    return _detail(notice_selectors.get_notice(request.auth, notice_id))


@router.post("/engage/notices/{notice_id}/send", response={200: NoticeDetailOut, **BODY_ERRORS})
def send_notice(request, notice_id: PathId):
    """Send a draft now, or schedule it for its `scheduled_at` (managers). An emergency notice goes ahead of
    everything else in the queue."""
    notice = notices.send_notice(request.auth, notice_selectors.get_notice(request.auth, notice_id))
    return _detail(notice)


@router.post("/engage/notices/{notice_id}/resend", response={201: SendingOut, **BODY_ERRORS})
def resend_notice(request, notice_id: PathId, payload: ResendIn):
    """Send the notice again, by SMS, email or WeChat, to the households that have not read it."""
    notice = notice_selectors.get_notice(request.auth, notice_id)
    return Status(201, notices.resend_to_unread(request.auth, notice, list(payload.channels)))


@router.post("/engage/notices/{notice_id}/withdraw", response={200: NoticeDetailOut, **BODY_ERRORS})
def withdraw_notice(request, notice_id: PathId):
    """Take a sent notice off the board and the portal; messages not yet sent are not sent (managers)."""
    return _detail(notices.withdraw_notice(request.auth, notice_selectors.get_notice(request.auth, notice_id)))


@router.get("/engage/notices/{notice_id}/receipts", response={200: ReceiptPage, **ERRORS})
def list_receipts(request, notice_id: PathId, query: Query[ReceiptFilter]):
    """The read receipt of each household, by address; `unread=true` for those who have not read it."""
    notice = notice_selectors.get_notice(request.auth, notice_id)
    return page(notice_selectors.recipients_of(notice, unread_only=query.unread), query)


# -- activities -------------------------------------------------------------------------------------

@router.get("/engage/activities", response={200: ActivityPage, **LIST_ERRORS})
def list_activities(request, query: Query[ActivityFilter]):
    """Community activities, latest first, with their places confirmed, waiting list and attendance."""
    return page(activity_selectors.activities_for(request.auth, query.project, query.status), query)


@router.get("/engage/activities/{activity_id}", response={200: ActivityOut, **ERRORS})
def get_activity(request, activity_id: PathId):
    return activity_selectors.get_activity(request.auth, activity_id)


@router.get("/engage/activities/{activity_id}/signups", response={200: SignupPage, **ERRORS})
def list_signups(request, activity_id: PathId, query: Query[PageQuery]):
    """Confirmed first, then the waiting list in its order, then the cancelled sign-ups."""
    rows = activity_selectors.signups_of(activity_selectors.get_activity(request.auth, activity_id))
    return {"count": len(rows), "items": rows[query.offset:query.offset + query.limit]}


@router.post("/engage/activities/{activity_id}/check-ins", response={200: SignupOut, **BODY_ERRORS})
def check_in(request, activity_id: PathId, payload: CheckInIn):
    """Check a household in at the door by its sign-up code or a phone number (from two hours before the start
    until the end); a resident who did not sign up is let in while places are free. 404: nobody of the
    activity's audience has that code or number; 409: on the waiting list, or already checked in."""
    activity = activity_selectors.get_activity(request.auth, activity_id)
    signup = activities.check_in(request.auth, activity, payload.typed)
    return activity_selectors.get_signup(request.auth, signup.pk)


# -- points -----------------------------------------------------------------------------------------

@router.get("/engage/customers/{customer_id}/points", response={200: PointsOut, **ERRORS})
def customer_points(request, customer_id: PathId, query: Query[PageQuery]):
    """A customer's balance, customer value (points, paid services and complaints of the last year) and
    points ledger, newest first."""
    customer = archive_selectors.get_customer(request.auth, customer_id)
    entries = points_selectors.ledger_of(customer)
    worth = value.value_of(customer)
    return {"customer": customer.pk, "balance": ledger.balance_of(customer), "value": worth, "count": entries.count(),
            "items": list(entries[query.offset:query.offset + query.limit])}


@router.get("/engage/rewards", response={200: RewardPage, **LIST_ERRORS})
def list_rewards(request, query: Query[ProjectPage]):
    """The rewards catalogue with its stock."""
    qs = points_selectors.rewards_for(request.auth)
    return page(qs.filter(project_id=query.project) if query.project else qs, query)


# -- votes ------------------------------------------------------------------------------------------

@router.get("/engage/votes", response={200: VotePage, **LIST_ERRORS})
def list_votes(request, query: Query[ProjectPage]):
    qs = vote_selectors.votes_for(request.auth)
    return page(qs.filter(project_id=query.project) if query.project else qs, query)


def _threshold(t) -> dict:
    return {"measure": t.measure, "part": t.share.part, "whole": t.share.whole, "percent": t.share.percent,
            "required": f"{t.required.numerator}/{t.required.denominator}", "strict": t.strict, "met": t.met}


@router.get("/engage/votes/{vote_id}", response={200: VoteResultOut, **ERRORS})
def get_vote(request, vote_id: PathId):
    """A vote and its count so far (final once closed): participation against two thirds of the area and of
    the owners, and for each matter the figures against its threshold and why it passed, failed or was
    invalid (Civil Code art. 278)."""
    vote = vote_selectors.get_vote(request.auth, vote_id)
    data = results.context(vote)
    result = data["result"]
    matters = [{"id": row.matter.pk, "number": row.matter.number, "title": row.matter.title, "item": row.matter.item,
                "special": row.result.special, "outcome": row.result.outcome, "why": row.why,
                "sides": {k: {"area": s.area, "heads": s.heads} for k, s in row.result.sides.items()},
                "agreement": [_threshold(t) for t in row.result.agreement]} for row in data["rows"]]
    return {**{f: getattr(vote, f) for f in ("id", "project_id", "title", "status", "opens_at", "closes_at",
                                             "non_voters", "total_area", "total_owners")},
            "final": data["final"], "ballots": data["ballots"],
            "participation": [_threshold(t) for t in result.participation], "matters": matters}


@router.put("/engage/votes/{vote_id}/ballots/{elector_id}", response={200: BallotOut, **BODY_ERRORS})
def enter_ballot(request, vote_id: PathId, elector_id: PathId, payload: BallotIn):
    """Enter (or replace) an owner's paper ballot with the paper's number; a proxy's with the proxy's name and
    the power of attorney's number. Accepted while the vote is open (409 otherwise); every version is kept."""
    vote = vote_selectors.get_vote(request.auth, vote_id)
    elector = vote_selectors.get_elector(request.auth, elector_id)
    return votes.enter_ballot(request.auth, vote, elector, payload.choices, payload.paper_ref, payload.proxy_name,
                              payload.proxy_ref)


# -- the office side: the public relations register, meetings, points awards (api/engage_office.py) ----------

router.add_router("", office_router)
