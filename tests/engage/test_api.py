"""The communication-and-care API (issue 15 item 7): every operation called by the wrong person reveals and
changes nothing (tests/engage/matrix.py API_LISTS / API_OBJECTS / API_ROLE_RULES, over the world of
test_access.py), and the operations themselves: a notice drafted once per Idempotency-Key, sent, re-sent to
non-readers with its receipts; the door's check-in; a customer's points; a vote's result with both
thresholds and a paper ballot."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from propdesk.engage.models import Ballot, BallotRevision, Notice, NoticeDispatch, Signup
from tests.api.conftest import Api, token_for
from tests.engage import matrix
from tests.engage.test_access import PROJECT_SECRETS, SECRETS, unchanged
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def call(api: Api, method: str, path: str, body=None):
    if method == "put":
        return api.client.put("/api/v1" + path, json.dumps(body or {}), content_type="application/json",
                              headers=api.headers)
    return api.call(method, path, body)


def leaked(response, secrets=SECRETS + PROJECT_SECRETS) -> list:
    body = response.content.decode()
    return [s for s in secrets if s in body]


@pytest.mark.parametrize("operation", sorted(matrix.API_LISTS), ids=lambda o: o[0])
def test_lists_hold_nothing_of_another_project(engage_world, outsider, operation):
    api = Api(token_for(outsider))
    for params in matrix.API_LISTS[operation](engage_world):
        response = api.get(operation[0].removeprefix("/api/v1"), **params)
        assert response.status_code == 200
        assert all(item["project"] != engage_world.project.pk for item in response.json()["items"])
        assert not leaked(response)
    unchanged(engage_world)


@pytest.mark.parametrize("operation", sorted(matrix.API_OBJECTS), ids=lambda o: f"{o[1]} {o[0]}")
def test_objects_of_another_project_are_refused(engage_world, outsider, operation):
    path, body = matrix.API_OBJECTS[operation](engage_world)
    response = call(Api(token_for(outsider)), operation[1], path, body)
    assert response.status_code in (403, 404), response.content
    assert not leaked(response)
    unchanged(engage_world)


@pytest.mark.parametrize("operation", sorted(matrix.API_ROLE_RULES), ids=lambda o: f"{o[1]} {o[0]}")
def test_the_wrong_role_of_the_same_project_is_refused(engage_world, operation):
    path, body = matrix.API_OBJECTS[operation](engage_world)
    for role in matrix.API_ROLE_RULES[operation]:
        staff = StaffFactory(username=f"api-{role}", role=role, projects=[engage_world.project])
        response = call(Api(token_for(staff)), operation[1], path, body)
        assert response.status_code == 403, f"{role}: {response.status_code} {response.content}"
    unchanged(engage_world)


@pytest.mark.parametrize("operation", sorted({**matrix.API_LISTS, **matrix.API_OBJECTS}),
                         ids=lambda o: f"{o[1]} {o[0]}")
def test_every_operation_needs_credentials(engage_world, operation):
    if operation in matrix.API_LISTS:
        path, body = operation[0].removeprefix("/api/v1"), None
    else:
        path, body = matrix.API_OBJECTS[operation](engage_world)
    response = call(Api(), operation[1], path, body)
    assert response.status_code == 401
    unchanged(engage_world)


def test_a_notice_is_drafted_once_sent_and_re_sent_to_the_households_that_have_not_read_it(
        homes, manager, project, django_capture_on_commit_callbacks):
    api = Api(token_for(manager))
    api.headers["Idempotency-Key"] = "burst-5"
    body = {"project": project.pk, "kind": "emergency", "title": "5栋停水", "body": "水管爆裂，今日停水。",
            "channels": ["board", "sms"], "buildings": [homes.b5.pk], "units": [homes.u1201.pk]}
    first, again = api.post("/engage/notices", body), api.post("/engage/notices", body)
    assert first.status_code == 201 and again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    notice_id = first.json()["id"]
    assert again.json()["id"] == notice_id and Notice.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"/engage/notices/{notice_id}/send")
    assert sent.status_code == 200, sent.content
    detail = api.get(f"/engage/notices/{notice_id}").json()
    assert detail["status"] == "sent" and detail["read_rate"] == {
        "households": 2, "read": 0, "unread": 2, "via_portal": 0, "via_link": 0, "percent": 0.0}
    from propdesk.archive.owners import owner_for_phone
    from propdesk.engage.notices import services

    services.read_by_owner(owner_for_phone("13812345678"), Notice.objects.get())  # 王建国 of 3-2-1201
    receipts = api.get(f"/engage/notices/{notice_id}/receipts", unread="true").json()
    assert receipts["count"] == 1 and receipts["items"][0]["unit"]["label"] == homes.u0501.label
    with django_capture_on_commit_callbacks(execute=True):
        resent = api.post(f"/engage/notices/{notice_id}/resend", {"channels": ["sms"]})
    assert resent.status_code == 201 and resent.json()["households"] == 1
    assert NoticeDispatch.objects.get(number=2).finished_at is not None
    assert api.get(f"/engage/notices/{notice_id}").json()["read_rate"]["percent"] == 50.0
    twice = api.post(f"/engage/notices/{notice_id}/send")
    assert twice.status_code == 409


def test_bad_notices_are_refused_in_chinese_and_nothing_is_written(homes, manager, project, other_project):
    api = Api(token_for(manager))
    refused = api.post("/engage/notices", {"project": project.pk, "title": "x", "body": " ", "channels": ["board"]})
    assert refused.status_code == 422 and "body" in refused.json()["errors"]
    from tests.factories import UnitFactory

    theirs = UnitFactory(building__project=other_project)
    foreign = api.post("/engage/notices", {"project": project.pk, "title": "x", "body": "y", "channels": ["board"],
                                          "units": [theirs.pk]})
    assert foreign.status_code == 422 and foreign.json()["errors"]["units"] == ["请选择有效的选项。"]
    assert api.post("/engage/notices", {"project": project.pk, "title": "x", "body": "y",
                                         "channels": ["fax"]}).status_code == 422
    assert not Notice.objects.exists()


def test_the_door_checks_in_by_phone_once(engage_world):
    api = Api(token_for(engage_world.manager))
    path = f"/engage/activities/{engage_world.activity.pk}/check-ins"
    early = api.post(path, {"typed": "13812345678"})
    assert early.status_code == 409  # the door opens two hours before the start
    import time_machine

    with time_machine.travel(engage_world.activity.starts_at - dt.timedelta(minutes=30)):
        came = api.post(path, {"typed": "13812345678"})
        assert came.status_code == 200 and came.json()["name"] == "王建国" and came.json()["attended_at"]
        assert api.post(path, {"typed": "13812345678"}).status_code == 409
        assert api.post(path, {"typed": "13000009999"}).status_code == 404
    listed = api.get(f"/engage/activities/{engage_world.activity.pk}").json()
    assert (listed["confirmed"], listed["attended"]) == (2, 1)
    assert Signup.objects.get().attended_at is not None
    points = api.get(f"/engage/customers/{engage_world.owner.pk}/points").json()
    assert points["balance"] == 200 + 20 and points["items"][0]["reason"] == "attendance"  # attending earns
    assert points["value"]["band"] in ("A", "B", "C") and points["count"] == 3


def test_the_vote_result_shows_both_thresholds_and_a_paper_ballot_is_entered(engage_world):
    w = engage_world
    api = Api(token_for(w.manager))
    result = api.get(f"/engage/votes/{w.vote.pk}").json()
    assert result["final"] is False and result["ballots"] == 1
    assert [(t["measure"], t["required"], t["strict"]) for t in result["participation"]] == [
        ("area", "2/3", False), ("heads", "2/3", False)]
    (matter,) = result["matters"]
    assert matter["item"] == "4" and not matter["special"]
    assert [(t["required"], t["strict"]) for t in matter["agreement"]] == [("1/2", True), ("1/2", True)]
    assert matter["why"] and matter["outcome"] in ("passed", "failed", "invalid")
    path = f"/engage/votes/{w.vote.pk}/ballots/{w.elector.pk}"
    missing = call(api, "put", path, {"choices": {}, "paper_ref": "ZB001"})
    assert missing.status_code == 422
    entered = call(api, "put", path, {"choices": {str(w.matter.pk): "against"}, "paper_ref": "ZB001"})
    assert entered.status_code == 200 and entered.json()["revision"] == 2 and entered.json()["via"] == "paper"
    assert Ballot.objects.get(elector=w.elector).choices == {str(w.matter.pk): "against"}
    assert BallotRevision.objects.filter(ballot__elector=w.elector).count() == 2  # the portal's version is kept
    with __import__("time_machine").travel(w.vote.closes_at + dt.timedelta(minutes=1)):
        late = call(api, "put", path, {"choices": {str(w.matter.pk): "for"}, "paper_ref": "ZB002"})
    assert late.status_code == 409 and Ballot.objects.get(elector=w.elector).revision == 2


def test_api_lists_take_a_fixed_number_of_queries(engage_world, django_assert_num_queries):
    api = Api(token_for(engage_world.manager))
    api.get("/engage/notices")  # the token's first use is remembered
    for path, queries in (("/engage/notices", 4), ("/engage/activities", 4), ("/engage/rewards", 4),
                          ("/engage/votes", 4)):
        with django_assert_num_queries(queries):
            assert api.get(path).status_code == 200
    assert timezone.now()
