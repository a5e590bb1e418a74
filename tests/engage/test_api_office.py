"""The office side of the communication-and-care API (api/engage_office.py; issue 15 items 3, 5, 6): the public
relations register, meetings with agenda, sign-in and minutes, points awarded by the project's earn rules.
Access (another project, the wrong role, no credentials) is covered through tests/engage/matrix.py by
tests/engage/test_api.py."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from propdesk.engage.models import Attendance, BodyContact, CreateKey, Dealing, OutsideBody, PointsEntry
from propdesk.engage.points import ledger
from tests.api.conftest import Api, token_for
from tests.engage.test_api import call

pytestmark = pytest.mark.django_db


def test_the_register_keeps_bodies_contacts_and_dealings_until_settled(project, manager):
    api = Api(token_for(manager))
    api.headers["Idempotency-Key"] = "body-1"
    body = {"project": project.pk, "kind": "street_office", "name": "滨江街道办", "phone": "0571-88001234"}
    first, again = api.post("/engage/relations/bodies", body), api.post("/engage/relations/bodies", body)
    assert first.status_code == 201 and again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"] and OutsideBody.objects.count() == 1
    del api.headers["Idempotency-Key"]
    twice = api.post("/engage/relations/bodies", body)  # the name once per project
    assert twice.status_code == 422 and OutsideBody.objects.count() == 1
    path = f"/engage/relations/bodies/{first.json()['id']}"
    assert api.post(f"{path}/contacts", {"name": "李主任", "title": "城管科"}).status_code == 201
    assert [c["name"] for c in api.get(path).json()["contacts"]] == ["李主任"] and BodyContact.objects.count() == 1

    today = timezone.localdate()
    letter = {"kind": "letter_in", "date": today.isoformat(), "subject": "关于垃圾分类检查的函",
              "follow_up": "整改并回函"}
    refused = api.post(f"{path}/dealings", letter)
    assert refused.status_code == 422 and set(refused.json()["errors"]) == {"due_date", "reference"}
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert api.post(f"{path}/dealings", {**letter, "date": tomorrow, "reference": "滨街函3号",
                                         "due_date": tomorrow}).json()["errors"]["date"]
    assert not Dealing.objects.exists()
    made = api.post(f"{path}/dealings", {**letter, "reference": "滨街函3号", "due_date": tomorrow})
    assert made.status_code == 201 and made.json()["status"] == "open"
    listed = api.get(f"{path}/dealings").json()
    assert listed["count"] == 1 and api.get("/engage/relations/bodies").json()["items"][0]["open_follow_ups"] == 1
    settle = f"/engage/relations/dealings/{made.json()['id']}/settle"
    done = api.post(settle, {"note": "已整改，回函滨物函5号"})
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["done_at"]
    assert api.post(settle, {"note": "again"}).status_code == 409


def test_a_meeting_is_planned_signed_in_and_minuted(homes, project, manager, butler):
    api, desk = Api(token_for(manager)), Api(token_for(butler))
    starts = timezone.now() + dt.timedelta(days=2)
    plan = {"project": project.pk, "body": "assembly", "title": "2027年业主大会", "starts_at": starts.isoformat(),
            "place": "会所多功能厅", "agenda": "一、物业服务合同续签；二、维修资金使用"}
    assert desk.post("/engage/meetings", plan).status_code == 403  # managers plan meetings
    api.headers["Idempotency-Key"] = "meeting-1"
    first, again = api.post("/engage/meetings", plan), api.post("/engage/meetings", plan)
    assert first.status_code == 201 and again.status_code == 200 and again.json()["id"] == first.json()["id"]
    path = f"/engage/meetings/{first.json()['id']}"
    owner = desk.post(f"{path}/sign-ins", {"phone": "13812345678"})
    assert owner.status_code == 201 and owner.json()["name"] == homes.wang.name and owner.json()["customer"]
    assert desk.post(f"{path}/sign-ins", {"phone": "13812345678"}).status_code == 409  # once per meeting
    assert desk.post(f"{path}/sign-ins", {"phone": "13900000000"}).json()["errors"]["phone"]
    assert desk.post(f"{path}/sign-ins", {"name": "街道办王科长", "capacity": "guest"}).status_code == 201
    assert call(desk, "put", f"{path}/minutes", {"minutes": "会议纪要"}).status_code == 409  # not started yet
    with time_machine.travel(starts + dt.timedelta(hours=2)):
        held = call(desk, "put", f"{path}/minutes", {"minutes": "到会业主 1 人，议程一通过。"})
    assert held.status_code == 200 and held.json()["status"] == "held"
    detail = api.get(path).json()
    assert detail["signed"] == 2 and [a["capacity"] for a in detail["attendance"]] == ["owner", "guest"]
    assert detail["minutes"].startswith("到会业主") and Attendance.objects.count() == 2
    assert api.get("/engage/meetings", project=project.pk).json()["items"][0]["signed"] == 2


def test_points_are_awarded_by_the_projects_rule_once_per_reference(homes, project, manager):
    api = Api(token_for(manager))
    path = f"/engage/customers/{homes.wang.pk}/points/awards"
    ledger.set_rule(manager, project, "suggestion", 30, True)
    api.headers["Idempotency-Key"] = "award-1"
    award = {"reason": "suggestion", "note": "建议增设快递柜被采纳", "ref": "GD2027-0001"}
    first, again = api.post(path, award), api.post(path, award)
    assert first.status_code == 201 and first.json()["amount"] == 30 and first.json()["balance_after"] == 30
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    del api.headers["Idempotency-Key"]
    assert api.post(path, award).json()["errors"]["ref"]  # the same work order earns once
    assert api.post(path, {**award, "reason": "attendance"}).status_code == 422  # earned at the door only
    ledger.set_rule(manager, project, "article", 50, False)
    off = api.post(path, {"reason": "article", "note": "社区刊物第3期"})
    assert off.status_code == 422 and off.json()["errors"]["reason"] == ["本项目的积分规则对此不给积分。"]
    assert PointsEntry.objects.count() == 1 and CreateKey.objects.count() == 1
    entries = api.get("/engage/points/entries", customer=homes.wang.pk).json()
    assert entries["count"] == 1 and entries["items"][0]["customer"] == homes.wang.pk


def test_the_new_lists_take_a_fixed_number_of_queries(engage_world, django_assert_num_queries):
    api = Api(token_for(engage_world.manager))
    api.get("/engage/meetings")  # the token's first use is remembered
    for path in ("/engage/relations/bodies", "/engage/meetings", "/engage/points/entries"):
        with django_assert_num_queries(4):
            assert api.get(path).status_code == 200
