"""Customers and occupancies through the API: CRUD, filters, masking, nothing half-written."""

import datetime as dt

from propdesk.archive.models import Customer, CustomerPhone, Occupancy
from propdesk.core.models import TimelineEvent
from tests.factories import CustomerFactory, OccupancyFactory

RAW_ID = "110101199001011234"


def test_customer_is_registered_with_phones_and_a_masked_id(desk_api, project):
    response = desk_api.post("/customers", {
        "project": project.pk, "name": "李秀英", "gender": "female", "id_type": "resident_id",
        "id_number": "440301198502023456", "phones": ["138-1234-5678", "0755 8888 6666"],
    })

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "李秀英"
    assert body["phones"] == ["13812345678", "075588886666"]
    assert body["id_number_masked"] == "4403**********3456"
    assert "id_number" not in body
    assert b"440301198502023456" not in response.content
    assert Customer.objects.get(pk=body["id"]).id_number == "440301198502023456"


def test_raw_id_number_is_in_no_customer_response(desk_api, estate):
    customer = estate["customer"]
    responses = [
        desk_api.get("/customers"),
        desk_api.get(f"/customers/{customer.pk}"),
        desk_api.patch(f"/customers/{customer.pk}", {"notes": "喜欢早上来电"}),
        desk_api.patch(f"/customers/{customer.pk}", {"id_number": "110101199001015678"}),
        desk_api.post("/customers", {"project": estate["project"].pk, "name": "赵六", "id_number": RAW_ID}),
    ]

    for response in responses:
        assert response.status_code in (200, 201), response.content
        assert RAW_ID.encode() not in response.content
        assert b"110101199001015678" not in response.content
    assert responses[3].json()["id_number_masked"] == "1101**********5678"


def test_one_bad_phone_writes_no_customer(desk_api, project):
    before = TimelineEvent.objects.count()

    response = desk_api.post("/customers", {"project": project.pk, "name": "钱七",
                                            "phones": ["13812345678", "12345"]}, )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["phones"]
    assert not Customer.objects.filter(name="钱七").exists()
    assert CustomerPhone.objects.count() == 0
    assert TimelineEvent.objects.count() == before


def test_invalid_update_changes_neither_facts_nor_phones(desk_api, estate):
    customer = estate["customer"]

    response = desk_api.patch(f"/customers/{customer.pk}", {"phones": ["13900001111"], "email": "not-an-email"})

    assert response.status_code == 422
    assert "email" in response.json()["errors"]
    assert list(customer.phones.values_list("number", flat=True)) == ["13812345678"]
    customer.refresh_from_db()
    assert customer.email == ""


def test_customer_update_replaces_phones_and_is_partial(desk_api, estate):
    customer = estate["customer"]

    response = desk_api.patch(f"/customers/{customer.pk}", {"phones": ["13900001111", "13900002222"]})

    assert response.status_code == 200
    assert response.json()["phones"] == ["13900001111", "13900002222"]
    assert response.json()["name"] == "王建国"


def test_customers_filter_by_name_phone_and_project(desk_api, estate, other_project):
    project = estate["project"]
    CustomerFactory(project=project, name="王小明", phones=["13700000001"])
    CustomerFactory(project=project, name="陈静", phones=["13700000002"])

    assert {c["name"] for c in desk_api.get("/customers", name="王").json()["items"]} == {"王建国", "王小明"}
    assert [c["name"] for c in desk_api.get("/customers", phone="0000002").json()["items"]] == ["陈静"]
    assert desk_api.get("/customers", project=project.pk).json()["count"] == 3
    assert desk_api.get("/customers", project=other_project.pk).json() == {"count": 0, "items": []}


def test_customers_paginate(desk_api, project):
    for _ in range(7):
        CustomerFactory(project=project)

    first = desk_api.get("/customers", limit=5).json()
    rest = desk_api.get("/customers", limit=5, offset=5).json()

    assert first["count"] == rest["count"] == 7
    assert len(first["items"]) == 5 and len(rest["items"]) == 2
    assert not {c["id"] for c in first["items"]} & {c["id"] for c in rest["items"]}


def test_occupancy_crud(desk_api, estate):
    customer, spare = estate["customer"], estate["spare_unit"]
    created = desk_api.post("/occupancies", {"unit": spare.pk, "customer": customer.pk, "role": "tenant",
                                             "start_date": "2024-03-01", "end_date": "2026-02-28"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["unit_label"] == "3-2-1202" and body["customer_name"] == "王建国" and body["role"] == "tenant"

    changed = desk_api.patch(f"/occupancies/{body['id']}", {"end_date": "2027-02-28"})
    assert changed.status_code == 200 and changed.json()["end_date"] == "2027-02-28"
    assert desk_api.get(f"/occupancies/{body['id']}").json()["end_date"] == "2027-02-28"


def test_tenancy_without_an_end_date_is_refused(desk_api, estate):
    response = desk_api.post("/occupancies", {"unit": estate["spare_unit"].pk, "customer": estate["customer"].pk,
                                              "role": "tenant", "start_date": "2024-03-01"})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["end_date"]
    assert Occupancy.objects.count() == 1


def test_occupancies_filter_by_unit_customer_and_current(desk_api, estate):
    unit = estate["unit"]
    OccupancyFactory(unit=unit, customer__project=unit.project, role="owner", start_date=dt.date(2010, 1, 1),
                     end_date=dt.date(2019, 12, 31))

    everyone = desk_api.get("/occupancies", unit=unit.pk).json()
    current = desk_api.get("/occupancies", unit=unit.pk, current="true").json()
    his = desk_api.get("/occupancies", customer=estate["customer"].pk).json()

    assert everyone["count"] == 2
    assert [o["customer_name"] for o in current["items"]] == ["王建国"]
    assert current["items"][0]["is_current"] is True
    assert his["count"] == 1
    assert desk_api.get("/occupancies", project=unit.project_id).json()["count"] == 2
