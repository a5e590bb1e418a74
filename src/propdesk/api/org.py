"""Projects, buildings and units. Each view calls one selector or service; scoping and rules live there."""

from ninja import PatchDict, Query, Router, Status

from propdesk.org import selectors, services

from .errors import required
from .schemas import (
    BuildingFields,
    BuildingFilter,
    BuildingIn,
    BuildingOut,
    BuildingPage,
    ErrorOut,
    PageQuery,
    ProjectFields,
    ProjectIn,
    ProjectOut,
    ProjectPage,
    UnitFields,
    UnitFilter,
    UnitIn,
    UnitOut,
    UnitPage,
    page,
)

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

router = Router()


# -- projects ------------------------------------------------------------------------------------

@router.get("/projects", response=ProjectPage, tags=["projects"])
def list_projects(request, query: Query[PageQuery]):
    return page(selectors.projects_for(request.auth), query)


@router.post("/projects", response={201: ProjectOut, **ERRORS}, tags=["projects"])
def create_project(request, payload: ProjectIn):
    """Open a new project (company administrators only)."""
    fields = payload.model_dump(exclude_unset=True, exclude={"company"})
    company_id = payload.company or request.auth.company_id or required("company")
    company = selectors.get_company(request.auth, company_id)
    return Status(201, services.create_project(request.auth, company=company, **fields))


@router.get("/projects/{int:project_id}", response={200: ProjectOut, **ERRORS}, tags=["projects"])
def get_project(request, project_id: int):
    return selectors.get_project(request.auth, project_id)


@router.patch("/projects/{int:project_id}", response={200: ProjectOut, **ERRORS}, tags=["projects"])
def update_project(request, project_id: int, payload: PatchDict[ProjectFields]):
    project = selectors.get_project(request.auth, project_id)
    services.update_project(request.auth, project, payload)
    return project


# -- buildings -----------------------------------------------------------------------------------

@router.get("/buildings", response=BuildingPage, tags=["buildings"])
def list_buildings(request, query: Query[BuildingFilter]):
    return page(selectors.buildings_for(request.auth, project_id=query.project), query)


@router.post("/buildings", response={201: BuildingOut, **ERRORS}, tags=["buildings"])
def create_building(request, payload: BuildingIn):
    project = selectors.get_project(request.auth, payload.project)
    fields = payload.model_dump(exclude_unset=True, exclude={"project"})
    return Status(201, services.create_building(request.auth, project=project, **fields))


@router.get("/buildings/{int:building_id}", response={200: BuildingOut, **ERRORS}, tags=["buildings"])
def get_building(request, building_id: int):
    return selectors.get_building(request.auth, building_id)


@router.patch("/buildings/{int:building_id}", response={200: BuildingOut, **ERRORS}, tags=["buildings"])
def update_building(request, building_id: int, payload: PatchDict[BuildingFields]):
    building = selectors.get_building(request.auth, building_id)
    services.update_building(request.auth, building, payload)
    return building


# -- units ---------------------------------------------------------------------------------------

@router.get("/units", response=UnitPage, tags=["units"])
def list_units(request, query: Query[UnitFilter]):
    units = selectors.units_for(request.auth, project_id=query.project, building_id=query.building,
                                number=query.number)
    return page(units, query)


@router.post("/units", response={201: UnitOut, **ERRORS}, tags=["units"])
def create_unit(request, payload: UnitIn):
    building = selectors.get_building(request.auth, payload.building)
    fields = payload.model_dump(exclude_unset=True, exclude={"building"})
    return Status(201, services.create_unit(request.auth, building=building, **fields))


@router.get("/units/{int:unit_id}", response={200: UnitOut, **ERRORS}, tags=["units"])
def get_unit(request, unit_id: int):
    return selectors.get_unit(request.auth, unit_id)


@router.patch("/units/{int:unit_id}", response={200: UnitOut, **ERRORS}, tags=["units"])
def update_unit(request, unit_id: int, payload: PatchDict[UnitFields]):
    unit = selectors.get_unit(request.auth, unit_id)
    services.update_unit(request.auth, unit, payload)
    return unit
