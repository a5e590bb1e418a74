"""Projects, buildings and units. Each view calls one selector or service; scoping and rules live there."""

from ninja import Query, Router, Status

from propdesk.org import selectors, services

from .errors import required
from .schemas import (
    BODY_ERRORS,
    ERRORS,
    LIST_ERRORS,
    BuildingFields,
    BuildingFilter,
    BuildingIn,
    BuildingOut,
    BuildingPage,
    PageQuery,
    Patch,
    PathId,
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

router = Router()


# -- projects ------------------------------------------------------------------------------------

@router.get("/projects", response={200: ProjectPage, **LIST_ERRORS}, tags=["projects"])
def list_projects(request, query: Query[PageQuery]):
    return page(selectors.projects_for(request.auth), query)


@router.post("/projects", response={201: ProjectOut, **BODY_ERRORS}, tags=["projects"])
def create_project(request, payload: ProjectIn):
    """Open a new project (company administrators only)."""
    fields = payload.model_dump(exclude_unset=True, exclude={"company"})
    company_id = payload.company or request.auth.company_id or required("company")
    company = selectors.get_company(request.auth, company_id)
    return Status(201, services.create_project(request.auth, company=company, **fields))


@router.get("/projects/{project_id}", response={200: ProjectOut, **ERRORS}, tags=["projects"])
def get_project(request, project_id: PathId):
    return selectors.get_project(request.auth, project_id)


@router.patch("/projects/{project_id}", response={200: ProjectOut, **BODY_ERRORS}, tags=["projects"])
def update_project(request, project_id: PathId, payload: Patch[ProjectFields]):
    project = selectors.get_project(request.auth, project_id)
    services.update_project(request.auth, project, payload)
    return project


# -- buildings -----------------------------------------------------------------------------------

@router.get("/buildings", response={200: BuildingPage, **LIST_ERRORS}, tags=["buildings"])
def list_buildings(request, query: Query[BuildingFilter]):
    return page(selectors.buildings_for(request.auth, project_id=query.project), query)


@router.post("/buildings", response={201: BuildingOut, **BODY_ERRORS}, tags=["buildings"])
def create_building(request, payload: BuildingIn):
    project = selectors.get_project(request.auth, payload.project)
    fields = payload.model_dump(exclude_unset=True, exclude={"project"})
    return Status(201, services.create_building(request.auth, project=project, **fields))


@router.get("/buildings/{building_id}", response={200: BuildingOut, **ERRORS}, tags=["buildings"])
def get_building(request, building_id: PathId):
    return selectors.get_building(request.auth, building_id)


@router.patch("/buildings/{building_id}", response={200: BuildingOut, **BODY_ERRORS}, tags=["buildings"])
def update_building(request, building_id: PathId, payload: Patch[BuildingFields]):
    building = selectors.get_building(request.auth, building_id)
    services.update_building(request.auth, building, payload)
    return building


# -- units ---------------------------------------------------------------------------------------

@router.get("/units", response={200: UnitPage, **LIST_ERRORS}, tags=["units"])
def list_units(request, query: Query[UnitFilter]):
    units = selectors.units_for(request.auth, project_id=query.project, building_id=query.building,
                                number=query.number)
    return page(units, query)


@router.post("/units", response={201: UnitOut, **BODY_ERRORS}, tags=["units"])
def create_unit(request, payload: UnitIn):
    building = selectors.get_building(request.auth, payload.building)
    fields = payload.model_dump(exclude_unset=True, exclude={"building"})
    return Status(201, services.create_unit(request.auth, building=building, **fields))


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS}, tags=["units"])
def get_unit(request, unit_id: PathId):
    return selectors.get_unit(request.auth, unit_id)


@router.patch("/units/{unit_id}", response={200: UnitOut, **BODY_ERRORS}, tags=["units"])
def update_unit(request, unit_id: PathId, payload: Patch[UnitFields]):
    unit = selectors.get_unit(request.auth, unit_id)
    services.update_unit(request.auth, unit, payload)
    return unit
