"""The work-order API: receive (idempotently), list the queue, read, and move through the states."""

import datetime as dt
import json

import pytest
from django.utils import timezone, translation

from propdesk.core.models import TimelineEvent
from propdesk.org.models import Department
from propdesk.service import services
from propdesk.service.models import Category, IdempotencyKey, TriageKeyword, WorkOrder
from propdesk.service.transitions import state_label, transition
from tests.api.conftest import fill_project
from tests.factories import BuildingFactory, OccupancyFactory, StaffFactory, UnitFactory

LEAK = "3栋1201卫生间天花板漏水，水一直往下滴"
ID_NUMBER = "110101199001011234"  # the factory's customer ID number: never in an answer
MASKED_ID = "1101**********1234"


@pytest.fixture
def engineering(project):
    return Department.objects.create(project=project, code="engineering", name="工程部")


@pytest.fixture
def technician(project, engineering):
    tech = StaffFactory(username="tech", role="technician", projects=[project], first_name="李师傅")
    tech.departments.set([engineering])
    return tech


@pytest.fixture
def leak_keyword(db):
    """Independent of the shared dictionary (being rewritten): 漏水 is an emergency."""
    return TriageKeyword.objects.create(word="漏水", emergency=True)


def body(estate, **fields) -> dict:
    return {"project": estate["project"].pk, "kind": "repair_home", "channel": "hotline",
            "description": LEAK, "unit": estate["unit"].pk, "requester": estate["customer"].pk, **fields}


def post_with_key(api, data, key):
    return api.client.post("/api/v1/work-orders", json.dumps(data), content_type="application/json",
                           headers={**api.headers, "idempotency-key": key})


def new_order(staff, unit, **fields) -> WorkOrder:
    fields = {"kind": "repair_home", "channel": "hotline", "description": "厨房水龙头滴水", "priority": "normal",
              "project": unit.project if unit else None, **fields}
    wo, _created = services.create_work_order(staff, unit=unit, **fields)
    return wo


def act(api, wo_id, action, **fields):
    return api.post(f"/work-orders/{wo_id}/transitions", {"action": action, **fields})


def assert_no_id_number(response):
    text = response.content.decode()
    assert ID_NUMBER not in text and MASKED_ID not in text


# -- create ------------------------------------------------------------------------------------

def test_an_obvious_leak_is_received_as_an_emergency(desk_api, estate, staff, leak_keyword):
    response = desk_api.post("/work-orders", body(estate))

    assert response.status_code == 201, response.content
    data = response.json()
    wo = WorkOrder.objects.get()
    assert data["id"] == wo.pk and data["number"] == f"GD{wo.pk:08d}"
    assert (data["state"], data["version"], data["priority"]) == ("received", 1, "emergency")
    assert data["suggested"]["emergency"] is True and data["category"] == data["suggested"]["category"]
    assert data["unit"] == {"id": estate["unit"].pk, "label": estate["unit"].label}
    assert data["building"]["id"] == estate["building"].pk  # the unit's building
    assert data["requester"] == {"id": estate["customer"].pk, "name": "王建国"}
    assert data["first_receiver"] == {"id": staff.pk, "name": "desk"}
    assert data["assignee"] is None and data["department"] is None
    [timer] = data["timers"]
    assert timer["kind"] == "respond" and timer["paused"] is False and timer["met"] is None
    assert data["next_due_at"] == timer["due_at"]
    assert "respond" in data["allowed_actions"] and "close" not in data["allowed_actions"]
    assert data["timeline"][0]["verb"] == "service.received" and data["timeline"][0]["internal"] is False
    assert response.get("Idempotent-Replayed") is None
    assert_no_id_number(response)


def test_staff_choices_override_the_suggestion(desk_api, estate, leak_keyword, project):
    category = Category.objects.create(project=project, code="plumbing", name="给排水")
    response = desk_api.post("/work-orders", body(estate, priority="normal", category=category.pk))

    assert response.status_code == 201
    assert response.json()["priority"] == "normal"
    assert response.json()["category"] == {"id": category.pk, "name": "给排水"}
    assert response.json()["suggested"]["emergency"] is True


def test_a_complaint_gets_a_resolution_limit(desk_api, estate):
    response = desk_api.post("/work-orders", body(estate, kind="complaint", description="楼上装修噪音太大"))
    assert response.status_code == 201
    assert response.json()["complexity"] == "general"
    assert sorted(t["kind"] for t in response.json()["timers"]) == ["resolve", "respond"]


def test_a_retry_with_the_same_key_returns_the_same_work_order(desk_api, estate):
    first = post_with_key(desk_api, body(estate), "call-0815-1")
    events = TimelineEvent.objects.count()
    again = post_with_key(desk_api, body(estate), "call-0815-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert WorkOrder.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    assert TimelineEvent.objects.count() == events


def test_different_keys_make_different_work_orders(desk_api, estate):
    ids = {post_with_key(desk_api, body(estate), key).json()["id"] for key in ("k-1", "k-2")}
    assert len(ids) == 2 and WorkOrder.objects.count() == 2


def test_the_same_key_from_another_staff_member_is_theirs(desk_api, estate, project, api_as):
    colleague = api_as(StaffFactory(username="butler", role="butler", projects=[project]))
    mine = post_with_key(desk_api, body(estate), "same-key")
    theirs = post_with_key(colleague, body(estate), "same-key")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"] and WorkOrder.objects.count() == 2


@pytest.mark.parametrize("change, field", [
    ({"description": None}, "description"),
    ({"description": "   "}, "description"),
    ({"kind": "plumbing"}, "kind"),
    ({"channel": "fax"}, "channel"),
    ({"priority": "urgent"}, "priority"),
    ({"unit": None}, "unit"),  # a repair in the home needs the unit
    ({"colour": "red"}, "colour"),
])
def test_invalid_input_is_a_422_on_the_field(desk_api, estate, change, field):
    data = {k: v for k, v in {**body(estate), **change}.items() if v is not None}
    response = post_with_key(desk_api, data, "bad-input")
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not WorkOrder.objects.exists() and not IdempotencyKey.objects.exists()


def test_an_idempotency_key_longer_than_100_characters_is_refused(desk_api, estate):
    response = post_with_key(desk_api, body(estate), "k" * 101)
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["errors"]


def test_a_category_of_another_project_is_a_422(desk_api, estate, other_project):
    foreign = Category.objects.create(project=other_project, code="lifts", name="电梯")
    response = desk_api.post("/work-orders", body(estate, category=foreign.pk))
    assert response.status_code == 422 and "category" in response.json()["errors"]
    assert not WorkOrder.objects.exists()


def test_ids_of_another_project_are_not_found_and_nothing_is_received(outsider_api, estate, other_project):
    own = UnitFactory(building__project=other_project)
    base = {"project": other_project.pk, "kind": "repair_home", "channel": "hotline",
            "description": "漏水", "unit": own.pk}
    for change in ({"project": estate["project"].pk}, {"unit": estate["unit"].pk},
                   {"building": estate["building"].pk}, {"requester": estate["customer"].pk}):
        response = outsider_api.post("/work-orders", {**base, **change})
        assert response.status_code == 404, change
    assert not WorkOrder.objects.exists()


# -- list and read -----------------------------------------------------------------------------

def test_the_list_is_the_queue_most_urgent_first(desk_api, estate, staff, technician, engineering):
    normal = new_order(staff, estate["unit"])
    emergency = new_order(staff, estate["spare_unit"], priority="emergency")
    public = new_order(staff, None, project=estate["project"], kind="repair_public",
                       building=BuildingFactory(project=estate["project"]), location="地库B2")
    transition(staff, normal, "dispatch", assignee=technician)
    closed = new_order(staff, estate["unit"], kind="inquiry", description="物业费怎么交")
    for action, extra in (("resolve", {"note": "已告知"}), ("confirm", {}), ("close", {})):
        closed = transition(staff, closed, action, **extra)

    def ids(**params):
        response = desk_api.get("/work-orders", **params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [emergency.pk, normal.pk, public.pk]
    assert ids(open="false")[-1] == closed.pk and len(ids(open="false")) == 4
    assert ids(state="closed") == [closed.pk]
    assert ids(kind="repair_public") == [public.pk]
    assert ids(priority="emergency") == [emergency.pk]
    assert ids(building=public.building_id) == [public.pk]
    assert ids(assignee=technician.pk) == [normal.pk]
    assert ids(project=estate["project"].pk) == [emergency.pk, normal.pk, public.pk]
    assert ids(scope="mine") == [emergency.pk, public.pk]  # received by me, nobody assigned yet
    assert ids(scope="team") == []
    assert ids(limit=1, offset=1) == [normal.pk]
    assert desk_api.get("/work-orders", limit=1).json()["count"] == 3
    assert desk_api.get("/work-orders", scope="everyone").status_code == 422


def test_the_category_filter_takes_the_children_of_a_parent(desk_api, estate, staff, project):
    parent = Category.objects.create(code="water", name="水电")
    child = Category.objects.create(project=project, parent=parent, code="pipes", name="给排水")
    wo = new_order(staff, estate["unit"], category=child)
    new_order(staff, estate["unit"])
    for category in (parent, child):
        items = desk_api.get("/work-orders", category=category.pk).json()["items"]
        assert [i["id"] for i in items] == [wo.pk]
        assert items[0]["category"] == {"id": child.pk, "name": "水电 › 给排水"}


def test_a_page_of_twenty_work_orders_takes_a_fixed_number_of_queries(
        desk_api, project, staff, technician, django_assert_max_num_queries):
    fill_project(project, rows=20)
    for unit in project.units.all():
        wo = new_order(staff, unit, requester=unit.occupancies.first().customer)
        services.add_note(staff, wo, "业主下午在家")
    transition(staff, WorkOrder.objects.first(), "dispatch", assignee=technician)

    with django_assert_max_num_queries(8):
        response = desk_api.get("/work-orders")

    assert response.status_code == 200 and len(response.json()["items"]) == 20
    assert_no_id_number(response)


def test_the_detail_shows_the_whole_history_internal_notes_flagged(desk_api, estate, staff):
    wo = new_order(staff, estate["unit"], requester=estate["customer"])
    services.add_note(staff, wo, "业主脾气急，先打电话", internal=True)

    response = desk_api.get(f"/work-orders/{wo.pk}")

    assert response.status_code == 200
    events = response.json()["timeline"]
    assert [(e["verb"], e["internal"]) for e in events] == [("service.note", True), ("service.received", False)]
    assert events[0]["summary"] == "业主脾气急，先打电话" and events[0]["actor"]["id"] == staff.pk
    assert_no_id_number(response)


def test_a_work_order_that_does_not_exist_is_404(desk_api, db):
    assert desk_api.get("/work-orders/999999").status_code == 404
    assert act(desk_api, 999999, "respond").status_code == 404


# -- transitions -------------------------------------------------------------------------------

def test_a_leak_goes_from_the_hotline_to_closure_through_the_api(desk_api, estate, technician, api_as):
    tech_api = api_as(technician)
    created = desk_api.post("/work-orders", body(estate))
    wo_id = created.json()["id"]
    seen = [created]
    steps = [
        (desk_api, "dispatch", {"assignee": technician.pk}, "dispatched"),
        (tech_api, "respond", {}, "responded"),
        (tech_api, "start", {}, "in_progress"),
        (tech_api, "resolve", {"note": "更换了上层住户的排水管接头"}, "resolved"),
        (desk_api, "confirm", {"who": "王建国"}, "confirmed"),
        (desk_api, "callback", {"rating": 5, "note": "很满意"}, "called_back"),
        (desk_api, "close", {}, "closed"),
    ]
    for version, (api, action, extra, state) in enumerate(steps, start=1):
        response = act(api, wo_id, action, version=version, **extra)
        assert response.status_code == 200, (action, response.content)
        assert (response.json()["state"], response.json()["version"]) == (state, version + 1)
        seen.append(response)

    final = seen[-1].json()
    assert final["assignee"] == {"id": technician.pk, "name": "李师傅"}
    assert final["department"]["name"] == "工程部"
    assert final["responded_at"] and final["resolved_at"] and final["allowed_actions"] == ["callback"]
    assert all(t["stopped_at"] for t in final["timers"]) and final["timers"][0]["met"] is True
    assert {e["verb"] for e in final["timeline"]} >= {"service.dispatch", "service.close"}
    for response in seen + [desk_api.get("/work-orders", open="false"), desk_api.get(f"/work-orders/{wo_id}")]:
        assert_no_id_number(response)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_forbidden_transition_is_a_409_naming_the_current_state(api_as, staff, estate, language):
    wo = new_order(staff, estate["unit"])
    response = act(api_as(staff, language), wo.pk, "close")

    assert response.status_code == 409
    data = response.json()
    assert (data["code"], data["state"]) == ("not_allowed", "received")
    with translation.override(language):
        assert state_label("received") in data["detail"] and wo.number in data["detail"]
    if language == "en":
        assert data["detail"] == f"“Close” is not possible while work order {wo.number} is Received."
    wo.refresh_from_db()
    assert (wo.state, wo.version) == ("received", 1)


def test_a_stale_version_is_a_409_and_changes_nothing(desk_api, staff, estate, technician):
    wo = new_order(staff, estate["unit"])
    assert act(desk_api, wo.pk, "respond", version=1).status_code == 200

    response = act(desk_api, wo.pk, "dispatch", version=1, assignee=technician.pk)

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["state"]) == ("stale", "responded")
    wo.refresh_from_db()
    assert (wo.state, wo.version, wo.assignee_id) == ("responded", 2, None)


@pytest.mark.parametrize("action, extra, field", [
    ("hold", {}, "note"),
    ("dispatch", {}, "assignee"),
    ("dispatch", {"assignee": 999999}, "assignee"),
    ("transfer", {"note": "需要工程部处理"}, "department"),
    ("merge", {"parent": 999999}, "parent"),
    ("fly", {}, "action"),
    ("respond", {"version": "one"}, "version"),
    ("respond", {"rating": 6}, "rating"),
    ("respond", {"assignee_id": 1}, "assignee_id"),
])
def test_an_action_whose_rule_is_not_met_is_a_422(desk_api, staff, estate, action, extra, field):
    wo = new_order(staff, estate["unit"])
    response = act(desk_api, wo.pk, action, **extra)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    wo.refresh_from_db()
    assert (wo.state, wo.version) == ("received", 1)


def test_a_callback_rated_1_needs_the_manager(desk_api, staff, estate):
    wo = new_order(staff, estate["unit"])
    for action, extra in (("resolve", {"note": "已修好"}), ("callback", {"reached": False}),
                          ("callback", {"rating": 1, "note": "不满意"})):
        response = act(desk_api, wo.pk, action, **extra)
        assert response.status_code == 200, response.content
    assert response.json()["state"] == "called_back" and response.json()["needs_manager_attention"] is True


def test_another_projects_staff_cannot_be_assigned(desk_api, staff, estate, outsider):
    wo = new_order(staff, estate["unit"])
    response = act(desk_api, wo.pk, "dispatch", assignee=outsider.pk)
    assert response.status_code == 422 and "assignee" in response.json()["errors"]


def test_an_occupant_of_another_unit_can_be_the_requester(desk_api, estate):
    neighbour = OccupancyFactory(unit=estate["spare_unit"], customer__project=estate["project"]).customer
    response = desk_api.post("/work-orders", body(estate, requester=neighbour.pk))
    assert response.status_code == 201 and response.json()["requester"]["id"] == neighbour.pk


def test_hold_resume_transfer_and_accept_through_the_api(desk_api, staff, estate, technician, project):
    security = Department.objects.create(project=project, code="security", name="秩序部")
    wo = new_order(staff, estate["unit"])
    held = act(desk_api, wo.pk, "hold", note="等业主回家开门").json()
    assert (held["state"], held["allowed_actions"]) == ("on_hold", ["resume", "cancel"])
    assert held["timers"][0]["paused"] is True and held["next_due_at"] is None
    assert act(desk_api, wo.pk, "resume").json()["state"] == "received"

    moved = act(desk_api, wo.pk, "transfer", note="车位纠纷归秩序部", department=security.pk).json()
    assert (moved["state"], moved["department"]["name"]) == ("transferred", "秩序部")
    assert [t["kind"] for t in moved["timers"]] == ["respond", "transfer"]
    accepted = act(desk_api, wo.pk, "accept_transfer", assignee=technician.pk).json()
    assert accepted["state"] == "dispatched" and accepted["assignee"]["id"] == technician.pk
    assert accepted["timers"][1]["stopped_at"] and accepted["timers"][1]["met"] is True


def test_a_complaint_resolved_late_needs_the_explanation_to_the_owner(desk_api, staff, estate):
    wo = new_order(staff, estate["unit"], kind="complaint", description="楼下烧烤油烟",
                   received_at=timezone.now() - dt.timedelta(hours=25))

    refused = act(desk_api, wo.pk, "resolve", note="已劝离")
    assert refused.status_code == 422 and "late_explanation" in refused.json()["errors"]

    done = act(desk_api, wo.pk, "resolve", note="已劝离", late_explanation="商户晚间才营业，次日上门处理")
    assert done.status_code == 200
    assert done.json()["late_explanation"] == "商户晚间才营业，次日上门处理"
    resolve = next(t for t in done.json()["timers"] if t["kind"] == "resolve")
    assert resolve["met"] is False
