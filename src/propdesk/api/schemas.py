"""Request and response shapes of the API.

Inputs forbid unknown fields, so a typo is a 422 rather than a silently ignored value. Choices
and uniqueness are left to the models' own validation, run by the services, so each rule is written
once; what the database itself cannot hold is declared here too, so the OpenAPI document tells
clients the truth and nothing reaches the database that would fail there (a 500): ids within the
64-bit range (`Id`, `BodyId`, `PathId`), text within its column's length and without NUL characters
(`text()`), small numbers within their column, numbers and dates as JSON numbers and ISO dates
(`Whole`, `Day`), and a PATCH that keeps every field's limits (`Patch`). These limits were found by
the fuzzed run of tests/fuzz. Customers never carry the raw ID number out: only `id_number_masked`.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Body, Field, Path, Schema
from ninja.patch_dict import ModelToDict
from pydantic import BeforeValidator, ConfigDict, Strict, create_model
from pydantic_core import PydanticCustomError

from propdesk.archive.models import Customer, CustomerPhone, Occupancy
from propdesk.org.models import Building, Project, Unit

MAX_ID = 2**63 - 1  # a 64-bit primary key; a larger number cannot even be looked up
Id = Annotated[int, Field(ge=1, le=MAX_ID)]  # in a query, where every value arrives as text
# In a JSON body a number must be a JSON number: not `true` (read as 1) nor "5" nor 5.0.
Whole = Annotated[int, Strict()]
BodyId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
SMALL_MAX = 32767  # PositiveSmallIntegerField / SmallIntegerField hold no more on every database
NO_NUL = r"^[^\u0000]*$"  # PostgreSQL text cannot hold NUL; SQLite would store it unsearchably
SEARCH_MAX = 100  # a search term longer than any column it is compared with finds nothing anyway


def text(model, name: str, default=..., **kwargs):
    """A string input as long as the model's column allows (TextField: unlimited), without NUL."""
    return Field(default, max_length=model._meta.get_field(name).max_length, pattern=NO_NUL, **kwargs)


def search(**kwargs):
    """An optional text filter of a list."""
    return Field(None, max_length=SEARCH_MAX, pattern=NO_NUL, **kwargs)


# A path id: 1 to 2⁶³-1, else a 422 naming the parameter (not a 500, nor an HTML 404).
PathId = Annotated[int, Path(..., ge=1, le=MAX_ID)]


def _date_text(value):
    """A date comes as "YYYY-MM-DD"; pydantic alone would also read a number as a Unix time (0 → 1970)."""
    if isinstance(value, str | date):
        return value
    raise PydanticCustomError("date_type", "Input should be a valid date")


Day = Annotated[date, BeforeValidator(_date_text)]


class InSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class _Patch:
    """`Patch[Fields]`: the body of a PATCH, answered to the view as the dict of the fields sent.

    Unlike Ninja's PatchDict, each field keeps its type and constraints (length, pattern, bounds):
    a field may be left out, but `null` is accepted only where the field itself is nullable, so
    `{"name": null}` is a 422 rather than a NOT NULL error of the database (a 500).
    """

    def __getitem__(self, schema_cls):
        fields = {name: (Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation,
                         Field(None, description=info.description))
                  for name, info in schema_cls.model_fields.items()}
        model = create_model(f"{schema_cls.__name__}Patch", __base__=schema_cls, **fields)
        body = type(f"{schema_cls.__name__}PatchDict", (ModelToDict,), {
            "_wrapped_model": model, "_wrapped_model_dump_params": {"exclude_unset": True}})
        return Body[body]


Patch = _Patch()


class PageQuery(Schema):
    """limit/offset pagination; every list answers {"count": total, "items": [...]}."""

    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_ID)


def page_of(name: str, item: type[Schema]) -> type[Schema]:
    """The answer of a list endpoint: {"count": total, "items": [item, ...]}."""
    return create_model(name, __base__=Schema, __module__=__name__, count=(int, ...), items=(list[item], ...))


def page(queryset, query: PageQuery) -> dict:
    """One page of an (already scoped and prefetched) queryset, with the total count."""
    return {"count": queryset.count(), "items": list(queryset[query.offset:query.offset + query.limit])}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


# What an operation may answer besides its result: 401 unauthenticated, 422 invalid parameters;
# 403/404 for one object; 400 for a body that is not JSON.
LIST_ERRORS = {401: ErrorOut, 422: ErrorOut}
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
BODY_ERRORS = {400: ErrorOut, **ERRORS}


# -- projects, buildings, units ----------------------------------------------------------------

class ProjectFields(InSchema):
    name: str = text(Project, "name")
    kind: Project.Kind = Project.Kind.RESIDENTIAL
    service_mode: Project.ServiceMode = Project.ServiceMode.BUTLER
    address: str = text(Project, "address", "")
    phone: str = text(Project, "phone", "")
    timezone: str = text(Project, "timezone", "Asia/Shanghai")


class ProjectIn(ProjectFields):
    code: str = text(Project, "code")
    company: BodyId | None = Field(None, description="Defaults to the caller's company.")


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


ProjectPage = page_of("ProjectPage", ProjectOut)


class BuildingFilter(PageQuery):
    project: Id | None = None


class BuildingFields(InSchema):
    code: str = text(Building, "code")
    name: str = text(Building, "name")
    floors: Whole | None = Field(None, ge=0, le=SMALL_MAX)


class BuildingIn(BuildingFields):
    project: BodyId


class BuildingOut(Schema):
    id: int
    project: int = Field(validation_alias="project_id")
    code: str
    name: str
    floors: int | None


BuildingPage = page_of("BuildingPage", BuildingOut)


class UnitFilter(PageQuery):
    project: Id | None = None
    building: Id | None = None
    number: str | None = search()


class UnitFields(InSchema):
    entrance: str = text(Unit, "entrance", "")
    number: str = text(Unit, "number")
    floor: Whole = Field(..., ge=-SMALL_MAX - 1, le=SMALL_MAX)
    area: Decimal = Field(..., max_digits=9, decimal_places=2)
    layout: str = text(Unit, "layout", "")
    status: Unit.Status = Unit.Status.VACANT


class UnitIn(UnitFields):
    building: BodyId


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


UnitPage = page_of("UnitPage", UnitOut)


# -- customers and occupancies -----------------------------------------------------------------

class CustomerFilter(PageQuery):
    project: Id | None = None
    name: str | None = search()
    phone: str | None = search()


Phone = Annotated[str, Field(max_length=CustomerPhone._meta.get_field("number").max_length, pattern=NO_NUL)]


class CustomerFields(InSchema):
    name: str = text(Customer, "name")
    kind: Customer.Kind = Customer.Kind.PERSON
    customer_type: Customer.CustomerType = Customer.CustomerType.INDIVIDUAL
    gender: Customer.Gender = Customer.Gender.UNKNOWN
    birth_date: Day | None = None
    hometown: str = text(Customer, "hometown", "")
    hobbies: str = text(Customer, "hobbies", "")
    income_band: Customer.IncomeBand = Customer.IncomeBand.UNKNOWN
    household_size: Whole | None = Field(None, ge=0, le=SMALL_MAX)
    id_type: str = Field("", max_length=20, pattern=NO_NUL,
                         description="One of: " + ", ".join(Customer.IdType.values))
    # 40: the longest ID document number the archive keeps.
    id_number: str = Field("", max_length=40, pattern=NO_NUL,
                           description="Accepted on input; answered only masked.")
    email: str = text(Customer, "email", "")
    wechat: str = text(Customer, "wechat", "")
    emergency_contact: str = text(Customer, "emergency_contact", "")
    notes: str = text(Customer, "notes", "")
    phones: list[Phone] = Field(default_factory=list, max_length=20,
                                description="Replaces every number when given.")


class CustomerIn(CustomerFields):
    project: BodyId
    code: str = text(Customer, "code", "", description="Customer number; the next free one when blank.")


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


CustomerPage = page_of("CustomerPage", CustomerOut)


class OccupancyFilter(PageQuery):
    project: Id | None = None
    unit: Id | None = None
    customer: Id | None = None
    current: bool = False


class OccupancyFields(InSchema):
    role: Occupancy.Role
    relation: str = text(Occupancy, "relation", "")
    start_date: Day
    end_date: Day | None = None


class OccupancyIn(OccupancyFields):
    unit: BodyId
    customer: BodyId


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


OccupancyPage = page_of("OccupancyPage", OccupancyOut)
