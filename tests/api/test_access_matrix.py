"""Every operation of the API, called by staff of another project, reveals and changes nothing.

The matrix below must name every operation of the OpenAPI document: a new endpoint makes
test_matrix_covers_every_operation fail until it is added here with a way to call it.
"""

import pytest
from django.test import Client

from propdesk.api.urls import api
from propdesk.archive.models import Customer, Occupancy
from propdesk.core.models import TimelineEvent
from propdesk.org.models import Building, Project, Unit
from propdesk.service import services as service_services
from propdesk.service.models import IdempotencyKey, SlaTimer, WorkOrder
from tests import domain_matrices
from tests.api.conftest import Api, token_for
from tests.factories import OccupancyFactory, UnitFactory

PUBLIC = {("/api/v1/auth/token", "post")}

# List operations: the query parameters to try; none may return a row of the first project.
LISTS = {
    ("/api/v1/projects", "get"): lambda e: [{}],
    ("/api/v1/buildings", "get"): lambda e: [{}, {"project": e["project"].pk}],
    ("/api/v1/units", "get"): lambda e: [
        {}, {"project": e["project"].pk}, {"building": e["building"].pk}, {"number": "1201"}],
    ("/api/v1/customers", "get"): lambda e: [
        {}, {"project": e["project"].pk}, {"name": "王建国"}, {"phone": "13812345678"}],
    ("/api/v1/occupancies", "get"): lambda e: [
        {}, {"project": e["project"].pk}, {"unit": e["unit"].pk}, {"customer": e["customer"].pk},
        {"current": "true"}],
    ("/api/v1/work-orders", "get"): lambda e: [
        {}, {"project": e["project"].pk}, {"building": e["building"].pk}, {"open": "false"},
        {"state": "received"}, {"kind": "repair_home"}, {"priority": "emergency"}, {"scope": "team"},
        {"assignee": e["work_order"].first_receiver_id}],
}

# Other operations: the path and a valid body aimed at the first project's objects.
OBJECTS = {
    ("/api/v1/projects", "post"): lambda e: (
        "/projects", {"company": e["project"].company_id, "code": "stolen", "name": "冒名项目"}),
    ("/api/v1/projects/{project_id}", "get"): lambda e: (f"/projects/{e['project'].pk}", None),
    ("/api/v1/projects/{project_id}", "patch"): lambda e: (f"/projects/{e['project'].pk}", {"name": "改名"}),
    ("/api/v1/buildings", "post"): lambda e: (
        "/buildings", {"project": e["project"].pk, "code": "99", "name": "99栋"}),
    ("/api/v1/buildings/{building_id}", "get"): lambda e: (f"/buildings/{e['building'].pk}", None),
    ("/api/v1/buildings/{building_id}", "patch"): lambda e: (f"/buildings/{e['building'].pk}", {"floors": 1}),
    ("/api/v1/units", "post"): lambda e: (
        "/units", {"building": e["building"].pk, "number": "9901", "floor": 99, "area": "50"}),
    ("/api/v1/units/{unit_id}", "get"): lambda e: (f"/units/{e['unit'].pk}", None),
    ("/api/v1/units/{unit_id}", "patch"): lambda e: (f"/units/{e['unit'].pk}", {"status": "let"}),
    ("/api/v1/customers", "post"): lambda e: (
        "/customers", {"project": e["project"].pk, "name": "冒名者", "phones": ["13900000000"]}),
    ("/api/v1/customers/{customer_id}", "get"): lambda e: (f"/customers/{e['customer'].pk}", None),
    ("/api/v1/customers/{customer_id}", "patch"): lambda e: (
        f"/customers/{e['customer'].pk}", {"name": "改名", "phones": ["13900000000"]}),
    ("/api/v1/occupancies", "post"): lambda e: (
        "/occupancies", {"unit": e["spare_unit"].pk, "customer": e["customer"].pk, "role": "owner",
                         "start_date": "2024-01-01"}),
    ("/api/v1/occupancies/{occupancy_id}", "get"): lambda e: (f"/occupancies/{e['occupancy'].pk}", None),
    ("/api/v1/occupancies/{occupancy_id}", "patch"): lambda e: (
        f"/occupancies/{e['occupancy'].pk}", {"relation": "本人"}),
    ("/api/v1/work-orders", "post"): lambda e: (
        "/work-orders", {"project": e["project"].pk, "kind": "repair_home", "channel": "hotline",
                         "description": "冒名报修", "unit": e["unit"].pk}),
    ("/api/v1/work-orders/{work_order_id}", "get"): lambda e: (f"/work-orders/{e['work_order'].pk}", None),
    ("/api/v1/work-orders/{work_order_id}/transitions", "post"): lambda e: (
        f"/work-orders/{e['work_order'].pk}/transitions", {"action": "cancel", "note": "冒名取消"}),
}

# What of the first project must never show in another project's answers.
SECRETS = ["阳光花园", "sunny", "王建国", "13812345678", "3-2-1201", "1101**********1234", "天花板漏水"]


def op_id(operation) -> str:
    return f"{operation[1].upper()} {operation[0].removeprefix('/api/v1')}"


def schema_operations() -> set[tuple[str, str]]:
    return {(path, method) for path, ops in api.get_openapi_schema()["paths"].items() for method in ops}


def test_matrix_covers_every_operation():
    """This matrix (archive and service desk) and the domains' (tests/domain_matrices.py) name every operation."""
    assert not set(LISTS) & set(OBJECTS)
    assert not (set(LISTS) | set(OBJECTS)) & domain_matrices.api_operations()
    assert set(LISTS) | set(OBJECTS) | PUBLIC | domain_matrices.api_operations() == schema_operations()


def snapshot(project) -> dict:
    """Everything a stray write could change in the first project."""
    return {
        "project": Project.objects.filter(pk=project.pk).values().get(),
        "buildings": list(Building.objects.filter(project=project).values()),
        "units": list(Unit.objects.filter(project=project).values()),
        "customers": list(Customer.objects.filter(project=project).values()),
        "occupancies": list(Occupancy.objects.filter(unit__project=project).values()),
        "work_orders": list(WorkOrder.objects.filter(project=project).values()),
        "timers": list(SlaTimer.objects.filter(work_order__project=project).values()),
        "all_work_orders": WorkOrder.objects.count(),
        "idempotency_keys": IdempotencyKey.objects.count(),
        "projects": Project.objects.count(),
        "events": TimelineEvent.objects.count(),
    }


@pytest.fixture
def estate(estate, staff):
    """The first project's archive and a work order of it: an emergency leak reported by its owner."""
    wo, _created = service_services.create_work_order(
        staff, project=estate["project"], kind="repair_home", channel="hotline", priority="emergency",
        description="3栋1201卫生间天花板漏水", unit=estate["unit"], requester=estate["customer"])
    return {**estate, "work_order": wo}


@pytest.fixture
def outsiders_own_data(other_project, outsider):
    """The outsider's project has rows of its own, so empty answers are not a false success."""
    unit = UnitFactory(building__project=other_project, building__code="R1", building__name="江畔1栋",
                       entrance="", number="0808", floor=8)
    occupancy = OccupancyFactory(unit=unit, customer__name="江畔住户", customer__phones=["13600000000"],
                                 customer__id_number="440301198502023456")
    service_services.create_work_order(outsider, project=other_project, kind="repair_home", channel="walk_in",
                                       description="江畔住户厨房灯不亮", unit=unit, requester=occupancy.customer)
    return occupancy


@pytest.fixture(params=["token", "session"])
def outsider_client(request, outsider):
    if request.param == "token":
        return Api(token_for(outsider))
    client = Client()
    client.force_login(outsider)
    return Api(client=client)


def assert_reveals_nothing(response, estate, kind):
    body = response.content.decode()
    for secret in SECRETS + [estate["building"].name + "\"", estate["customer"].code]:
        assert secret not in body, f"{kind} {response.request['PATH_INFO']} leaked {secret!r}"


@pytest.mark.parametrize("operation", sorted(LISTS), ids=op_id)
def test_lists_hold_no_row_of_another_project(operation, estate, outsiders_own_data, outsider_client):
    unfiltered = outsider_client.get(operation[0].removeprefix("/api/v1"))
    assert unfiltered.status_code == 200
    assert unfiltered.json()["count"] >= 1, "the outsider should at least see their own project's rows"

    for params in LISTS[operation](estate):
        response = outsider_client.get(operation[0].removeprefix("/api/v1"), **params)
        assert response.status_code == 200
        for item in response.json()["items"]:
            assert item.get("project", estate["project"].pk + 1000) != estate["project"].pk
            assert item["id"] not in first_project_ids(operation[0], estate)
        assert_reveals_nothing(response, estate, "list")


def first_project_ids(path: str, estate) -> set[int]:
    resource = path.rsplit("/", 1)[1]
    project = estate["project"]
    return {
        "projects": {project.pk},
        "buildings": set(Building.objects.filter(project=project).values_list("pk", flat=True)),
        "units": set(Unit.objects.filter(project=project).values_list("pk", flat=True)),
        "customers": set(Customer.objects.filter(project=project).values_list("pk", flat=True)),
        "occupancies": set(Occupancy.objects.filter(unit__project=project).values_list("pk", flat=True)),
        "work-orders": set(WorkOrder.objects.filter(project=project).values_list("pk", flat=True)),
    }[resource]


@pytest.mark.parametrize("operation", sorted(OBJECTS), ids=op_id)
def test_objects_of_another_project_are_refused(operation, estate, outsiders_own_data, outsider_client):
    before = snapshot(estate["project"])
    path, body = OBJECTS[operation](estate)

    response = outsider_client.call(operation[1], path, body)

    assert response.status_code in (403, 404), response.content
    assert_reveals_nothing(response, estate, operation[1])
    assert snapshot(estate["project"]) == before


@pytest.mark.parametrize("operation", sorted(set(LISTS) | set(OBJECTS)), ids=op_id)
def test_every_operation_but_the_token_needs_credentials(operation, estate):
    if operation in LISTS:
        path, body = operation[0].removeprefix("/api/v1"), None
    else:
        path, body = OBJECTS[operation](estate)
    before = snapshot(estate["project"])

    response = Api().call(operation[1], path, body)

    assert response.status_code == 401
    assert_reveals_nothing(response, estate, operation[1])
    assert snapshot(estate["project"]) == before
