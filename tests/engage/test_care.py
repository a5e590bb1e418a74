"""The care calendar (issue 15 item 4): lunar festivals for any year, greetings from templates through
notify (once, on the customer's timeline, never to someone who declined), birthdays, elderly visits."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from propdesk.archive.owners import owner_for_phone
from propdesk.core.models import TimelineEvent
from propdesk.engage.care import calendar, selectors, services
from propdesk.engage.models import CallbackTask, CareFlag, Greeting
from propdesk.notify.models import Notification
from tests.portal.conftest import sign_in
from tests.quality.conftest import SH

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("occasion,year,expected", [
    ("spring_festival", 2027, dt.date(2027, 2, 6)), ("spring_festival", 2028, dt.date(2028, 1, 26)),
    ("mid_autumn", 2027, dt.date(2027, 9, 15)), ("mid_autumn", 2028, dt.date(2028, 10, 3)),
    ("double_ninth", 2027, dt.date(2027, 10, 8)), ("lantern", 2027, dt.date(2027, 2, 20)),
    ("dragon_boat", 2027, dt.date(2027, 6, 9)), ("national_day", 2031, dt.date(2031, 10, 1)),
])
def test_festivals_fall_on_their_known_dates(occasion, year, expected):
    assert calendar.festival_day(occasion, year) == expected


def test_any_year_works_even_beyond_the_published_holiday_arrangements():
    for year in (2035, 2050, 2099):
        days = calendar.festivals_between(dt.date(year, 1, 1), dt.date(year, 12, 31))
        assert [f.occasion for f in days].count("spring_festival") == 1 and len(days) == 8
        assert all(dt.date(year, 1, 1) <= f.day <= dt.date(year, 12, 31) for f in days)
    assert calendar.Festival("mid_autumn", dt.date(2027, 9, 15)).lunar == "八月十五"


def test_a_29_february_birthday_is_on_28_february_in_a_common_year():
    assert calendar.birthday_in(2027, dt.date(1960, 2, 29)) == dt.date(2027, 2, 28)
    assert calendar.birthday_in(2028, dt.date(1960, 2, 29)) == dt.date(2028, 2, 29)


def at(day, hour=9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SH), tick=False)


def test_mid_autumn_greetings_reach_each_household_once_and_are_on_the_timeline(homes, butler, project):
    day = dt.date(2027, 9, 15)
    with at(day - dt.timedelta(days=3)):
        assert {c.name for c in services.recipients(project, "mid_autumn", day)} == {"王建国", "赵房东", "阳光科技有限公司"}
        assert services.send_greetings(butler, project, "mid_autumn", day) == 3
        assert services.send_greetings(butler, project, "mid_autumn", day) == 0  # nobody twice
    sms = Notification.objects.filter(event="engage.greeting", address="13812345678").get()
    assert "王建国" in sms.body and "阳光花园" in sms.body and "中秋" in sms.body
    event = TimelineEvent.objects.get(verb="engage.greeted", links__subject_id=homes.wang.pk)
    assert "中秋" in event.summary or "Mid-Autumn" in event.summary
    assert Greeting.objects.filter(occasion="mid_autumn", day=day).count() == 3


def test_an_owner_who_declined_is_never_greeted(homes, butler, project, client):
    assert sign_in(client, "13812345678").status_code == 302
    client.post(reverse("portal:care_settings"), {})  # nothing ticked: no greetings
    assert client.get(reverse("portal:care_settings")).status_code == 200
    day = dt.date(2027, 9, 15)
    with at(day):
        services.send_greetings(butler, project, "mid_autumn", day)
    assert not Greeting.objects.filter(customer=homes.wang).exists()
    assert not Notification.objects.filter(event="engage.greeting", address="13812345678").exists()
    client.post(reverse("portal:care_settings"), {"greet": [str(homes.wang.pk)]})
    with at(day):
        assert [c.name for c in services.recipients(project, "mid_autumn", day)] == ["王建国"]


def test_greetings_only_around_the_festival_on_its_real_date(homes, butler, project):
    with at(dt.date(2027, 6, 1)):
        with pytest.raises(ValidationError):
            services.send_greetings(butler, project, "mid_autumn", dt.date(2027, 9, 15))  # months early
        with pytest.raises(ValidationError):
            services.send_greetings(butler, project, "mid_autumn", dt.date(2027, 6, 10))  # not its day


def test_the_double_ninth_greets_the_elderly_residents(homes, butler, project):
    homes.wife.birth_date = dt.date(1950, 3, 3)
    homes.wife.save()
    day = dt.date(2027, 10, 8)
    with at(day):
        assert [c.name for c in services.recipients(project, "double_ninth", day)] == ["李秀英"]


def test_birthdays_go_out_by_themselves_on_the_day(homes, project):
    homes.tenant.birth_date = dt.date(1964, 2, 29)
    homes.tenant.save()
    with at(dt.date(2027, 2, 28)):
        assert services.send_birthday_greetings() == 1
        assert services.send_birthday_greetings() == 0
    assert Greeting.objects.get().customer == homes.tenant
    assert "生日" in Notification.objects.get(event="engage.greeting").body
    templates = services.templates_for(project)
    templates["birthday"].is_active = False
    templates["birthday"].save()
    with at(dt.date(2028, 2, 29)):
        assert services.send_birthday_greetings() == 0  # switched off


def test_elderly_households_get_a_door_visit_before_the_festival(homes, project):
    homes.wang.birth_date = dt.date(1950, 1, 1)
    homes.wang.save()
    CareFlag.objects.create(customer=homes.firm, reason="elderly_alone", since=dt.date(2026, 1, 1))
    today = dt.date(2027, 9, 8)
    assert services.plan_festival_visits(today) == 2
    assert services.plan_festival_visits(today) == 0  # once
    tasks = CallbackTask.objects.filter(kind="festival_visit").order_by("customer_id")
    assert {t.customer for t in tasks} == {homes.wang, homes.firm}
    assert all(t.due_date == dt.date(2027, 9, 13) and t.channel == "door_visit" for t in tasks)
    from propdesk.engage.selectors import my_callbacks
    from tests.factories import StaffFactory

    butler = StaffFactory(username="b2", role="butler", projects=[project])
    assert list(my_callbacks(butler, dt.date(2027, 9, 12))) == []
    assert len(my_callbacks(butler, dt.date(2027, 9, 13))) == 2


def test_the_calendar_shows_the_year_with_the_figures_of_the_near_festivals(homes, project):
    rows = selectors.year_ahead(project, dt.date(2027, 9, 1))
    mid = next(r for r in rows if r.festival.occasion == "mid_autumn")
    assert mid.festival.day == dt.date(2027, 9, 15) and mid.to_greet == 3
    spring = next(r for r in rows if r.festival.occasion == "spring_festival")
    assert spring.festival.day == dt.date(2028, 1, 26) and spring.to_greet is None  # too far for figures
    assert len(rows) >= 8


def test_the_console_calendar_and_sending_with_confirmation(client, homes, butler, project):
    with at(dt.date(2027, 9, 10)):
        client.force_login(butler)
        page = client.get(reverse("console:care_calendar"), {"project": project.pk}).content.decode()
        assert 'data-day="2027-09-15"' in page and 'data-to-greet="3"' in page
        url = reverse("console:care_greet", args=[project.pk, "mid_autumn", "2027-09-15"])
        assert 'data-count="3"' in client.get(url).content.decode()
        client.post(url)
    assert Greeting.objects.count() == 3


def test_the_desk_records_an_owners_refusal(client, homes, staff):
    client.force_login(staff)
    client.post(reverse("console:customer_greetings", args=[homes.wang.pk]), {"opt_out": "1"})
    panel = client.get(reverse("console:customer_engagement", args=[homes.wang.pk])).content.decode()
    assert "data-declines-greetings" in panel
    assert owner_for_phone("13812345678").customer_ids == [homes.wang.pk]
