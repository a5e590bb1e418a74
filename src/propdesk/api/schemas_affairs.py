"""Request and response shapes of the public-affairs API (issue 13), with the limits of their columns."""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, StrictBool
from pydantic_core import PydanticCustomError

from propdesk.affairs.models import (
    Claim,
    FoundItem,
    HotWorkPermit,
    ParkingAllocation,
    Rectification,
    ReleasePass,
    Renovation,
    Visit,
    Visitor,
)

from .schemas import NO_NUL, BodyId, Day, InSchema, Whole, page_of, text

_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _datetime_text(value):
    """A time comes as ISO 8601 text; pydantic alone would also read a number, or a number in a string, as a
    Unix time (0 → 1970)."""
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_TIME.match(value)):
        return value
    raise PydanticCustomError("datetime_type", "Input should be a valid datetime")


Moment = Annotated[datetime, BeforeValidator(_datetime_text)]
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day_text(value):
    """A date in a query string is YYYY-MM-DD text; pydantic alone would read "0" as a Unix time (1970)."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.match(value)):
        return value
    raise PydanticCustomError("date_type", "Input should be a valid date")


QueryDay = Annotated[date, BeforeValidator(_day_text)]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999.99"), max_digits=12, decimal_places=2)]
Quantity = Annotated[int, Field(ge=0, le=999)]


class UnitRef(Schema):
    id: int
    label: str


class HandoverLineOut(Schema):
    id: int
    group: str
    name: str
    expected_quantity: int | None
    quantity: int | None
    reading: Decimal | None
    status: str
    note: str
    work_order: int | None = Field(None, alias="work_order_id")


class HandoverOut(Schema):
    id: int
    unit: UnitRef
    customer: int = Field(..., alias="customer_id")
    kind: str
    status: str
    date: date
    signed_by: str
    signed_at: datetime | None


class HandoverDetailOut(HandoverOut):
    lines: list[HandoverLineOut]


class HandoverIn(InSchema):
    unit: BodyId
    customer: BodyId = Field(..., description="The new owner (move-in) or the one leaving (move-out): an archive "
                                              "customer of the unit's project.")
    kind: Literal["move_in", "move_out"] = "move_in"
    date: Day | None = Field(None, description="The handover day; today when omitted.")


class RenovationIn(InSchema):
    unit: BodyId
    applicant: BodyId = Field(..., description="The owner applying (an archive customer of the unit's project).")
    scope: str = Field(..., min_length=1, max_length=2000, pattern=NO_NUL)
    contractor: str = text(Renovation, "contractor")
    foreman: str = text(Renovation, "foreman")
    foreman_phone: str = text(Renovation, "foreman_phone")
    workers: str = Field("", max_length=2000, pattern=NO_NUL)
    planned_start: Day
    planned_end: Day
    fire_filing_ref: str = text(Renovation, "fire_filing_ref", default="")


class PermitOut(Schema):
    id: int
    number: str
    renovation: int = Field(..., alias="renovation_id")
    location: str
    work: str
    starts_at: datetime
    ends_at: datetime
    fire_watch: str
    state: str = Field("", description="valid, expired or not_yet, at the time of the answer")


class RenovationFileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: datetime


class RenovationOut(Schema):
    id: int
    unit: UnitRef
    applicant: int = Field(..., alias="applicant_id")
    status: str
    scope: str
    contractor: str
    foreman: str
    planned_start: date
    planned_end: date
    decision: str
    conditions: str
    deposit: Decimal | None
    deposit_receipt: str
    next_patrol_on: date | None
    files: list[RenovationFileOut] = Field(..., description="Drawings and attachments: "
                                           "GET /affairs/renovation-files/{file_id} downloads one.")

    @staticmethod
    def resolve_files(obj):
        return list(obj.files.all())


class PermitIn(InSchema):
    location: str = text(HotWorkPermit, "location")
    work: str = text(HotWorkPermit, "work")
    starts_at: Moment
    ends_at: Moment
    fire_watch: str = text(HotWorkPermit, "fire_watch")
    extinguisher_checked: StrictBool


class GateQuery(Schema):
    number: str = Field(..., min_length=1, max_length=30, pattern=NO_NUL, description="The scanned pass number")


class PlateQuery(Schema):
    plate: str = Field(..., min_length=1, max_length=20, pattern=NO_NUL, description="The plate read at the gate")


class ItemIn(InSchema):
    name: str = Field(..., min_length=1, max_length=60, pattern=NO_NUL)
    quantity: Annotated[Whole, Field(ge=1, le=999)]


class PassIn(InSchema):
    unit: BodyId
    applicant: BodyId
    carrier: str = text(ReleasePass, "carrier")
    carrier_phone: str = text(ReleasePass, "carrier_phone", default="")
    date: Day | None = None
    reason: str = text(ReleasePass, "reason", default="")
    items: list[ItemIn] = Field(..., min_length=1, max_length=30)


class PassItemOut(Schema):
    id: int
    name: str
    quantity: int
    authorised: int
    released: int


class PassOut(Schema):
    id: int
    number: str
    unit: UnitRef
    applicant: int = Field(..., alias="applicant_id")
    applicant_role: str
    carrier: str
    date: date
    status: str
    items: list[PassItemOut]


class GateOut(Schema):
    release_pass: PassOut
    can_release: bool
    reasons: list[str]
    hold: bool


class ReleaseLineIn(InSchema):
    item: BodyId
    quantity: Annotated[Whole, Field(ge=0, le=999)]


class ReleaseIn(InSchema):
    items: list[ReleaseLineIn] = Field(..., min_length=1, max_length=30)


class EntryOut(Schema):
    id: int
    release_pass: int = Field(..., alias="release_pass_id")
    item: int = Field(..., alias="item_id")
    quantity: int
    guard: int = Field(..., alias="guard_id")
    at: datetime


class SpaceOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    number: str
    zone: str
    kind: str
    status: str

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.state


class AllocationIn(InSchema):
    space: BodyId
    unit: BodyId
    customer: BodyId
    kind: str = Field("", max_length=10, pattern=NO_NUL, description="owned, rented, temporary or visitor; "
                                                                    "the space's kind when empty")
    start_date: Day
    end_date: Day | None = None
    plates: str = text(ParkingAllocation, "plates")
    monthly_price: Money | None = None
    receipt: str = text(ParkingAllocation, "receipt", default="")


class AllocationOut(Schema):
    id: int
    space: int = Field(..., alias="space_id")
    unit: UnitRef
    customer: int = Field(..., alias="customer_id")
    kind: str
    start_date: date
    end_date: date | None
    monthly_price: Decimal | None
    plates: str
    agreement_number: str


class PlateOut(Schema):
    plate: str
    allocations: list[AllocationOut]
    current: bool
    message: str


class VisitIn(InSchema):
    project: BodyId
    unit: str = Field("", max_length=50, pattern=NO_NUL, description="3-2-1201 or a resident's name")
    code: str = Field("", max_length=8, pattern=NO_NUL, description="An owner's pre-registration code")
    name: str = text(Visitor, "name", default="")
    id_type: str = Field("", max_length=20, pattern=NO_NUL)
    id_number: str = Field("", max_length=40, pattern=NO_NUL, description="Stored encrypted; answered masked")
    phone: str = text(Visitor, "phone", default="")
    purpose: str = text(Visit, "purpose", default="")
    plate: str = text(Visit, "plate", default="")
    people: Annotated[Whole, Field(ge=1, le=50)] = 1


class VisitOut(Schema):
    id: int
    visitor_name: str
    id_number_masked: str
    unit: UnitRef
    purpose: str
    plate: str
    people: int
    checked_in_at: datetime
    checked_out_at: datetime | None

    @staticmethod
    def resolve_visitor_name(obj):
        return obj.visitor.name

    @staticmethod
    def resolve_id_number_masked(obj):
        return obj.visitor.id_number_mask


class FoundItemIn(InSchema):
    project: BodyId
    description: str = Field(..., min_length=1, max_length=100, pattern=NO_NUL)
    contents: str = Field("", max_length=2000, pattern=NO_NUL)
    building: BodyId | None = None
    floor: str = text(FoundItem, "floor", default="")
    place: str = Field(..., min_length=1, max_length=100, pattern=NO_NUL)
    found_at: Moment
    finder_name: str = text(FoundItem, "finder_name", default="")
    finder_phone: str = text(FoundItem, "finder_phone", default="")
    kept_at: str = Field(..., min_length=1, max_length=100, pattern=NO_NUL)


class FoundItemOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    number: str
    description: str
    building: int | None = Field(None, alias="building_id")
    floor: str
    place: str
    found_at: datetime
    kept_at: str
    status: str
    posted_at: datetime | None


class ClaimIn(InSchema):
    claimant_name: str = Field(..., min_length=1, max_length=50, pattern=NO_NUL)
    claimant_phone: str = text(Claim, "claimant_phone", default="")
    id_type: Literal["resident_id", "passport", "hk_macao", "taiwan", "business_license", "other"] = "resident_id"
    id_number: str = Field(..., min_length=1, max_length=40, pattern=NO_NUL,
                           description="The ID shown: stored encrypted, answered masked")
    described_contents: str = Field(..., min_length=1, max_length=2000, pattern=NO_NUL)
    signature: str = Field("", max_length=450_000, pattern=NO_NUL,
                           description="The signature drawn on a screen, as a data:image/png;base64 URL")
    paper_reference: str = text(Claim, "paper_reference", default="")
    customer: BodyId | None = Field(None, description="The claimant's archive record, when they have one")


class ClaimOut(Schema):
    id: int
    item: int = Field(..., alias="item_id")
    claimant_name: str
    id_number_masked: str = Field(..., alias="id_number_mask")
    compared_by: int = Field(..., alias="compared_by_id")
    claimed_at: datetime
    signed_on_screen: bool
    paper_reference: str

    @staticmethod
    def resolve_signed_on_screen(obj):
        return bool(obj.signature)


class RecheckIn(InSchema):
    passed: StrictBool
    note: str = text(Rectification, "recheck_note", default="")


class RectificationOut(Schema):
    id: int
    notice: str
    deadline: date
    recheck: str = Field(..., description="'' awaiting, passed or failed")
    rechecked_at: datetime | None
    recheck_note: str


class PatrolIn(InSchema):
    result: Literal["ok", "violation"]
    findings: str = Field("", max_length=2000, pattern=NO_NUL)
    notice: str = Field("", max_length=2000, pattern=NO_NUL,
                        description="A rectification notice (整改通知) issued for a violation.")
    deadline: Day | None = Field(None, description="The rectification's deadline, from today on.")


class PatrolOut(Schema):
    id: int
    renovation: int = Field(..., alias="renovation_id")
    due_on: date
    done_at: datetime
    result: str
    findings: str
    rectification: RectificationOut | None = None

    @staticmethod
    def resolve_rectification(obj):
        try:
            return obj.rectification
        except Rectification.DoesNotExist:
            return None


class PreRegistrationOut(Schema):
    id: int
    unit: UnitRef
    visitor_name: str
    visitor_phone: str
    date: date
    people: int
    purpose: str
    plate: str
    code: str = Field(..., description="What the visitor gives the guard (POST /affairs/visits with `code`)")
    used_at: datetime | None


HandoverPage = page_of("HandoverPage", HandoverOut)
RenovationPage = page_of("RenovationPage", RenovationOut)
PermitPage = page_of("PermitPage", PermitOut)
PassPage = page_of("PassPage", PassOut)
EntryPage = page_of("EntryPage", EntryOut)
SpacePage = page_of("SpacePage", SpaceOut)
AllocationPage = page_of("AllocationPage", AllocationOut)
VisitPage = page_of("VisitPage", VisitOut)
FoundItemPage = page_of("FoundItemPage", FoundItemOut)
PreRegistrationPage = page_of("PreRegistrationPage", PreRegistrationOut)
