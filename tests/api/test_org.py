"""Projects, buildings and units through the API: create, read, update, filters, pagination."""

from propdesk.core.models import TimelineEvent
from propdesk.org.models import Building, Company, Project, Unit
from tests.factories import BuildingFactory, UnitFactory


def test_company_admin_opens_a_project(admin_api, project):
    company = Company.objects.get()

    response = admin_api.post("/projects", {"company": company.pk, "code": "lake", "name": "湖畔名苑",
                                            "kind": "office", "service_mode": "hotel"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "湖畔名苑" and body["kind"] == "office" and body["company"] == company.pk
    assert Project.objects.filter(code="lake").exists()


def test_front_desk_may_not_open_a_project(desk_api, project):
    response = desk_api.post("/projects", {"company": project.company_id, "code": "lake", "name": "湖畔名苑"})

    assert response.status_code == 403
    assert not Project.objects.filter(code="lake").exists()


def test_project_without_company_is_422_when_the_admin_has_none(admin_api, project):
    response = admin_api.post("/projects", {"code": "lake", "name": "湖畔名苑"})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["company"]


def test_staff_read_their_project_and_its_manager_renames_it(project, desk_api, manager, api_as):
    assert desk_api.get(f"/projects/{project.pk}").json()["name"] == "阳光花园"
    assert desk_api.patch(f"/projects/{project.pk}", {"name": "新名字"}).status_code == 403

    response = api_as(manager).patch(f"/projects/{project.pk}", {"phone": "0755-88886666"})

    assert response.status_code == 200
    assert response.json()["phone"] == "0755-88886666"
    assert response.json()["name"] == "阳光花园"  # untouched: PATCH is partial
    project.refresh_from_db()
    assert project.phone == "0755-88886666"
    assert TimelineEvent.objects.filter(verb="org.project.changed").count() == 1


def test_building_crud(desk_api, project):
    created = desk_api.post("/buildings", {"project": project.pk, "code": "5", "name": "5栋", "floors": 18})
    assert created.status_code == 201, created.content
    building_id = created.json()["id"]
    assert created.json() == {"id": building_id, "project": project.pk, "code": "5", "name": "5栋", "floors": 18}

    assert desk_api.get(f"/buildings/{building_id}").json()["name"] == "5栋"
    changed = desk_api.patch(f"/buildings/{building_id}", {"floors": 20})
    assert changed.status_code == 200 and changed.json()["floors"] == 20
    assert Building.objects.get(pk=building_id).floors == 20


def test_duplicate_building_number_is_a_field_error(desk_api, project):
    BuildingFactory(project=project, code="5")

    response = desk_api.post("/buildings", {"project": project.pk, "code": "5", "name": "5栋"})

    assert response.status_code == 422
    assert response.json()["errors"]


def test_buildings_filter_by_project_and_paginate(admin_api, project, other_project):
    for i in range(5):
        BuildingFactory(project=project, code=str(i + 1))
    BuildingFactory(project=other_project, code="1")

    mine = admin_api.get("/buildings", project=project.pk, limit=2, offset=2).json()

    assert mine["count"] == 5
    assert [b["code"] for b in mine["items"]] == ["3", "4"]
    assert admin_api.get("/buildings").json()["count"] == 6


def test_unit_crud(desk_api, estate):
    building = estate["building"]
    created = desk_api.post("/units", {"building": building.pk, "entrance": "1", "number": "0301", "floor": 3,
                                       "area": "120.50", "layout": "三室两厅"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["label"] == "3-1-0301" and body["area"] == "120.50" and body["project"] == building.project_id

    changed = desk_api.patch(f"/units/{body['id']}", {"status": "let"})
    assert changed.status_code == 200 and changed.json()["status"] == "let"
    assert desk_api.get(f"/units/{body['id']}").json()["status"] == "let"


def test_unit_area_rule_of_the_service_is_a_field_error(desk_api, estate):
    response = desk_api.post("/units", {"building": estate["building"].pk, "number": "0302", "floor": 3,
                                        "area": "0"})

    assert response.status_code == 422
    assert "area" in response.json()["errors"]
    assert not Unit.objects.filter(number="0302").exists()


def test_units_filter_by_building_and_number(desk_api, estate):
    other_building = BuildingFactory(project=estate["project"], code="7")
    UnitFactory(building=other_building, number="1201")

    by_number = desk_api.get("/units", number="1201").json()
    by_both = desk_api.get("/units", number="1201", building=estate["building"].pk).json()

    assert by_number["count"] == 2
    assert [u["id"] for u in by_both["items"]] == [estate["unit"].pk]
    assert desk_api.get("/units", project=estate["project"].pk).json()["count"] == 3


def test_pagination_limits_are_validated(desk_api, project):
    response = desk_api.get("/units", limit=0)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["limit"]
    assert desk_api.get("/units", limit=201).status_code == 422
