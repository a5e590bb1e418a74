"""Request and response shapes of the communication-and-care API (issue 15 item 7), with their limits."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from propdesk.archive.models import Occupancy
from propdesk.engage.models import Activity, Ballot, Matter, Notice, NoticeRecipient, Signup, Vote
from propdesk.engage.votes import counting

from .schemas import NO_NUL, BodyId, Id, InSchema, PageQuery, page_of, text
from .schemas_affairs import Moment, UnitRef

MAX_UNITS = 2000  # a notice to more homes than this names buildings or a segment instead


class ProjectPage(PageQuery):
    project: Id | None = None


# -- notices ----------------------------------------------------------------------------------------

class NoticeIn(InSchema):
    project: BodyId
    kind: Notice.Kind = Notice.Kind.SERVICE_TIP
    title: str = text(Notice, "title", min_length=1)
    body: str = Field(..., min_length=1, max_length=4000, pattern=NO_NUL)
    channels: list[Notice.Channel] = Field(..., min_length=1, max_length=len(Notice.Channel.values),
                                           description="board, in_app, sms, email, wechat")
    roles: list[Occupancy.Role] = Field([], max_length=len(Occupancy.Role.values),
                                        description="The households of these occupancy roles (default: owners "
                                                    "and tenants).")
    buildings: list[BodyId] = Field([], max_length=200)
    units: list[BodyId] = Field([], max_length=MAX_UNITS)
    segment: BodyId | None = Field(None, description="A saved segmentation filter of the project.")
    scheduled_at: Moment | None = Field(None, description="Send at this time rather than when `send` is called.")


class NoticeFilter(ProjectPage):
    status: Notice.Status | None = None


class NoticeOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    kind: str
    title: str
    body: str
    channels: list[str]
    roles: list[str]
    status: str
    scheduled_at: datetime | None
    published_at: datetime | None
    withdrawn_at: datetime | None
    households: int


class ReadRateOut(Schema):
    households: int
    read: int
    unread: int
    via_portal: int
    via_link: int
    percent: float


class SendingOut(Schema):
    number: int
    only_unread: bool
    channels: list[str]
    households: int
    messages: int
    created_at: datetime
    finished_at: datetime | None


class NoticeDetailOut(NoticeOut):
    read_rate: ReadRateOut
    sendings: list[SendingOut]


class ResendIn(InSchema):
    channels: list[Notice.Channel] = Field(..., min_length=1, max_length=3, description="sms, email, wechat")


class ReceiptFilter(PageQuery):
    unread: bool = False


class ReceiptOut(Schema):
    unit: UnitRef
    customer: int | None = Field(None, alias="customer_id")
    read_at: datetime | None
    read_via: NoticeRecipient.ReadVia | str


# -- activities -------------------------------------------------------------------------------------

class ActivityFilter(ProjectPage):
    status: Activity.Status | None = None


class ActivityOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    title: str
    place: str
    description: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    max_seats: int
    signup_opens_at: datetime
    signup_closes_at: datetime
    status: str
    confirmed: int = Field(..., description="Places confirmed.")
    waiting: int = Field(..., description="Sign-ups on the waiting list.")
    attended: int = Field(..., description="Sign-ups checked in at the door.")


class SignupOut(Schema):
    id: int
    customer: int = Field(..., alias="customer_id")
    name: str = Field(..., alias="customer.name")
    unit: UnitRef | None
    seats: int
    status: Signup.Status | str
    via: str
    code: str
    created_at: datetime
    attended_at: datetime | None


class CheckInIn(InSchema):
    typed: str = Field(..., min_length=1, max_length=20, pattern=NO_NUL,
                       description="The six-digit sign-up code or a phone number.")


# -- points -----------------------------------------------------------------------------------------

class PointsEntryOut(Schema):
    id: int
    kind: str
    reason: str
    amount: int
    balance_after: int
    note: str
    created_at: datetime


class CustomerValueOut(Schema):
    points: int
    spend: Decimal
    complaints: int
    score: int
    band: str


class PointsOut(Schema):
    customer: int
    balance: int
    value: CustomerValueOut
    count: int
    items: list[PointsEntryOut]


class RewardOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    name: str
    description: str
    cost: int
    stock: int
    is_active: bool


# -- votes ------------------------------------------------------------------------------------------

class VoteOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    title: str
    status: Vote.Status | str
    opens_at: datetime
    closes_at: datetime
    non_voters: str
    total_area: Decimal
    total_owners: int


class ThresholdOut(Schema):
    measure: str = Field(..., description="area (m²) or heads (owners)")
    part: Decimal
    whole: Decimal
    percent: Decimal
    required: str = Field(..., description="The share the law asks for, as a fraction: 2/3, 3/4, 1/2.")
    strict: bool = Field(..., description="true: more than `required` (过半数); false: at least (以上).")
    met: bool


class SideOut(Schema):
    area: Decimal
    heads: int


class MatterResultOut(Schema):
    id: int
    number: int
    title: str
    item: Matter.Item | str
    special: bool = Field(..., description="Art. 278 items 6–8: three quarters.")
    sides: dict[str, SideOut]
    agreement: list[ThresholdOut]
    outcome: str = Field(..., description=f"{counting.PASSED}, {counting.FAILED} or {counting.INVALID}")
    why: str


class VoteResultOut(VoteOut):
    final: bool = Field(..., description="true once the vote is closed.")
    ballots: int
    participation: list[ThresholdOut]
    matters: list[MatterResultOut]


class BallotIn(InSchema):
    choices: dict[str, Literal["for", "against", "abstain"]] = Field(..., max_length=50,
                                                description="{matter id: for | against | abstain}, every matter.")
    paper_ref: str = text(Ballot, "paper_ref", min_length=1)
    proxy_name: str = text(Ballot, "proxy_name", "")
    proxy_ref: str = text(Ballot, "proxy_ref", "")


class BallotOut(Schema):
    id: int
    elector: int = Field(..., alias="elector_id")
    via: str
    paper_ref: str
    proxy_name: str
    proxy_ref: str
    revision: int
    choices: dict[str, str]
    updated_at: datetime


NoticePage = page_of("NoticePage", NoticeOut)
ReceiptPage = page_of("ReceiptPage", ReceiptOut)
ActivityPage = page_of("ActivityPage", ActivityOut)
SignupPage = page_of("SignupPage", SignupOut)
RewardPage = page_of("RewardPage", RewardOut)
VotePage = page_of("VotePage", VoteOut)
