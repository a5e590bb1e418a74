"""The public-affairs API: every operation as another project's staff and anonymously, the Idempotency-Key
on creates, the gate's flow, and clear Chinese errors (items 7, 8)."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.affairs import renovation, visitors
from propdesk.affairs.models import (
    Claim,
    FoundItem,
    Handover,
    IdempotencyKey,
    ParkingAllocation,
    PatrolInspection,
    Rectification,
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
    w = affairs_world.build(project, unit, owner, staff)
    w.preregistration = visitors.pre_register(owner, unit, visitor_name="钱预约", date=timezone.localdate())
    Renovation.objects.filter(pk=w.renovation.pk).update(next_patrol_on=timezone.localdate())  # due today
    return w


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in (Renovation, ReleasePass, ReleaseEntry, ParkingAllocation, Visit,
                                                    FoundItem, IdempotencyKey, Claim, Handover,
                                                    PatrolInspection)} | {
        "rechecked": Rectification.objects.exclude(recheck="").count()}


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


def test_a_claim_by_api_answers_the_id_masked_and_clears_the_finder_once(world):
    api = Api(token_for(world.guard))
    body = {"claimant_name": "周失主", "id_number": "440301198506061117", "described_contents": "联想笔记本电脑",
            "paper_reference": "LQ-0001"}
    response = api.post(f"/affairs/found-items/{world.found_item.pk}/claim", body)
    assert response.status_code == 201, response.content
    assert response.json()["id_number_masked"] == "4403**********1117"
    assert "440301198506061117" not in response.content.decode()
    assert api.post(f"/affairs/found-items/{world.found_item.pk}/claim", body).status_code == 409
    unsigned = api.post(f"/affairs/found-items/{world.found_item.pk}/claim", {**body, "paper_reference": ""})
    assert unsigned.status_code in (409, 422) and Claim.objects.count() == 1


def test_a_claim_without_a_signature_is_a_clear_422(world):
    response = Api(token_for(world.guard)).post(f"/affairs/found-items/{world.found_item.pk}/claim", {
        "claimant_name": "周失主", "id_number": "440301198506061117", "described_contents": "电脑"})
    assert response.status_code == 422 and "signature" in response.json()["errors"]
    assert not Claim.objects.exists()


def test_a_rectification_is_rechecked_once(world):
    api = Api(token_for(world.guard))
    path = f"/affairs/rectifications/{world.rectification.pk}/recheck"
    first = api.post(path, {"passed": True, "note": "已清理"})
    assert first.status_code == 200 and first.json()["recheck"] == "passed"
    assert api.post(path, {"passed": False}).status_code == 409


def test_a_patrol_app_lists_what_is_due(world):
    body = Api(token_for(world.guard)).get("/affairs/patrols/due").json()
    assert [r["id"] for r in body["items"]] == [world.renovation.pk]


def test_a_gate_terminal_lists_todays_announced_visits_and_registers_one_by_code(world):
    api = Api(token_for(world.guard))
    listed = api.get("/affairs/preregistrations", date=timezone.localdate().isoformat()).json()
    assert [(p["visitor_name"], p["code"]) for p in listed["items"]] == [("钱预约", world.preregistration.code)]
    visit = api.post("/affairs/visits", {"project": world.project.pk, "code": world.preregistration.code})
    assert visit.status_code == 201 and visit.json()["visitor_name"] == "钱预约"
    assert api.get("/affairs/preregistrations").json()["items"][0]["used_at"] is not None


def test_api_lists_keep_their_query_count_as_rows_grow(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = Api(token_for(world.guard))
    paths = ("/affairs/patrols/due", "/affairs/preregistrations")
    api.get(paths[0])  # warm the token and content-type caches

    def queries():
        out = []
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                assert api.get(path).json()["count"] >= 1
            out.append(len(ctx.captured_queries))
        return out

    before = queries()
    affairs_world.build_more(world)
    more = Renovation.objects.exclude(pk=world.renovation.pk).get()
    renovation.sign_agreement(world.staff, more, signed_by="钱二号", deposit="1000", deposit_receipt="SJ-2")
    Renovation.objects.update(next_patrol_on=timezone.localdate())
    visitors.pre_register(world.owner, world.unit, visitor_name="第二位", date=timezone.localdate())
    assert api.get(paths[0]).json()["count"] == 2 and api.get(paths[1]).json()["count"] == 2
    assert queries() == before


def test_a_date_that_is_not_yyyy_mm_dd_is_a_422(world):
    response = Api(token_for(world.guard)).get("/affairs/preregistrations", date="0")
    assert response.status_code == 422


def test_a_handover_is_started_by_api_once_per_key_with_the_projects_checklist(world, new_owner):
    api = Api(token_for(world.staff))
    api.headers["Idempotency-Key"] = "tablet-1"
    body = {"unit": world.unit.pk, "customer": new_owner.pk, "date": "2027-03-10"}
    first = api.post("/affairs/handovers", body)
    again = api.post("/affairs/handovers", body)
    assert first.status_code == 201 and again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    made = first.json()
    assert made["id"] == again.json()["id"] and made["kind"] == "move_in" and made["date"] == "2027-03-10"
    assert made["lines"] and {line["status"] for line in made["lines"]} == {"pending"}
    assert Handover.objects.filter(customer=new_owner).count() == 1
    # a guard does not hand over homes; a customer of another project's archive is not found
    assert Api(token_for(world.guard)).post("/affairs/handovers", {"unit": world.unit.pk,
                                                                   "customer": new_owner.pk}).status_code == 403
    bad = api.post("/affairs/handovers", {"unit": world.unit.pk, "customer": new_owner.pk, "kind": "sideways"})
    assert bad.status_code == 422 and Handover.objects.filter(customer=new_owner).count() == 1


def test_a_patrol_is_recorded_by_api_and_a_violation_without_photo_is_a_clear_422(world):
    api = Api(token_for(world.guard))
    path = f"/affairs/renovations/{world.renovation.pk}/patrols"
    before = PatrolInspection.objects.count()
    refused = api.post(path, {"result": "violation", "findings": "楼道堆放建材"})
    assert refused.status_code == 422 and "照片" in str(refused.json()["errors"]["photos"])
    assert PatrolInspection.objects.count() == before
    api.headers["Idempotency-Key"] = "patrol-app-9"
    ok = api.post(path, {"result": "ok"})
    again = api.post(path, {"result": "ok"})
    assert ok.status_code == 201 and again.status_code == 200 and ok.json()["id"] == again.json()["id"]
    assert ok.json()["result"] == "ok" and ok.json()["rectification"] is None
    assert PatrolInspection.objects.count() == before + 1
    world.renovation.refresh_from_db()
    assert world.renovation.next_patrol_on > timezone.localdate()   # the next one is due after the interval


def test_the_work_order_api_filters_warranty_repairs(world):
    from propdesk.service import services

    warranty = world.handover.lines.get(work_order__isnull=False).work_order
    services.create_work_order(world.staff, project=world.project, kind="repair_home", channel="walk_in",
                               unit=world.unit, description="厨房水龙头漏水")
    api = Api(token_for(world.staff))
    assert api.get("/work-orders").json()["count"] == 2
    rows = api.get("/work-orders", warranty="true").json()["items"]
    assert [(r["id"], r["is_warranty"]) for r in rows] == [(warranty.pk, True)]
    assert api.get("/work-orders", warranty="true", open="false").json()["count"] == 1
