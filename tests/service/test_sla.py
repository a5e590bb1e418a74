"""Limits (PRODUCT.md area 2): 30 min for emergencies, 2 h otherwise, 24/72 h to resolve complaints,
3 days for another department to answer; time on hold does not count."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from propdesk.service import services
from propdesk.service.models import SlaPolicy, SlaTimer, WorkOrder
from tests.service.conftest import act

T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def timer(wo, kind):
    return wo.timers.get(kind=kind, stopped_at__isnull=True) if kind == "transfer" else wo.timers.get(kind=kind)


def new(actor, unit, when=T0, **kw):
    fields = {"kind": "repair_home", "channel": "hotline", "description": "厨房水龙头滴水", "unit": unit}
    fields.update(kw)
    with time_machine.travel(when, tick=False):
        wo, _ = services.create_work_order(actor, project=unit.project, **fields)
    return wo


def test_emergency_must_be_responded_to_within_30_minutes(occupancy, staff):
    wo = new(staff, occupancy.unit, priority="emergency")
    t = timer(wo, "respond")
    assert t.due_at == T0 + dt.timedelta(minutes=30)
    assert t.warn_at == T0 + dt.timedelta(minutes=24)  # 80 %
    assert wo.next_due_at == t.due_at


def test_normal_request_must_be_responded_to_within_2_hours(occupancy, staff):
    wo = new(staff, occupancy.unit, priority="normal")
    assert timer(wo, "respond").due_at == T0 + dt.timedelta(hours=2)
    assert not wo.timers.filter(kind="resolve").exists()


@pytest.mark.parametrize("complexity,hours", [("general", 24), ("complex", 72)])
def test_complaints_must_be_resolved_in_24_or_72_hours(occupancy, staff, complexity, hours):
    wo = new(staff, occupancy.unit, kind="complaint", complexity=complexity, description="楼上噪音扰民")
    assert timer(wo, "resolve").due_at == T0 + dt.timedelta(hours=hours)


def test_each_project_may_tune_its_limits(occupancy, staff):
    SlaPolicy.objects.create(project=occupancy.unit.project, emergency_response_minutes=15)
    occupancy.unit.project.__dict__.pop("_sla_policy_cache", None)
    wo = new(staff, occupancy.unit, priority="emergency")
    assert timer(wo, "respond").due_at == T0 + dt.timedelta(minutes=15)


def test_responding_stops_the_response_clock(occupancy, staff):
    wo = new(staff, occupancy.unit, priority="emergency")
    with time_machine.travel(T0 + dt.timedelta(minutes=29), tick=False):
        wo = act(staff, wo, "respond")
    t = timer(wo, "respond")
    assert t.stopped_at == T0 + dt.timedelta(minutes=29) and t.met is True
    assert wo.next_due_at is None


def test_time_on_hold_does_not_count(occupancy, staff, technician):
    wo = new(staff, occupancy.unit, kind="complaint", description="物业服务态度差")
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        wo = act(staff, wo, "hold", note="等业主出差回来")
    with time_machine.travel(T0 + dt.timedelta(hours=11), tick=False):
        wo = act(staff, wo, "resume")
    t = timer(wo, "resolve")
    assert t.paused_seconds == 10 * 3600
    assert t.due_at == T0 + dt.timedelta(hours=34)
    assert wo.next_due_at == timer(wo, "respond").due_at  # the response limit is the nearer one


def test_a_paused_limit_is_not_in_the_queue_order(occupancy, staff):
    wo = new(staff, occupancy.unit, priority="emergency")
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        wo = act(staff, wo, "hold", note="等业主回家开门")
    assert wo.next_due_at is None


def test_complaint_resolved_late_requires_explanation(occupancy, staff):
    wo = new(staff, occupancy.unit, kind="complaint", description="停车位被占用")
    with time_machine.travel(T0 + dt.timedelta(hours=25), tick=False):
        with pytest.raises(ValidationError) as err:
            act(staff, wo, "resolve", note="已协调车主挪车")
        assert "late_explanation" in err.value.message_dict
        wo = act(staff, WorkOrder.objects.get(pk=wo.pk), "resolve", note="已协调车主挪车",
                 late_explanation="车主出差无法联系，经派出所协助后挪车")
    assert wo.late_explanation.startswith("车主出差")
    assert timer(wo, "resolve").met is False


def test_complaint_resolved_in_time_needs_no_explanation(occupancy, staff):
    wo = new(staff, occupancy.unit, kind="complaint", description="垃圾桶未及时清理")
    with time_machine.travel(T0 + dt.timedelta(hours=23), tick=False):
        wo = act(staff, wo, "resolve", note="已清理并加派保洁")
    assert timer(wo, "resolve").met is True and wo.late_explanation == ""


def test_a_transfer_must_be_answered_within_3_days(occupancy, staff, departments, technician):
    wo = new(staff, occupancy.unit)
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        wo = act(staff, wo, "transfer", department=departments["engineering"], note="需工程部评估")
    transfer = timer(wo, "transfer")
    assert transfer.due_at == T0 + dt.timedelta(hours=1, days=3)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        wo = act(technician, wo, "accept_transfer")
    assert wo.state == WorkOrder.State.DISPATCHED and wo.assignee == technician
    assert SlaTimer.objects.get(pk=transfer.pk).met is True


def test_raising_the_priority_retimes_the_running_limit(occupancy, staff):
    wo = new(staff, occupancy.unit, priority="normal")
    with time_machine.travel(T0 + dt.timedelta(minutes=10), tick=False):
        services.reclassify(staff, wo, priority="emergency")
    assert timer(wo, "respond").due_at == T0 + dt.timedelta(minutes=30)


def test_due_times_are_indexed_columns():
    names = {i.name for i in SlaTimer._meta.indexes} | {i.name for i in WorkOrder._meta.indexes}
    assert {"sla_warn_due", "sla_breach_due", "wo_queue"} <= names
