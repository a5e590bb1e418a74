"""The one transition table: what each state allows, what it refuses, and what every step records."""

import pytest
from django.core.exceptions import ValidationError

from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.service import workflow
from propdesk.service.models import WorkOrder
from tests.service.conftest import act

S = WorkOrder.State


def test_every_state_is_in_the_table_and_every_target_is_a_state():
    assert set(workflow.TRANSITIONS) == set(S.values)
    for state, actions in workflow.TRANSITIONS.items():
        for action, target in actions.items():
            assert action in workflow.ALL_ACTIONS
            assert target is None or target in S.values, (state, action)


def test_the_happy_path_of_a_leak(leak, staff, technician):
    wo = act(staff, leak, "dispatch", assignee=technician)
    assert (wo.state, wo.assignee, wo.department.name) == (S.DISPATCHED, technician, "工程部")
    wo = act(technician, wo, "respond")
    assert wo.state == S.RESPONDED and wo.responded_at is not None
    wo = act(technician, wo, "start")
    wo = act(technician, wo, "resolve", note="更换排水管接头")
    wo = act(staff, wo, "confirm")
    wo = act(staff, wo, "callback", rating=5, note="满意")
    wo = act(staff, wo, "close")
    assert wo.state == S.CLOSED and wo.closed_at is not None
    verbs = [e.verb for e in timeline.events_for(wo)]
    for step in ("received", "dispatch", "respond", "start", "resolve", "confirm", "callback", "close"):
        assert f"service.{step}" in verbs


def test_every_step_shows_on_the_unit_and_customer_cards_with_actor(leak, staff, technician):
    act(staff, leak, "dispatch", assignee=technician)
    unit_event = timeline.events_for(leak.unit).first()
    customer_event = timeline.events_for(leak.requester).first()
    assert unit_event.verb == customer_event.verb == "service.dispatch"
    assert unit_event.actor == staff
    assert unit_event.changes["state"] == ["received", "dispatched"]


def test_a_forbidden_action_is_refused_naming_the_current_state(leak, staff):
    with pytest.raises(Conflict) as err:
        act(staff, leak, "close")
    from propdesk.service.transitions import state_label

    assert state_label(S.RECEIVED) in err.value.message
    assert WorkOrder.objects.get(pk=leak.pk).state == S.RECEIVED


def test_a_stale_version_is_refused_and_nothing_is_lost(leak, staff, technician):
    stale = WorkOrder.objects.get(pk=leak.pk)
    act(staff, leak, "respond")
    with pytest.raises(Conflict):
        act(technician, stale, "dispatch", assignee=technician)
    fresh = WorkOrder.objects.get(pk=leak.pk)
    assert fresh.state == S.RESPONDED and fresh.assignee is None and fresh.version == 2


def test_explicit_version_is_checked(leak, staff):
    with pytest.raises(Conflict):
        act(staff, leak, "respond", version=leak.version + 5)


def test_dispatch_needs_someone_of_the_project(leak, staff, outsider):
    with pytest.raises(ValidationError):
        act(staff, leak, "dispatch")
    with pytest.raises(ValidationError):
        act(staff, leak, "dispatch", assignee=outsider)
    assert WorkOrder.objects.get(pk=leak.pk).state == S.RECEIVED


def test_the_first_receiver_stays_the_owner_through_dispatch_and_transfer(leak, staff, technician, departments):
    wo = act(staff, leak, "dispatch", assignee=technician)
    wo = act(technician, wo, "transfer", department=departments["security"], note="涉及公共管道，需秩序部协调")
    assert wo.first_receiver == staff and wo.state == S.TRANSFERRED and wo.assignee is None


def test_hold_returns_to_the_state_it_was_held_from(leak, staff, technician):
    wo = act(staff, leak, "dispatch", assignee=technician)
    with pytest.raises(ValidationError):
        act(technician, wo, "hold")
    wo = act(technician, wo, "hold", note="等待配件")
    assert wo.state == S.ON_HOLD
    wo = act(technician, wo, "resume")
    assert wo.state == S.DISPATCHED and wo.held_from == ""


def test_reopen_after_resolution(leak, staff, technician):
    wo = act(staff, leak, "dispatch", assignee=technician)
    wo = act(technician, wo, "resolve", note="已处理")
    wo = act(staff, wo, "reopen", note="业主反映仍在滴水")
    assert wo.state == S.REOPENED and wo.resolved_at is None
    wo = act(technician, wo, "start")
    wo = act(technician, wo, "resolve", note="彻底更换管段")
    assert wo.state == S.RESOLVED


def test_cancel_needs_a_reason_and_ends_the_limits(leak, staff):
    with pytest.raises(ValidationError):
        act(staff, leak, "cancel")
    wo = act(staff, leak, "cancel", note="业主重复来电")
    assert wo.state == S.CANCELLED and wo.next_due_at is None
    assert all(t.stopped_at for t in wo.timers.all())


def test_staff_of_another_project_cannot_act(leak, outsider):
    from propdesk.core.errors import NotFound

    with pytest.raises(NotFound):
        act(outsider, leak, "respond")


def test_the_queue_index_covers_exactly_the_open_states():
    index = next(i for i in WorkOrder._meta.indexes if i.name == "wo_open_queue")
    (lookup, states), = index.condition.children
    assert lookup == "state__in" and set(states) == set(workflow.OPEN_STATES)
