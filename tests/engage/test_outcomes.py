"""Recording outcomes, the one-step work order, the daily list per staff member and the coverage KPI."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from propdesk.core import timeline
from propdesk.core.errors import Conflict, NotFound
from propdesk.engage import selectors, services
from propdesk.engage.models import CallbackTask, CareFlag
from propdesk.engage.planning import plan_callbacks
from propdesk.service import services as service_services
from tests.engage.conftest import close
from tests.factories import StaffFactory

DAY = dt.timedelta(days=1)


def task_for(occupancy, kind="half_year", due=None, **kwargs):
    return CallbackTask.objects.create(project=occupancy.unit.project, kind=kind, customer=occupancy.customer,
                                       unit=occupancy.unit, due_date=due or timezone.localdate(), **kwargs)


def test_a_reached_callback_with_its_rating_is_on_the_customer_card(occupancy, staff):
    task = services.record_outcome(staff, task_for(occupancy), reached=True, rating=4, comment="一切都好")
    task.refresh_from_db()
    assert (task.status, task.reached, task.rating, task.comment, task.done_by) == ("done", True, 4, "一切都好", staff)
    assert task.done_at is not None
    assert [e.verb for e in timeline.events_for(occupancy.customer)] == ["engage.half_year"]


def test_an_unanswered_callback_is_recorded_and_may_not_be_recorded_twice(occupancy, staff):
    task = task_for(occupancy)
    services.record_outcome(staff, task, reached=False)
    task.refresh_from_db()
    assert (task.status, task.reached, task.rating) == ("done", False, None)
    with pytest.raises(Conflict):
        services.record_outcome(staff, task, reached=True, rating=5)


def test_a_rating_outside_one_to_five_is_refused(occupancy, staff):
    task = task_for(occupancy)
    with pytest.raises(ValidationError):
        services.record_outcome(staff, task, reached=True, rating=7)
    task.refresh_from_db()
    assert task.status == "open"


def test_a_door_visit_opens_a_work_order_in_one_step(occupancy, staff):
    task = task_for(occupancy, kind="care_visit", channel="door_visit")
    task = services.record_outcome(staff, task, reached=True, comment="老人说卫生间水龙头滴水",
                                   create_work_order=True, kind="repair_home", description="卫生间水龙头滴水")
    wo = task.created_work_order
    assert (wo.requester, wo.unit, wo.channel, wo.kind, wo.first_receiver) == (
        occupancy.customer, occupancy.unit, "door_visit", "repair_home", staff)


def test_a_failing_work_order_leaves_the_task_open(occupancy, staff):
    task = task_for(occupancy)
    task.unit = None
    task.save()
    with pytest.raises(ValidationError):  # a repair in the home needs the unit
        services.record_outcome(staff, task, reached=True, create_work_order=True, kind="repair_home",
                                description="漏水")
    task.refresh_from_db()
    assert task.status == "open" and task.created_work_order is None
    with pytest.raises(ValidationError):
        services.record_outcome(staff, task, reached=True, create_work_order=True, description=" ")


def test_a_work_order_task_records_the_work_order_callback(occupancy, staff):
    wo, _ = service_services.create_work_order(staff, project=occupancy.unit.project, kind="repair_home",
                                               channel="hotline", description="客厅灯不亮", unit=occupancy.unit,
                                               requester=occupancy.customer)
    close(staff, wo)
    plan_callbacks(timezone.localdate())
    task = CallbackTask.objects.get(work_order=wo)
    with pytest.raises(ValidationError):  # the work order's callback needs the rating
        services.record_outcome(staff, task, reached=True)
    services.record_outcome(staff, task, reached=True, rating=2, comment="修得慢")
    wo.refresh_from_db()
    assert wo.called_back_at is not None and wo.needs_manager_attention
    assert wo.callbacks.get().rating == 2


def test_staff_of_another_project_may_not_record(occupancy, outsider):
    with pytest.raises(NotFound):
        services.record_outcome(outsider, task_for(occupancy), reached=True)


def test_a_technician_records_only_tasks_assigned_to_them(occupancy, project):
    tech = StaffFactory(username="tech", role="technician", projects=[project])
    with pytest.raises(PermissionDenied):
        services.record_outcome(tech, task_for(occupancy), reached=True)
    services.record_outcome(tech, task_for(occupancy, due=timezone.localdate() - DAY, assignee=tech), reached=True)


def test_the_daily_list_per_staff_member(occupancy, staff, project, outsider):
    today = timezone.localdate()
    butler = StaffFactory(username="butler", role="butler", projects=[project])
    tech = StaffFactory(username="tech", role="technician", projects=[project])
    overdue = task_for(occupancy, due=today - 3 * DAY)
    due_today = task_for(occupancy, kind="care_visit", due=today)
    task_for(occupancy, kind="new_owner", due=today + DAY)  # not yet due
    task_for(occupancy, kind="closed_work_order", due=today - DAY, status="done")  # done
    for_tech = task_for(occupancy, kind="new_owner", due=today, assignee=tech)
    assert list(selectors.my_callbacks(staff, today)) == [overdue, due_today]
    assert list(selectors.my_callbacks(butler, today)) == [overdue, due_today]
    assert list(selectors.my_callbacks(tech, today)) == [for_tech]
    assert list(selectors.my_callbacks(outsider, today)) == []
    assert list(selectors.my_callbacks(staff, today - 2 * DAY)) == [overdue]


def test_care_flags_are_added_and_ended_on_the_card(occupancy, staff, project):
    flag = services.add_care_flag(staff, occupancy.customer, reason="elderly_alone", note="独居老人")
    assert flag.is_active()
    services.end_care_flag(staff, flag)
    flag.refresh_from_db()
    assert flag.until == timezone.localdate()
    assert [e.verb for e in timeline.events_for(occupancy.customer)] == ["engage.care_ended", "engage.care_flagged"]
    tech = StaffFactory(username="tech", role="technician", projects=[project])
    with pytest.raises(PermissionDenied):
        services.add_care_flag(tech, occupancy.customer, reason="other")
    with pytest.raises(ValidationError):
        services.add_care_flag(staff, occupancy.customer, reason="other", since=timezone.localdate(),
                               until=timezone.localdate() - DAY)
    assert CareFlag.objects.count() == 1


def test_callback_coverage_counts_reached_over_due(occupancy, project, other_project):
    start, end = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
    task_for(occupancy, due=dt.date(2025, 1, 5), status="done", reached=True)
    task_for(occupancy, kind="new_owner", due=dt.date(2025, 2, 5), status="done", reached=False)
    task_for(occupancy, kind="care_visit", due=dt.date(2025, 3, 31))  # still open
    task_for(occupancy, kind="care_visit", due=dt.date(2025, 3, 1), status="skipped")
    task_for(occupancy, due=dt.date(2025, 4, 1), status="done", reached=True)  # after the period
    assert selectors.callback_coverage([project.pk], start, end) == (1, 3)
    assert selectors.callback_coverage(None, start, end) == (1, 3)
    assert selectors.callback_coverage([other_project.pk], start, end) == (0, 0)
