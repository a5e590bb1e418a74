"""The public-affairs API: every operation as another project's staff and anonymously, the Idempotency-Key
on creates, the gate's flow, and clear Chinese errors (items 7, 8)."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.affairs.models import (
    FoundItem,
    IdempotencyKey,
    ParkingAllocation,
    ReleaseEntry,
    ReleasePass,
    Renovation,
    Visit,
)
from tests.api.conftest import Api, token_for

from . import world as affairs_world
from .matrix import API_LISTS, API_OBJECTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(project, unit, owner, staff):
    return affairs_world.build(project, unit, owner, staff)


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in (Renovation, ReleasePass, ReleaseEntry, ParkingAllocation, Visit,
                                                    FoundItem, IdempotencyKey)}


def _path(operation) -> str:
    return operation[0].removeprefix("/api/v1")


def leaked(response) -> list:
    body = response.content.decode()
    return [s for s in affairs_world.SECRETS if s in body]


@pytest.mark.parametrize("operation", sorted(API_LISTS), ids=lambda o: o[0])
def test_lists_hold_nothing_of_another_project(world, outsider, operation):
    api = Api(token_for(outsider))
    for params in API_LISTS[operation](world):
        response = api.get(_path(operation), **params)
        assert response.status_code == 200
        body = response.json()
        assert body.get("count", 0) == 0 and body.get("allocations", []) == []
        assert not leaked(response)


@pytest.mark.parametrize("operation", sorted(API_OBJECTS), ids=lambda o: f"{o[1]} {o[0]}")
def test_objects_of_another_project_are_refused(world, outsider, operation):
    before = counts()
    path, body = API_OBJECTS[operation](world)
    response = Api(token_for(outsider)).call(operation[1], path, body)
    assert response.status_code in (403, 404), response.content
    assert not leaked(response) and counts() == before


@pytest.mark.parametrize("operation", sorted(API_OBJECTS), ids=lambda o: f"{o[1]} {o[0]}")
def test_every_operation_needs_credentials(world, operation):
    before = counts()
    path, body = API_OBJECTS[operation](world)
    response = Api().call(operation[1], path, body)
    assert response.status_code == 401 and counts() == before


def test_a_plate_of_another_project_is_unknown(world, outsider):
    body = Api(token_for(outsider)).get("/affairs/plates", plate="粤B6K789").json()
    assert body["allocations"] == [] and "未知车牌" in body["message"]
    mine = Api(token_for(world.guard)).get("/affairs/plates", plate="粤B6K789").json()
    assert mine["current"] is True and mine["allocations"][0]["unit"]["label"] == "3-2-1201"


def test_a_retried_create_with_the_same_key_returns_the_first(world):
    api = Api(token_for(world.staff))
    body = {"unit": world.unit.pk, "applicant": world.owner.pk, "carrier": "老马",
            "items": [{"name": "沙发", "quantity": 1}]}
    api.headers["Idempotency-Key"] = "gate-7f3a"
    first = api.post("/affairs/passes", body)
    again = api.post("/affairs/passes", body)
    assert first.status_code == 201 and again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"] and ReleasePass.objects.count() == 2  # the world's + this


def test_the_gate_checks_a_scanned_number_and_releases_only_what_is_authorised(world):
    from propdesk.affairs import release

    guard = Api(token_for(world.guard))
    check = guard.get("/affairs/gate/check", number=world.release_pass.number.lower()).json()
    assert check["can_release"] is False and "业主尚未授权" in check["reasons"][0]
    item = world.release_pass.items.get()
    release.authorise_in_portal(world.owner, world.release_pass, quantities={item.pk: 2})
    too_many = guard.post(f"/affairs/passes/{world.release_pass.pk}/releases",
                          {"items": [{"item": item.pk, "quantity": 3}]})
    assert too_many.status_code == 422 and "红木书柜" in str(too_many.json()["errors"])
    ok = guard.post(f"/affairs/passes/{world.release_pass.pk}/releases", {"items": [{"item": item.pk, "quantity": 2}]})
    assert ok.status_code == 201 and ok.json()[0]["quantity"] == 2


def test_a_permit_ending_before_it_starts_is_a_clear_422(world):
    start = timezone.now() + dt.timedelta(hours=2)
    response = Api(token_for(world.manager)).post(f"/affairs/renovations/{world.renovation.pk}/permits", {
        "location": "厨房", "work": "电焊", "starts_at": start.isoformat(),
        "ends_at": (start - dt.timedelta(hours=1)).isoformat(), "fire_watch": "吴师傅", "extinguisher_checked": True})
    assert response.status_code == 422 and "结束时间必须晚于开始时间" in response.json()["errors"]["ends_at"][0]


def test_a_double_allocation_is_a_409(world):
    response = Api(token_for(world.staff)).post("/affairs/parking/allocations", {
        "space": world.space.pk, "unit": world.unit.pk, "customer": world.owner.pk,
        "start_date": timezone.localdate().isoformat(), "plates": "粤B99999", "kind": "owned"})
    assert response.status_code == 409 and "已分配给3-2-1201" in response.json()["detail"]
    assert ParkingAllocation.objects.count() == 1


def test_a_visit_by_api_answers_the_id_number_masked(world):
    response = Api(token_for(world.guard)).post("/affairs/visits", {
        "project": world.project.pk, "unit": "3-2-1201", "name": "周来访", "id_number": "440301198506061117"})
    assert response.status_code == 201
    assert response.json()["id_number_masked"] == "4403**********1117"
    assert "440301198506061117" not in response.content.decode()


def test_a_renovation_lists_its_drawings_and_each_downloads(world):
    api = Api(token_for(world.staff))
    files = api.get(f"/affairs/renovations/{world.renovation.pk}").json()["files"]
    assert [(f["name"], f["content_type"]) for f in files] == [("厨卫平面图.pdf", "application/pdf")]
    response = api.get(f"/affairs/renovation-files/{files[0]['id']}")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
