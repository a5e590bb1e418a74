"""Two staff acting on one work order at once: exactly one wins, the other gets 409, nothing is lost.

Real threads, each with its own database connection and its own committed transactions (SQLite in
WAL mode with immediate transactions, or PostgreSQL when DATABASE_URL points at one).
"""

import threading
import time

import pytest
from django.db import connection

from propdesk.core.models import TimelineEvent
from propdesk.org.models import Department
from propdesk.service import services, transitions
from propdesk.service.models import IdempotencyKey, WorkOrder
from tests.api.conftest import Api, token_for
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def crew(project):
    engineering = Department.objects.create(project=project, code="engineering", name="工程部")
    techs = [StaffFactory(username=f"tech{i}", role="technician", projects=[project]) for i in (1, 2)]
    for tech in techs:
        tech.departments.set([engineering])
    butler = StaffFactory(username="butler", role="butler", projects=[project])
    return {"techs": techs, "butler": butler}


@pytest.fixture
def order(occupancy, staff):
    wo, _created = services.create_work_order(
        staff, project=occupancy.unit.project, kind="repair_home", channel="hotline",
        description="厨房下水道堵了", unit=occupancy.unit)
    return wo


def in_threads(*jobs):
    """Run each job in its own thread (and connection); return their results in order."""
    results, errors = [None] * len(jobs), []

    def run(i, job):
        try:
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    return results


def dispatch(api, wo, assignee):
    return lambda: api.post(f"/work-orders/{wo.pk}/transitions",
                            {"action": "dispatch", "version": 1, "assignee": assignee.pk})


def assert_exactly_one_dispatch(wo, responses, assignees):
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409], [r.content for r in responses]
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    loser = responses[1 - winner].json()
    assert (loser["code"], loser["state"]) == ("stale", "dispatched")
    wo.refresh_from_db()
    assert (wo.state, wo.version, wo.assignee_id) == ("dispatched", 2, assignees[winner].pk)
    assert responses[winner].json()["version"] == 2
    assert TimelineEvent.objects.filter(verb="service.dispatch").count() == 1


def test_two_staff_dispatching_at_the_same_moment(order, staff, crew):
    apis = [Api(token_for(staff)), Api(token_for(crew["butler"]))]
    start = threading.Barrier(2)

    def at_once(job):
        def run():
            start.wait()
            return job()
        return run

    jobs = [at_once(dispatch(api, order, tech)) for api, tech in zip(apis, crew["techs"], strict=True)]
    responses = in_threads(*jobs)

    assert_exactly_one_dispatch(order, responses, crew["techs"])


def test_the_second_writer_waits_for_the_first_and_then_finds_the_version_moved_on(
        order, staff, crew, monkeypatch):
    """Forced interleaving: the second request starts while the first holds the work order."""
    first_inside, second_started = threading.Event(), threading.Event()
    real = transitions.HANDLERS["dispatch"]

    def slow_first(*args, **kwargs):
        if not first_inside.is_set():
            first_inside.set()
            assert second_started.wait(10)
            time.sleep(0.3)  # the second request is now blocked on the lock (or its claim of the row)
        return real(*args, **kwargs)

    monkeypatch.setitem(transitions.HANDLERS, "dispatch", slow_first)
    apis = [Api(token_for(staff)), Api(token_for(crew["butler"]))]

    def second():
        assert first_inside.wait(10)
        second_started.set()
        return dispatch(apis[1], order, crew["techs"][1])()

    responses = in_threads(dispatch(apis[0], order, crew["techs"][0]), second)

    assert [r.status_code for r in responses] == [200, 409]
    assert_exactly_one_dispatch(order, responses, crew["techs"])


def test_a_create_retried_while_the_first_is_still_running_makes_one_work_order(occupancy, staff):
    token = token_for(staff)
    data = {"project": occupancy.unit.project_id, "kind": "repair_home", "channel": "wechat",
            "description": "阳台推拉门关不上", "unit": occupancy.unit.pk}
    start = threading.Barrier(3)

    def post():
        api = Api(token)  # one client per thread, one token: the same caller retrying
        start.wait()
        return api.client.post("/api/v1/work-orders", data, content_type="application/json",
                               headers={**api.headers, "idempotency-key": "wechat-msg-42"})

    responses = in_threads(post, post, post)

    assert sorted(r.status_code for r in responses) == [200, 200, 201], [r.content for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert WorkOrder.objects.count() == 1 and IdempotencyKey.objects.count() == 1
