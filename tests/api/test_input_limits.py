"""What the database cannot hold is refused by the schemas with a 422 naming the field.

Each test pins a failure the fuzzed run (tests/fuzz) found: before, these inputs reached the
database and answered 500 (or an HTML page), or were silently read as something else.
"""

import pytest

from propdesk.api.urls import api
from propdesk.org.models import Building, Project
from propdesk.service.services import create_work_order
from tests.api.conftest import Api

HUGE = 2**64  # beyond a 64-bit id
NUL_MESSAGE = "Remove the characters that cannot be stored (such as NUL) from this text."


@pytest.fixture
def en(manager, api_as):
    """The project manager of `project`, reading English."""
    return api_as(manager, language="en")


def assert_field_error(response, field: str, message: str | None = None):
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert field in errors, errors
    if message is not None:
        assert message in errors[field]


@pytest.mark.parametrize("raw", ["0", "-1", str(HUGE), "abc"])
def test_path_ids_outside_the_id_range_are_a_422_on_the_parameter(en, estate, raw):
    assert_field_error(en.get(f"/projects/{raw}"), "project_id")
    assert_field_error(en.post(f"/work-orders/{raw}/transitions", {"action": "accept"}), "work_order_id")


def test_an_unknown_path_under_the_api_is_a_json_404(en, estate):
    response = en.get(f"/projects/{estate['project'].pk}/nothing/here")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_huge_ids_in_a_body_or_a_query_are_a_422(en, estate):
    assert_field_error(en.post("/buildings", {"project": HUGE, "code": "9", "name": "9栋"}), "project")
    assert_field_error(en.get("/units", building=HUGE), "building")
    assert_field_error(en.get("/work-orders", offset=HUGE), "offset")


def test_numbers_beyond_their_column_are_a_422(en, estate):
    assert_field_error(en.patch(f"/buildings/{estate['building'].pk}", {"floors": 70000}), "floors")
    assert_field_error(en.post("/units", {"building": estate["building"].pk, "number": "1", "floor": 40000,
                                          "area": "1"}), "floor")
    assert_field_error(en.post("/units", {"building": estate["building"].pk, "number": "1", "floor": 1,
                                          "area": "12345678901"}), "area")


def test_nul_characters_in_text_are_a_422_not_a_database_error(en, estate):
    response = en.post("/customers", {"project": estate["project"].pk, "name": "王\x00建国"})
    assert_field_error(response, "name", NUL_MESSAGE)
    assert_field_error(en.get("/customers", name="王\x00"), "name", NUL_MESSAGE)
    assert_field_error(en.post("/work-orders", {"project": estate["project"].pk, "kind": "repair_public",
                                                "channel": "hotline", "description": "漏水\x00"}),
                       "description", NUL_MESSAGE)


def test_lone_surrogates_are_a_422(en, estate):
    body = f'{{"project": {estate["project"].pk}, "name": "\\ud800"}}'  # valid JSON, not valid text
    assert_field_error(en.post("/customers", raw=body), "name", NUL_MESSAGE)


def test_text_longer_than_its_column_is_a_422(en, estate):
    response = en.post("/buildings", {"project": estate["project"].pk, "code": "9", "name": "楼" * 51})

    assert_field_error(response, "name", "Enter at most 50 characters.")
    assert not Building.objects.filter(code="9").exists()
    assert_field_error(en.patch(f"/customers/{estate['customer'].pk}", {"phones": ["1" * 21]}), "phones")


def test_patch_with_null_for_a_field_that_cannot_be_empty_is_a_422(en, estate):
    project = estate["project"]

    assert_field_error(en.patch(f"/projects/{project.pk}", {"phone": None}), "phone")
    assert_field_error(en.patch(f"/customers/{estate['customer'].pk}", {"name": None}), "name")
    project.refresh_from_db()
    assert project.phone == ""
    # a nullable field may still be cleared, and what is left out stays as it was
    response = en.patch(f"/buildings/{estate['building'].pk}", {"floors": None})
    assert response.status_code == 200
    assert response.json()["floors"] is None
    assert response.json()["name"] == estate["building"].name


def test_patch_keeps_the_limits_of_each_field(en, estate):
    assert_field_error(en.patch(f"/projects/{estate['project'].pk}", {"name": "项" * 101}), "name")
    assert Project.objects.get(pk=estate["project"].pk).name == estate["project"].name


def test_a_date_sent_as_a_number_is_a_422_not_1970(en, estate):
    response = en.post("/occupancies", {"unit": estate["spare_unit"].pk, "customer": estate["customer"].pk,
                                        "role": "owner", "start_date": 0})

    assert_field_error(response, "start_date", "Enter a valid date.")
    assert_field_error(en.patch(f"/occupancies/{estate['occupancy'].pk}", {"end_date": 86400}), "end_date")


def test_token_request_with_an_overlong_or_nul_username_is_a_422(db):
    anonymous = Api(language="en")

    assert_field_error(anonymous.post("/auth/token", {"username": "u" * 5000, "password": "x"}), "username")
    assert_field_error(anonymous.post("/auth/token", {"username": "a\x00", "password": "x"}), "username")
    assert anonymous.post("/auth/token", raw="\x00").status_code == 400


def test_the_document_declares_these_limits_and_every_status_an_operation_answers(db):
    doc = api.get_openapi_schema()
    paths = doc["paths"]
    schemas = doc["components"]["schemas"]

    for path, operations in paths.items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            if path != "/api/v1/auth/token":
                assert {401, 422} <= statuses, (method, path)
            if "requestBody" in operation:
                assert 400 in statuses, (method, path)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["schema"]["type"] == "integer":
                    assert parameter["schema"]["minimum"] == 1
                    assert parameter["schema"]["maximum"] == 2**63 - 1
                elif parameter["in"] == "path":  # a code (a payment provider's): short and plain
                    assert parameter["schema"]["maxLength"] <= 20 and parameter["schema"]["pattern"], (method, path)
    assert {400, 401, 422, 429} <= set(paths["/api/v1/auth/token"]["post"]["responses"])
    assert schemas["BuildingIn"]["properties"]["name"]["maxLength"] == 50
    assert schemas["CustomerIn"]["properties"]["name"]["pattern"] == "^[^\\u0000]*$"
    assert schemas["BuildingFieldsPatch"]["properties"]["name"] == schemas["BuildingIn"]["properties"]["name"]
    assert "required" not in schemas["BuildingFieldsPatch"]


def test_a_number_in_a_body_must_be_a_json_number(en, manager, estate):
    """`false` for floors was stored as 0; "5" or true as an id were read as numbers."""
    building = estate["building"]

    assert_field_error(en.patch(f"/buildings/{building.pk}", {"floors": False}), "floors", "Enter a whole number.")
    assert_field_error(en.post("/units", {"building": str(building.pk), "number": "1", "floor": 1, "area": "1"}),
                       "building", "Enter a whole number.")
    wo, _created = create_work_order(manager, project=estate["project"], kind="repair_home", channel="hotline",
                                     description="厨房水管漏水", unit=estate["unit"])
    response = en.post(f"/work-orders/{wo.pk}/transitions", {"action": "hold", "note": "等配件", "reached": 0})
    assert_field_error(response, "reached", "Enter true or false.")
    building.refresh_from_db()
    assert building.floors == 18


def test_an_unknown_field_with_an_empty_name_is_reported_on_the_whole_body(en, estate):
    response = en.patch(f"/projects/{estate['project'].pk}", {"": None})

    assert response.status_code == 422
    assert response.json()["errors"] == {"__all__": ["Unknown field."]}
