"""Each rule plans the right callbacks on the right day, once (PRODUCT.md area 5, issue item 6)."""

import datetime as dt

from django.utils import timezone

from propdesk.engage.models import CallbackRule, CallbackTask, CareFlag
from propdesk.engage.planning import plan_callbacks, quarter_start, rules_for
from propdesk.service import services
from tests.engage.conftest import TODAY, close
from tests.factories import OccupancyFactory

DAY = dt.timedelta(days=1)


def kinds(customer):
    return sorted(CallbackTask.objects.filter(customer=customer).values_list("kind", "due_date"))


def test_the_four_default_rules_are_created_once(project):
    rules = rules_for(project)
    assert [(r.kind, r.offset_days, r.channel) for r in rules] == [
        ("new_owner", 30, "phone"), ("half_year", 182, "phone"), ("care_visit", 91, "door_visit"),
        ("closed_work_order", 1, "phone")]
    rules_for(project)
    assert CallbackRule.objects.filter(project=project).count() == 4


def test_a_new_owner_is_called_one_month_after_moving_in_and_only_once(new_owner):
    assert plan_callbacks(TODAY - DAY)["new_owner"] == 0
    assert plan_callbacks(TODAY)["new_owner"] == 1
    task = CallbackTask.objects.get(kind="new_owner")
    assert (task.customer, task.unit, task.due_date, task.channel) == (
        new_owner.customer, new_owner.unit, TODAY, "phone")
    assert plan_callbacks(TODAY)["new_owner"] == 0
    assert plan_callbacks(TODAY + DAY)["new_owner"] == 0
    assert CallbackTask.objects.filter(kind="new_owner").count() == 1


def test_a_missed_day_is_caught_up_with_the_original_due_date(new_owner):
    plan_callbacks(TODAY + 3 * DAY)
    assert CallbackTask.objects.get(kind="new_owner").due_date == TODAY


def test_an_owner_buying_a_second_unit_is_no_new_owner(new_owner, occupancy):
    OccupancyFactory(unit=new_owner.unit, customer=occupancy.customer, start_date=new_owner.start_date)
    plan_callbacks(TODAY)
    assert CallbackTask.objects.filter(kind="new_owner").count() == 1


def test_a_tenant_is_no_new_owner(new_owner):
    new_owner.role = "tenant"
    new_owner.save()
    assert plan_callbacks(TODAY)["new_owner"] == 0


def test_an_inactive_rule_plans_nothing(new_owner, project):
    rules_for(project)
    CallbackRule.objects.filter(project=project).update(is_active=False)
    assert sum(plan_callbacks(TODAY).values()) == 0
    assert not CallbackTask.objects.exists()


def test_every_household_gets_a_half_year_callback_until_reached(occupancy, new_owner, staff):
    owner = occupancy.customer
    assert plan_callbacks(TODAY)["half_year"] == 1  # 王建国; 李新 moved in a month ago
    assert kinds(owner) == [("half_year", TODAY)]
    assert plan_callbacks(TODAY + DAY)["half_year"] == 0  # still open
    task = CallbackTask.objects.get(customer=owner)
    task.status, task.reached, task.done_at = "done", True, timezone.make_aware(
        dt.datetime.combine(TODAY, dt.time(10)))
    task.save()
    assert plan_callbacks(TODAY + 100 * DAY)["half_year"] == 0
    assert plan_callbacks(TODAY + 183 * DAY)["half_year"] == 2  # and 李新, living there half a year now
    assert kinds(owner)[-1] == ("half_year", TODAY + 183 * DAY)


def test_an_unanswered_half_year_callback_is_tried_again_a_week_later(occupancy):
    plan_callbacks(TODAY)
    CallbackTask.objects.update(status="done", reached=False, done_at=timezone.now())
    assert plan_callbacks(TODAY + 3 * DAY)["half_year"] == 0
    assert plan_callbacks(TODAY + 7 * DAY)["half_year"] == 1


def test_a_former_owner_gets_no_half_year_callback(occupancy):
    occupancy.end_date = TODAY - DAY
    occupancy.save()
    assert plan_callbacks(TODAY)["half_year"] == 0


def test_a_household_under_care_gets_one_door_visit_per_quarter(occupancy):
    owner = occupancy.customer
    CareFlag.objects.create(customer=owner, reason="elderly_alone", since=TODAY - 10 * DAY)
    assert plan_callbacks(TODAY)["care_visit"] == 1
    task = CallbackTask.objects.get(kind="care_visit")
    assert (task.channel, task.unit, task.due_date) == ("door_visit", occupancy.unit, TODAY)
    task.status, task.reached, task.done_at = "done", True, timezone.now()
    task.save()
    assert plan_callbacks(TODAY + 15 * DAY)["care_visit"] == 0  # still the first quarter
    next_quarter = dt.date(2025, 4, 1)
    assert quarter_start(next_quarter - DAY) == dt.date(2025, 1, 1)
    assert plan_callbacks(next_quarter)["care_visit"] == 1
    assert plan_callbacks(next_quarter + DAY)["care_visit"] == 0


def test_an_ended_or_future_care_flag_plans_no_visit(occupancy):
    CareFlag.objects.create(customer=occupancy.customer, reason="disabled", since=TODAY - 90 * DAY,
                            until=TODAY - DAY)
    CareFlag.objects.create(customer=occupancy.customer, reason="other", since=TODAY + DAY)
    assert plan_callbacks(TODAY)["care_visit"] == 0


def test_a_closed_work_order_without_callback_gets_a_task_the_next_day(occupancy, staff):
    wo, _ = services.create_work_order(staff, project=occupancy.unit.project, kind="repair_home",
                                       channel="hotline", description="客厅灯不亮", unit=occupancy.unit,
                                       requester=occupancy.customer)
    today = timezone.localdate()
    assert plan_callbacks(today)["closed_work_order"] == 0  # not closed yet
    wo = close(staff, wo)
    assert plan_callbacks(today)["closed_work_order"] == 1
    task = CallbackTask.objects.get(kind="closed_work_order")
    assert (task.work_order, task.customer, task.unit, task.due_date) == (wo, occupancy.customer, occupancy.unit,
                                                                          today + DAY)
    assert plan_callbacks(today)["closed_work_order"] == 0
    assert plan_callbacks(today + DAY)["closed_work_order"] == 0
    assert CallbackTask.objects.filter(work_order=wo).count() == 1


def test_a_callback_recorded_at_the_desk_skips_the_planned_task(occupancy, staff):
    from propdesk.service.transitions import transition

    wo, _ = services.create_work_order(staff, project=occupancy.unit.project, kind="repair_home",
                                       channel="hotline", description="客厅灯不亮", unit=occupancy.unit)
    wo = close(staff, wo)
    plan_callbacks(timezone.localdate())
    task = CallbackTask.objects.get(work_order=wo)
    assert task.customer is None
    transition(staff, wo, "callback", rating=5, reached=True)
    plan_callbacks(timezone.localdate())
    task.refresh_from_db()
    assert task.status == "skipped"


def test_the_daily_job_plans_once_a_day(occupancy):
    from propdesk.engage.tasks import plan_callbacks_daily

    assert plan_callbacks_daily.call()["planned"] is True
    assert plan_callbacks_daily.call() == {"planned": False}
