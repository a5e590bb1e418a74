"""Arrears (欠费) in the console: ageing per project, building and unit; the ladder page; payment plans at the
desk; the reminder letter (issue 14, item 4). The day is pinned: ageing depends on it."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from propdesk.billing import arrears, payments, reminders
from propdesk.billing.models import PaymentPlan, Reminder, ReminderStep
from tests.billing.conftest import add_home, post_month

D = Decimal
TZ = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.date(2027, 9, 20)


@pytest.fixture
def aged(home, clerk):
    """王建国 owes March–June (233.75 a month, due on the 15th); 2 homes in another building owe from June;
    a third home has paid everything."""
    others = [add_home(home.project, f"{n}01") for n in (5, 6)]
    paid = add_home(home.project, "701")
    for month in (3, 4, 5, 6):
        post_month(clerk, home.project, dt.date(2027, month, 1))
    for h in others:  # only June left open for them
        payments.take_payment(clerk, h.unit, amount=str(_owed_before(h.unit, dt.date(2027, 6, 1))), method="cash")
    payments.take_payment(clerk, paid.unit, amount=str(_owed_before(paid.unit, dt.date(2099, 1, 1))), method="cash")
    return home


def _owed_before(unit, day):
    from propdesk.billing.models import ChargeLine

    return sum((x.outstanding for x in ChargeLine.objects.filter(unit=unit, due_date__lt=day)), D(0))


def test_the_ageing_buckets_by_days_past_due(aged, clerk):
    # due 15 Mar → 189 days (> 180), 15 Apr → 158, 15 May → 128 (91–180), 15 Jun → 97 (91–180)
    total = arrears.overview(clerk, aged.project.pk, TODAY).total
    mine = D("233.75")
    assert total.over180 == mine
    assert total.b180 == 3 * mine + 2 * D("260.00")  # two other homes' June: 100 m² × 2.50 + 10
    assert total.b90 == total.b30 == 0
    assert total.units == 3
    assert total.total == total.over180 + total.b180
    # one day earlier, March is 188 days overdue: still > 180; on 10 Sept it is 179 days
    assert arrears.overview(clerk, aged.project.pk, dt.date(2027, 9, 10)).total.over180 == 0


def _ageing_of_lines(lines, today):
    """The ageing worked out line by line in Python: the check of the page's aggregate."""
    out = {k: D(0) for k in arrears.AMOUNTS}
    for line in lines:
        days = (today - line.due_date).days
        if line.outstanding > 0 and days >= 1:
            out["total"] += line.outstanding
            out[next(name for name, first, last in arrears.BUCKETS if days >= first and (last is None or days <= last))] \
                += line.outstanding
    return out


def test_the_ageing_by_building_and_by_unit_add_up(aged, clerk):
    from propdesk.billing.models import ChargeLine

    pid = aged.project.pk
    ageing = arrears.overview(clerk, pid, TODAY)
    lines = list(ChargeLine.objects.filter(project_id=pid))
    for day in (TODAY, dt.date(2027, 7, 15), dt.date(2027, 7, 16), dt.date(2028, 2, 29)):
        expected = _ageing_of_lines(lines, day)
        assert {k: getattr(arrears.overview(clerk, pid, day).total, k) for k in arrears.AMOUNTS} == expected
    rows = arrears.with_units(ageing.units, TODAY)
    for key in arrears.AMOUNTS:  # the buildings add up to the project, the units to their building
        assert sum((b[key] for b in ageing.buildings), D(0)) == getattr(ageing.total, key)
        for b in ageing.buildings:
            assert sum((r[key] for r in rows if r["unit"].building_id == b["building_id"]), D(0)) == b[key]
    assert ageing.total.units == len(ageing.units) == 3
    assert [b["units"] for b in ageing.buildings] == [1, 1, 1]
    assert rows[0]["unit"] == aged.unit and rows[0]["total"] == 4 * D("233.75")
    assert rows[0]["oldest"] == dt.date(2027, 3, 15)
    assert [r["total"] for r in rows] == sorted((r["total"] for r in rows), reverse=True)
    only = arrears.overview(clerk, pid, TODAY, building_id=aged.unit.building_id)
    assert only.total.units == 1 and only.total.total == 4 * D("233.75")
    assert [r["unit"] for r in arrears.with_units(only.units, TODAY)] == [aged.unit]
    assert only.buildings == ageing.buildings  # the page still lists every building


def test_the_arrears_page_shows_the_ageing_and_costs_fixed_queries(client, aged, clerk,
                                                                    django_assert_max_num_queries):
    client.force_login(clerk)
    url = reverse("console:arrears")
    with time_machine.travel(dt.datetime(2027, 9, 20, 10, tzinfo=TZ)):
        client.force_login(clerk)
        client.get(url, {"project": aged.project.pk})
        with django_assert_max_num_queries(12):
            body = client.get(url, {"project": aged.project.pk}).content.decode()
        by_building = client.get(url, {"project": aged.project.pk, "building": aged.unit.building_id}).content.decode()
    assert "¥935.00" in body and "3-2-1201" in body and "501栋" in body and "701栋" not in body
    assert "Civil Code art. 944" in body or "第九百四十四条" in body
    assert "3-2-1201" in by_building and 'data-unit="5' not in by_building


def test_the_ladder_page_saves_the_days_and_refuses_a_ladder_going_down(client, home, clerk):
    client.force_login(clerk)
    url = reverse("console:reminder_ladder", args=[home.project.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"days_1": "50", "active_1": "on", "days_2": "45", "active_2": "on",
                                 "days_3": "75", "active_3": "on", "days_4": "105", "active_4": "on"})
    assert response.status_code == 200 and "errors" in response.content.decode()
    assert not ReminderStep.objects.filter(project=home.project).exists()
    response = client.post(url, {"days_1": "20", "active_1": "on", "days_2": "45", "days_3": "75", "active_3": "on",
                                 "days_4": "x", "active_4": "on"})
    assert response.status_code == 200  # "x" is no number of days
    response = client.post(url, {"days_1": "20", "active_1": "on", "days_2": "45", "days_3": "75", "active_3": "on",
                                 "days_4": "105", "active_4": "on"})
    assert response.status_code == 302
    assert list(ReminderStep.objects.filter(project=home.project).values_list("days_overdue", "is_active")) == [
        (20, True), (45, False), (75, True), (105, True)]


@time_machine.travel(dt.datetime(2027, 9, 20, 10, tzinfo=TZ))
def test_a_payment_plan_is_recorded_and_ended_at_the_unit(client, aged, clerk):
    client.force_login(clerk)
    unit_url = reverse("console:unit_fees", args=[aged.unit.pk])
    assert "data-reminders" in client.get(unit_url).content.decode()
    client.post(reverse("console:unit_plan", args=[aged.unit.pk]), {"terms": "", "until": "2028-03-31"})
    assert not PaymentPlan.objects.exists()
    client.post(reverse("console:unit_plan", args=[aged.unit.pk]), {"terms": "每月还300元", "until": "2028-03-31"})
    plan = PaymentPlan.objects.get(unit=aged.unit)
    assert "每月还300元" in client.get(unit_url).content.decode()
    client.post(reverse("console:plan_end", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.ended_at is not None


def test_the_letter_is_downloaded_from_the_ladder_page(client, aged, clerk):
    for day in (dt.date(2027, 9, 1), dt.date(2027, 9, 8), dt.date(2027, 9, 15), dt.date(2027, 9, 22)):
        reminders.run_reminders(today=day, project_ids=[aged.project.pk])
    letter = Reminder.objects.get(unit=aged.unit, action="letter")
    notice = Reminder.objects.filter(unit=aged.unit, action="notice").first()
    client.force_login(clerk)
    body = client.get(reverse("console:reminder_ladder", args=[aged.project.pk])).content.decode()
    assert reverse("console:reminder_letter", args=[letter.pk]) in body
    response = client.get(reverse("console:reminder_letter", args=[letter.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("console:reminder_letter", args=[notice.pk])).status_code == 404
