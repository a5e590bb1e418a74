"""Request and response shapes of the office side of communication and care (issue 15 items 3, 5, 6): the
public relations register, the assembly's and committee's meetings, points awarded by staff; with limits."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from propdesk.engage.models import Attendance, Dealing, Meeting, OutsideBody
from propdesk.engage.points.ledger import AWARDED_BY_STAFF

from .schemas import NO_NUL, BodyId, Day, Id, InSchema, page_of, text
from .schemas_affairs import Moment
from .schemas_engage import PointsEntryOut, ProjectPage

AWARDED = tuple(str(reason.value) for reason in AWARDED_BY_STAFF)

# -- the public relations register ------------------------------------------------------------------


class BodyFilter(ProjectPage):
    kind: OutsideBody.Kind | None = None


class BodyIn(InSchema):
    project: BodyId
    kind: OutsideBody.Kind
    name: str = text(OutsideBody, "name", min_length=1)
    address: str = text(OutsideBody, "address", default="")
    phone: str = text(OutsideBody, "phone", default="")
    notes: str = Field("", max_length=2000, pattern=NO_NUL)


class ContactIn(InSchema):
    name: str = Field(..., min_length=1, max_length=50, pattern=NO_NUL)
    title: str = Field("", max_length=50, pattern=NO_NUL, description="The contact's position.")
    phone: str = Field("", max_length=30, pattern=NO_NUL)
    email: str = Field("", max_length=254, pattern=NO_NUL)


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str


class BodyOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    kind: str
    name: str
    address: str
    phone: str
    notes: str
    is_active: bool
    open_follow_ups: int = Field(0, description="Dealings whose follow-up is still open.")


class BodyDetailOut(BodyOut):
    contacts: list[ContactOut]


class DealingIn(InSchema):
    kind: Dealing.Kind
    date: Day
    subject: str = text(Dealing, "subject", min_length=1)
    summary: str = Field("", max_length=4000, pattern=NO_NUL)
    reference: str = Field("", max_length=40, pattern=NO_NUL, description="A letter's number (函号): "
                                                                        "required for letters.")
    follow_up: str = Field("", max_length=500, pattern=NO_NUL, description="What is to be done; needs `due_date`.")
    due_date: Day | None = None


class DealingOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    body: int = Field(..., alias="body_id")
    kind: str
    date: date
    subject: str
    summary: str
    reference: str
    follow_up: str
    due_date: date | None
    status: str
    done_at: datetime | None
    done_note: str


class SettleIn(InSchema):
    note: str = Field(..., min_length=1, max_length=500, pattern=NO_NUL, description="How it was settled.")


# -- meetings ---------------------------------------------------------------------------------------


class MeetingIn(InSchema):
    project: BodyId
    body: Meeting.Body = Meeting.Body.COMMITTEE
    title: str = text(Meeting, "title", min_length=1)
    starts_at: Moment
    place: str = text(Meeting, "place", min_length=1)
    agenda: str = Field(..., min_length=1, max_length=4000, pattern=NO_NUL)


class MeetingOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    body: str
    title: str
    starts_at: datetime
    place: str
    agenda: str
    status: str
    signed: int = Field(0, description="People signed in.")


class AttendanceOut(Schema):
    id: int
    name: str
    capacity: str
    customer: int | None = Field(None, alias="customer_id")
    unit: int | None = Field(None, alias="unit_id")
    signed_at: datetime


class MeetingDetailOut(MeetingOut):
    minutes: str
    attendance: list[AttendanceOut]


class SignInIn(InSchema):
    phone: str = Field("", max_length=20, pattern=NO_NUL, description="An owner's phone: found in the archive.")
    name: str = Field("", max_length=100, pattern=NO_NUL, description="Anyone else's name.")
    capacity: Attendance.Capacity = Attendance.Capacity.OWNER


class MinutesIn(InSchema):
    minutes: str = Field(..., min_length=1, max_length=20000, pattern=NO_NUL)


# -- points awarded by staff -----------------------------------------------------------------------------


class AwardIn(InSchema):
    reason: Literal[AWARDED] = Field(..., description="The reason, by the project's earn rule: an adopted "
                                                      "suggestion, a referred buyer, a magazine article.")
    note: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL, description="What the points are for.")
    ref: str = Field("", max_length=60, pattern=NO_NUL,
                     description="The work order, contract or magazine issue: points once per reference.")


class LedgerFilter(ProjectPage):
    customer: Id | None = None


class LedgerEntryOut(PointsEntryOut):
    project: int = Field(..., alias="project_id")
    customer: int = Field(..., alias="customer_id")


BodyPage = page_of("BodyPage", BodyOut)
DealingPage = page_of("DealingPage", DealingOut)
MeetingPage = page_of("MeetingPage", MeetingOut)
LedgerPage = page_of("LedgerPage", LedgerEntryOut)
