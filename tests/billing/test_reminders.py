"""The reminder ladder (催缴) and payment plans (issue 14, item 4).

阳光花园's March bill falls due on 15 March 2027; the default ladder is 15 / 45 / 75 / 105 days overdue:
notice, second notice, butler visit, letter. Days are inputs (`today=`), never the day the suite runs.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from propdesk.billing import payments, pdf, reminders, standards
from propdesk.billing.models import Reminder, ReminderAction, ReminderStep
from propdesk.billing.tasks import billing_daily
from propdesk.core.errors import Conflict
from propdesk.core.timeline import events_for
from propdesk.engage.models import CallbackTask, RuleKind
from propdesk.notify.models import Notification
from tests.billing.conftest import post_month
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
MARCH, APRIL = dt.date(2027, 3, 1), dt.date(2027, 4, 1)
A = ReminderAction


def remind(day, project):
    return reminders.run_reminders(today=day, project_ids=[project.pk])


def steps(unit):
    return list(Reminder.objects.filter(unit=unit).order_by("sent_at", "id").values_list("step", "action"))


@pytest.fixture
def overdue(home, clerk):
    post_month(clerk, home.project, MARCH)
    return home


def test_the_ladder_climbs_step_by_step_and_records_what_was_sent(overdue, time_machine):
    unit, owner, project = overdue.unit, overdue.owner, overdue.project
    time_machine.move_to(dt.datetime(2027, 3, 29, 9, tzinfo=dt.UTC))
    assert remind(dt.date(2027, 3, 29), project)[A.NOTICE] == 0  # 14 days overdue: not yet
    time_machine.move_to(dt.datetime(2027, 3, 30, 9, tzinfo=dt.UTC))
    assert remind(dt.date(2027, 3, 30), project)[A.NOTICE] == 1
    assert remind(dt.date(2027, 3, 30), project)[A.NOTICE] == 0  # once a day, once a step
    notice = Reminder.objects.get(unit=unit)
    assert (notice.step, notice.days_overdue, notice.payer, str(notice.owed)) == (1, 15, owner, "233.75")
    sms = Notification.objects.get(pk__in=notice.detail["notifications"], channel="sms")
    assert sms.address == "13812345678" and "15" in sms.body_text and "233.75" in sms.body_text
    assert [e.verb for e in events_for(unit)].count("billing.reminded") == 1
    assert [e.verb for e in events_for(owner)].count("billing.reminded") == 1

    for day, action in ((dt.date(2027, 4, 29), A.SECOND_NOTICE), (dt.date(2027, 5, 29), A.VISIT),
                        (dt.date(2027, 6, 28), A.LETTER)):
        time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC))
        assert remind(day - dt.timedelta(days=1), project)[action] == 0, action  # a day too early
        assert remind(day, project)[action] == 1, action
    assert steps(unit) == [(1, A.NOTICE), (2, A.SECOND_NOTICE), (3, A.VISIT), (4, A.LETTER)]
    visit = CallbackTask.objects.get(kind=RuleKind.ARREARS_VISIT)
    assert (visit.customer, visit.unit, visit.due_date, visit.channel) == (owner, unit, dt.date(2027, 5, 29),
                                                                           "door_visit")
    letter = Reminder.objects.get(unit=unit, action=A.LETTER)
    assert letter.detail["lines"][0]["open"] == "223.75" and letter.detail["letter"].endswith(".pdf")
    assert remind(dt.date(2027, 12, 1), project) == {a: 0 for a in A.values}  # the ladder's top


def test_the_letter_is_a_pdf_in_chinese(overdue):
    for day in (dt.date(2027, 4, 1), dt.date(2027, 5, 1), dt.date(2027, 6, 1), dt.date(2027, 7, 1)):
        remind(day, overdue.project)

    letter = Reminder.objects.get(unit=overdue.unit, action=A.LETTER)
    assert pdf.letter_pdf(letter).startswith(b"%PDF")
    html = pdf.letter_html(letter)
    assert "催缴" in html and "王建国" in html and "贰佰叁拾叁元柒角伍分" in html


def test_a_unit_found_long_overdue_starts_at_the_first_step(overdue):
    project = overdue.project
    assert remind(dt.date(2027, 9, 1), project)[A.NOTICE] == 1
    assert sum(remind(dt.date(2027, 9, 2), project).values()) == 0
    assert sum(remind(dt.date(2027, 9, 7), project).values()) == 0  # 6 days after the notice
    assert remind(dt.date(2027, 9, 8), project)[A.SECOND_NOTICE] == 1
    assert steps(overdue.unit) == [(1, A.NOTICE), (2, A.SECOND_NOTICE)]


def test_reminders_stop_when_paid_and_new_arrears_start_again(overdue, clerk):
    project, unit = overdue.project, overdue.unit
    remind(dt.date(2027, 4, 1), project)
    payments.take_payment(clerk, unit, amount="233.75", method="cash")
    assert sum(remind(dt.date(2027, 5, 1), project).values()) == 0
    post_month(clerk, project, APRIL)
    assert sum(remind(dt.date(2027, 5, 1), project).values()) == 1  # April: 16 days overdue, a new episode
    first, again = Reminder.objects.filter(unit=unit).order_by("id")
    assert (first.episode, again.episode, again.step) == (dt.date(2027, 3, 15), dt.date(2027, 4, 15), 1)


def test_a_partial_payment_does_not_start_the_ladder_again(overdue, clerk):
    project, unit = overdue.project, overdue.unit
    post_month(clerk, project, APRIL)
    remind(dt.date(2027, 5, 1), project)  # March 47 days overdue: the first notice
    payments.take_payment(clerk, unit, amount="233.75", method="cash")  # March paid, April still open
    assert sum(remind(dt.date(2027, 5, 10), project).values()) == 0
    assert remind(dt.date(2027, 5, 30), project)[A.SECOND_NOTICE] == 1  # April 45 days overdue
    assert {r.episode for r in Reminder.objects.filter(unit=unit)} == {dt.date(2027, 3, 15)}


def test_a_payment_plan_stops_the_ladder_while_it_runs(overdue, clerk):
    project, unit = overdue.project, overdue.unit
    plan = reminders.agree_plan(clerk, unit, terms="每月10日前还300元", until=dt.date(2027, 8, 31),
                                today=dt.date(2027, 4, 1))
    assert sum(remind(dt.date(2027, 4, 1), project).values()) == 0
    with pytest.raises(Conflict):
        reminders.agree_plan(clerk, unit, terms="再一个", until=dt.date(2027, 9, 30), today=dt.date(2027, 4, 2))
    reminders.end_plan(clerk, plan)
    assert remind(dt.date(2027, 4, 2), project)[A.NOTICE] == 1
    assert "billing.plan_agreed" in [e.verb for e in events_for(unit)]


def test_a_plan_past_its_last_day_no_longer_stops_the_ladder(overdue, clerk):
    reminders.agree_plan(clerk, overdue.unit, terms="分两期", until=dt.date(2027, 4, 30), today=dt.date(2027, 4, 1))
    assert sum(remind(dt.date(2027, 4, 30), overdue.project).values()) == 0
    assert remind(dt.date(2027, 5, 1), overdue.project)[A.NOTICE] == 1


def test_a_plan_needs_terms_and_a_day_ahead(overdue, clerk):
    with pytest.raises(ValidationError) as exc:
        reminders.agree_plan(clerk, overdue.unit, terms=" ", until=dt.date(2027, 3, 1), today=dt.date(2027, 4, 1))
    assert set(exc.value.message_dict) == {"terms", "until"}


def test_reminders_can_be_turned_off_for_a_project(overdue, clerk):
    rules = standards.settings_for(overdue.project)
    rules.reminders_enabled = False
    rules.save()
    assert sum(remind(dt.date(2027, 9, 1), overdue.project).values()) == 0


def test_the_ladder_is_changed_by_a_clerk_and_climbs(overdue, clerk):
    project = overdue.project
    rows = [{"order": 1, "days_overdue": 30, "is_active": True}, {"order": 2, "days_overdue": 20, "is_active": True}]
    with pytest.raises(ValidationError):
        reminders.save_ladder(clerk, project, rows)
    assert not ReminderStep.objects.filter(project=project).exists()  # the default ladder, not stored
    butler = StaffFactory(username="butler", role="butler", projects=[project])
    with pytest.raises(PermissionDenied):
        reminders.save_ladder(butler, project, rows)
    reminders.save_ladder(clerk, project, [{"order": 1, "days_overdue": 30, "is_active": True},
                                           {"order": 2, "days_overdue": 20, "is_active": False}])
    assert remind(dt.date(2027, 4, 13), project)[A.NOTICE] == 0
    assert remind(dt.date(2027, 4, 14), project)[A.NOTICE] == 1  # 30 days
    assert remind(dt.date(2027, 5, 30), project)[A.VISIT] == 1  # step 2 off: the visit is next


def test_the_daily_job_climbs_once_a_day(overdue, time_machine):
    time_machine.move_to(dt.datetime(2027, 4, 1, 2, tzinfo=dt.UTC))
    assert billing_daily.call()["notice"] == 1
    assert billing_daily.call() == {"ran": False}


def test_the_notice_shows_in_the_owners_portal_while_overdue(client, overdue, clerk, time_machine):
    from django.urls import reverse

    from tests.portal.conftest import sign_in

    time_machine.move_to(dt.datetime(2027, 4, 1, 9, tzinfo=dt.UTC))
    remind(dt.date(2027, 4, 1), overdue.project)
    sign_in(client, "13812345678")
    body = client.get(reverse("portal:fees")).content.decode()
    assert "data-reminder" in body and "233.75" in body
    payments.take_payment(clerk, overdue.unit, amount="233.75", method="cash")
    assert "data-reminder" not in client.get(reverse("portal:fees")).content.decode()
