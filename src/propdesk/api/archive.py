"""Customers and occupancies. Each view calls one selector or service; scoping and rules live there.

A customer's full ID number goes in (create, update) but never comes out: responses carry only
`id_number_masked`; revealing it is a console action that is recorded on the timeline.
"""

from ninja import Query, Router, Status

from propdesk.archive import selectors, services
from propdesk.org import selectors as org_selectors

from .schemas import (
    BODY_ERRORS,
    ERRORS,
    LIST_ERRORS,
    CustomerFields,
    CustomerFilter,
    CustomerIn,
    CustomerOut,
    CustomerPage,
    OccupancyFields,
    OccupancyFilter,
    OccupancyIn,
    OccupancyOut,
    OccupancyPage,
    Patch,
    PathId,
    page,
)

router = Router()


# -- customers -----------------------------------------------------------------------------------

@router.get("/customers", response={200: CustomerPage, **LIST_ERRORS}, tags=["customers"])
def list_customers(request, query: Query[CustomerFilter]):
    customers = selectors.customers_for(request.auth, project_id=query.project, name=query.name,
                                        phone=query.phone)
    return page(customers, query)


@router.post("/customers", response={201: CustomerOut, **BODY_ERRORS}, tags=["customers"])
def create_customer(request, payload: CustomerIn):
    """Register a customer with their phone numbers; nothing is written if any value is invalid."""
    project = org_selectors.get_project(request.auth, payload.project)
    fields = payload.model_dump(exclude_unset=True, exclude={"project", "phones"})
    customer = services.create_customer(request.auth, project=project, phones=payload.phones, **fields)
    return Status(201, selectors.get_customer(request.auth, customer.pk))


@router.get("/customers/{customer_id}", response={200: CustomerOut, **ERRORS}, tags=["customers"])
def get_customer(request, customer_id: PathId):
    return selectors.get_customer(request.auth, customer_id)


@router.patch("/customers/{customer_id}", response={200: CustomerOut, **BODY_ERRORS}, tags=["customers"])
def update_customer(request, customer_id: PathId, payload: Patch[CustomerFields]):
    """Change a customer's facts; `phones`, when given, replaces every number."""
    customer = selectors.get_customer(request.auth, customer_id)
    phones = payload.pop("phones", None)
    services.update_customer(request.auth, customer, payload, phones=phones)
    return selectors.get_customer(request.auth, customer_id)


# -- occupancies ---------------------------------------------------------------------------------

@router.get("/occupancies", response={200: OccupancyPage, **LIST_ERRORS}, tags=["occupancies"])
def list_occupancies(request, query: Query[OccupancyFilter]):
    occupancies = selectors.occupancies_for(request.auth, project_id=query.project, unit_id=query.unit,
                                            customer_id=query.customer, current_only=query.current)
    return page(occupancies, query)


@router.post("/occupancies", response={201: OccupancyOut, **BODY_ERRORS}, tags=["occupancies"])
def create_occupancy(request, payload: OccupancyIn):
    """Register a customer as owner, tenant or household member of a unit."""
    unit = org_selectors.get_unit(request.auth, payload.unit)
    customer = selectors.get_customer(request.auth, payload.customer)
    fields = payload.model_dump(exclude_unset=True, exclude={"unit", "customer"})
    return Status(201, services.add_occupancy(request.auth, unit=unit, customer=customer, **fields))


@router.get("/occupancies/{occupancy_id}", response={200: OccupancyOut, **ERRORS}, tags=["occupancies"])
def get_occupancy(request, occupancy_id: PathId):
    return selectors.get_occupancy(request.auth, occupancy_id)


@router.patch("/occupancies/{occupancy_id}", response={200: OccupancyOut, **BODY_ERRORS},
              tags=["occupancies"])
def update_occupancy(request, occupancy_id: PathId, payload: Patch[OccupancyFields]):
    occupancy = selectors.get_occupancy(request.auth, occupancy_id)
    services.update_occupancy(request.auth, occupancy, payload)
    return occupancy
