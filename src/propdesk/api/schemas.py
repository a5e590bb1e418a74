"""Request and response shapes of the API.

Inputs forbid unknown fields, so a typo is a 422 rather than a silently ignored value. Lengths,
choices and uniqueness are left to the models' own validation, run by the services, so each rule
is written once. Customers never carry the raw ID number out: only `id_number_masked`.
"""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from propdesk.archive.models import Customer, Occupancy
from propdesk.org.models import Project, Unit


class InSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class PageQuery(Schema):
    """limit/offset pagination; every list answers {"count": total, "items": [...]}."""

    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


def page(queryset, query: PageQuery) -> dict:
    """One page of an (already scoped and prefetched) queryset, with the total count."""
    return {"count": queryset.count(), "items": list(queryset[query.offset:query.offset + query.limit])}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


# -- projects, buildings, units ----------------------------------------------------------------

class ProjectFields(InSchema):
    name: str
    kind: Project.Kind = Project.Kind.RESIDENTIAL
    service_mode: Project.ServiceMode = Project.ServiceMode.BUTLER
    address: str = ""
    phone: str = ""
    timezone: str = "Asia/Shanghai"


class ProjectIn(ProjectFields):
    code: str
    company: int | None = Field(None, description="Defaults to the caller's company.")


class ProjectOut(Schema):
    id: int
    company: int = Field(validation_alias="company_id")
    company_name: str = Field(validation_alias="company.name")
    code: str
    name: str
    kind: str
    service_mode: str
    address: str
    phone: str
    timezone: str


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


class BuildingFilter(PageQuery):
    project: int | None = None


class BuildingFields(InSchema):
    code: str
    name: str
    floors: int | None = None


class BuildingIn(BuildingFields):
    project: int


class BuildingOut(Schema):
    id: int
    project: int = Field(validation_alias="project_id")
    code: str
    name: str
    floors: int | None


class BuildingPage(Schema):
    count: int
    items: list[BuildingOut]


class UnitFilter(PageQuery):
    project: int | None = None
    building: int | None = None
    number: str | None = None


class UnitFields(InSchema):
    entrance: str = ""
    number: str
    floor: int
    area: Decimal
    layout: str = ""
    status: Unit.Status = Unit.Status.VACANT


class UnitIn(UnitFields):
    building: int


class UnitOut(Schema):
    id: int
    project: int = Field(validation_alias="project_id")
    building: int = Field(validation_alias="building_id")
    label: str
    entrance: str
    number: str
    floor: int
    area: Decimal
    layout: str
    status: str


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


# -- customers and occupancies -----------------------------------------------------------------

class CustomerFilter(PageQuery):
    project: int | None = None
    name: str | None = None
    phone: str | None = None


class CustomerFields(InSchema):
    name: str
    kind: Customer.Kind = Customer.Kind.PERSON
    customer_type: Customer.CustomerType = Customer.CustomerType.INDIVIDUAL
    gender: Customer.Gender = Customer.Gender.UNKNOWN
    birth_date: date | None = None
    hometown: str = ""
    hobbies: str = ""
    income_band: Customer.IncomeBand = Customer.IncomeBand.UNKNOWN
    household_size: int | None = None
    id_type: str = Field("", description="One of: " + ", ".join(Customer.IdType.values))
    id_number: str = Field("", description="Accepted on input; answered only masked.")
    email: str = ""
    wechat: str = ""
    emergency_contact: str = ""
    notes: str = ""
    phones: list[str] = Field(default_factory=list, description="Replaces every number when given.")


class CustomerIn(CustomerFields):
    project: int
    code: str = Field("", description="Customer number; the next free one when blank.")


class CustomerOut(Schema):
    id: int
    project: int = Field(validation_alias="project_id")
    code: str
    name: str
    kind: str
    customer_type: str
    gender: str
    birth_date: date | None
    hometown: str
    hobbies: str
    income_band: str
    household_size: int | None
    id_type: str
    id_number_masked: str = Field(validation_alias="masked_id_number")
    email: str
    wechat: str
    emergency_contact: str
    notes: str
    phones: list[str]
    last_confirmed_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_phones(obj) -> list[str]:
        return [p.number for p in obj.phones.all()]


class CustomerPage(Schema):
    count: int
    items: list[CustomerOut]


class OccupancyFilter(PageQuery):
    project: int | None = None
    unit: int | None = None
    customer: int | None = None
    current: bool = False


class OccupancyFields(InSchema):
    role: Occupancy.Role
    relation: str = ""
    start_date: date
    end_date: date | None = None


class OccupancyIn(OccupancyFields):
    unit: int
    customer: int


class OccupancyOut(Schema):
    id: int
    unit: int = Field(validation_alias="unit_id")
    unit_label: str = Field(validation_alias="unit.label")
    customer: int = Field(validation_alias="customer_id")
    customer_name: str = Field(validation_alias="customer.name")
    role: str
    relation: str
    start_date: date
    end_date: date | None
    is_current: bool

    @staticmethod
    def resolve_is_current(obj) -> bool:
        return obj.is_current()


class OccupancyPage(Schema):
    count: int
    items: list[OccupancyOut]
