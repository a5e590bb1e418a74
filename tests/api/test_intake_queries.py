"""A hotline intake through the API costs a fixed, small number of queries (docs/performance.md).

Before the intake was tuned (issue 11, item 4) the same request ran 16 queries and its answer
re-read the new work order's timers and timeline; now the answer is built from the objects in hand.
A query count, never a timing: the load figures are in bench/intake_throughput.py.
"""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from propdesk.core.models import TimelineEvent, TimelineLink
from propdesk.service.models import IdempotencyKey, SlaPolicy, SlaTimer, TriageKeyword, WorkOrder
from tests.factories import StaffFactory, UnitFactory

# Reads: token, the caller's projects, the unit with its project and the project's limits, requester
# (+ its phones), the idempotency key, the triage's fingerprint. Writes: work order, timers, key, events,
# links, inside one transaction (SAVEPOINT/RELEASE in the test's transaction, BEGIN/COMMIT when served).
QUERIES = 14
WRITES_IN_TRANSACTION = 5


def _post(api, estate, key, **fields):
    data = {"project": estate["project"].pk, "kind": "repair_home", "channel": "hotline",
            "description": "3栋1201卫生间天花板漏水，水一直往下滴", "unit": estate["unit"].pk,
            "requester": estate["customer"].pk, **fields}
    return api.client.post("/api/v1/work-orders", json.dumps(data), content_type="application/json",
                           headers={**api.headers, "idempotency-key": key})


def test_a_hotline_intake_takes_a_fixed_number_of_queries(desk_api, estate, project):
    TriageKeyword.objects.create(word="漏水", emergency=True)
    assert _post(desk_api, estate, "warm-up").status_code == 201  # loads the triage dictionary once

    with CaptureQueriesContext(connection) as ctx:
        response = _post(desk_api, estate, "call-1", priority="normal")  # an override: two events

    assert response.status_code == 201, response.content
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len(sqls) <= QUERIES, "\n".join(sqls)
    start = next(i for i, s in enumerate(sqls) if s.startswith(("SAVEPOINT", "BEGIN")))
    end = next(i for i, s in enumerate(sqls) if s.startswith(("RELEASE", "COMMIT")))
    inside = sqls[start + 1:end]
    assert len(inside) == WRITES_IN_TRANSACTION and all(s.startswith("INSERT") for s in inside), inside
    assert not any(s.startswith("SELECT") for s in sqls[end + 1:]), "the answer re-read what it had in hand"

    wo = WorkOrder.objects.get(pk=response.json()["id"])
    assert SlaTimer.objects.filter(work_order=wo).count() == 1
    assert IdempotencyKey.objects.filter(work_order=wo, key="call-1").exists()
    events = TimelineEvent.objects.filter(links__subject_id=wo.pk, links__subject_type__model="workorder")
    assert sorted(events.values_list("verb", flat=True)) == ["service.received", "service.triage_overridden"]
    # the received event is on the work order's, the unit's and the requester's cards
    received = events.get(verb="service.received")
    assert TimelineLink.objects.filter(event=received).count() == 3
    assert received.params == {"number": wo.number}


def test_the_answer_in_hand_is_the_answer_read_back(desk_api, estate):
    created = _post(desk_api, estate, "call-2", kind="complaint", description="楼上装修噪音太大")
    assert created.status_code == 201
    read = desk_api.get(f"/work-orders/{created.json()['id']}")
    assert created.json() == read.json()


def test_the_projects_own_limits_come_with_the_unit(desk_api, estate):
    """The unit is read with its project and the project's limits (one query for the three): a project
    that tuned its limits gets them, without a read of its own."""
    SlaPolicy.objects.create(project=estate["project"], emergency_response_minutes=15, normal_response_minutes=45)
    assert _post(desk_api, estate, "warm-up").status_code == 201  # loads the triage dictionary once
    with CaptureQueriesContext(connection) as ctx:
        response = _post(desk_api, estate, "call-3", priority="normal")
    assert response.status_code == 201, response.content
    assert len(ctx.captured_queries) <= QUERIES
    timer = SlaTimer.objects.get(work_order_id=response.json()["id"])
    assert timer.limit_seconds == 45 * 60 and response.json()["timers"][0]["due_at"]


def test_a_unit_of_another_project_of_the_caller_is_a_422(api_as, estate, other_project):
    """The project named is read on its own when the unit is not in it: still in the caller's scope, and the
    unit's project is checked as before."""
    both = StaffFactory(username="both", role="front_desk", projects=[estate["project"], other_project])
    elsewhere = UnitFactory(building__project=other_project)
    response = _post(api_as(both), estate, "call-4", unit=elsewhere.pk)
    assert response.status_code == 422 and "unit" in response.json()["errors"], response.content
    assert not WorkOrder.objects.exists()
