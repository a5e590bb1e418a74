"""The sweep warns at 80 % and escalates at 100 % of a limit, each exactly once, and catches up."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from propdesk.core import timeline
from propdesk.notify.models import Notification
from propdesk.service.models import SlaTimer, WorkOrder
from propdesk.service.sweep import sweep_sla
from tests.service.conftest import act
from tests.service.test_sla import T0, new


def told(user, event):
    return Notification.objects.filter(recipient_user=user, event=event, channel="in_app").count()


@pytest.fixture
def emergency(occupancy, staff, technician):
    wo = new(staff, occupancy.unit, priority="emergency")
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        return act(staff, wo, "dispatch", assignee=technician)


def test_nothing_happens_before_80_percent(emergency, technician):
    assert sweep_sla(now=T0 + dt.timedelta(minutes=23, seconds=59)).warned == 0
    assert told(technician, "work_order.sla_warning") == 0


def test_assignee_is_warned_at_80_percent_exactly_once(emergency, technician):
    at = T0 + dt.timedelta(minutes=24)
    assert sweep_sla(now=at).warned == 1
    assert sweep_sla(now=at + dt.timedelta(minutes=1)).warned == 0
    assert told(technician, "work_order.sla_warning") == 1
    assert SlaTimer.objects.get(work_order=emergency, kind="respond").warned_at == at


def test_manager_is_escalated_at_100_percent_exactly_once_and_the_breach_recorded(emergency, manager, technician):
    sweep_sla(now=T0 + dt.timedelta(minutes=25))
    at = T0 + dt.timedelta(minutes=30)
    assert sweep_sla(now=at).breached == 1
    assert sweep_sla(now=at + dt.timedelta(hours=1)).breached == 0
    assert told(manager, "work_order.sla_breached") == 1
    assert SlaTimer.objects.get(work_order=emergency, kind="respond").breached_at == at
    assert timeline.events_for(emergency).filter(verb="service.sla_breached").count() == 1


def test_a_responded_work_order_is_not_escalated(emergency, technician, manager):
    with time_machine.travel(T0 + dt.timedelta(minutes=20), tick=False):
        act(technician, emergency, "respond")
    report = sweep_sla(now=T0 + dt.timedelta(hours=3))
    assert (report.warned, report.breached) == (0, 0)
    assert told(manager, "work_order.sla_breached") == 0


def test_a_paused_limit_is_not_escalated_while_on_hold(emergency, technician, manager):
    with time_machine.travel(T0 + dt.timedelta(minutes=10), tick=False):
        wo = act(technician, emergency, "hold", note="等业主回家开门")
    assert sweep_sla(now=T0 + dt.timedelta(hours=5)).breached == 0
    with time_machine.travel(T0 + dt.timedelta(hours=5), tick=False):
        act(technician, wo, "resume")
    # 20 minutes of the limit were left when it was put on hold.
    assert sweep_sla(now=T0 + dt.timedelta(hours=5, minutes=19)).breached == 0
    assert sweep_sla(now=T0 + dt.timedelta(hours=5, minutes=20)).breached == 1


def test_after_the_worker_was_down_the_sweep_catches_up_on_everything(occupancy, staff, technician, manager):
    orders = [new(staff, occupancy.unit, when=T0 + dt.timedelta(minutes=i), priority="emergency")
              for i in range(5)]
    report = sweep_sla(now=T0 + dt.timedelta(hours=6))  # the worker comes back six hours later
    assert (report.warned, report.breached) == (5, 5)
    assert told(manager, "work_order.sla_breached") == 5
    assert told(staff, "work_order.sla_warning") == 5  # nobody assigned: the first receiver is warned
    assert sweep_sla(now=T0 + dt.timedelta(hours=7)).breached == 0
    assert all(SlaTimer.objects.get(work_order=o, kind="respond").breached_at for o in orders)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_once(occupancy, staff, manager):
    for i in range(20):
        new(staff, occupancy.unit, when=T0 + dt.timedelta(seconds=i), priority="emergency")
    results, errors = [], []

    def run():
        try:
            results.append(sweep_sla(now=T0 + dt.timedelta(hours=1)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r.breached for r in results) == 20
    assert told(manager, "work_order.sla_breached") == 20
    assert WorkOrder.objects.count() == 20
