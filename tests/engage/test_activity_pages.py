"""The console's activity and points pages, the customer card's engagement panel, and the owner's
activities and points in the portal (issue 15 items 2, 3 and 7)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from propdesk.archive.owners import owner_for_phone
from propdesk.engage.activities import services as activities
from propdesk.engage.models import Activity, PointsEntry, Redemption, Signup
from propdesk.engage.points import ledger, rewards
from tests.engage.test_activities import plan
from tests.portal.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_planning_an_activity_in_the_console(client, manager, project, homes):
    client.force_login(manager)
    now = timezone.localtime() + dt.timedelta(days=5)
    fmt = "%Y-%m-%dT%H:%M"
    data = {"project": project.pk, "title": "重阳敬老茶话会", "place": "会所二楼", "capacity": 30, "max_seats": 2,
            "starts_at": now.strftime(fmt), "ends_at": (now + dt.timedelta(hours=2)).strftime(fmt),
            "signup_opens_at": timezone.localtime().strftime(fmt),
            "signup_closes_at": (now - dt.timedelta(hours=1)).strftime(fmt), "roles": ["owner"],
            "idempotency_key": "a-1"}
    assert client.post(reverse("console:activity_add"), data).status_code == 302
    assert client.post(reverse("console:activity_add"), data).status_code == 302  # double submit
    activity = Activity.objects.get()
    client.post(reverse("console:activity_publish", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == "published"
    client.post(reverse("console:activity_signup", args=[activity.pk]), {"phone": "13812345678", "seats": 2})
    assert Signup.objects.get().customer == homes.wang
    detail = client.get(reverse("console:activity", args=[activity.pk])).content.decode()
    assert 'data-places="2"' in detail and "王建国" in detail
    sheet = load_workbook(io.BytesIO(client.get(reverse("console:activity_export", args=[activity.pk])).content)).active
    assert list(sheet.iter_rows(min_row=2, values_only=True))[0][2] == "王建国"


def test_the_door_page_on_a_phone(client, manager, project, homes):
    activity = plan(manager, project)
    signup, _ = activities.owner_sign_up(owner_for_phone("13812345678"), activity, homes.u1201.pk, 2)
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() + dt.timedelta(minutes=30))
    client.force_login(manager)
    url = reverse("console:activity_door", args=[activity.pk])
    assert "inputmode" in client.get(url).content.decode()
    done = client.post(url, {"typed": signup.code}).content.decode()
    assert f'data-checked-in="{signup.pk}"' in done and "王建国" in done
    again = client.post(url, {"typed": "138-1234-5678"})
    assert again.status_code == 422 and "data-problem" in again.content.decode()
    assert ledger.balance_of(homes.wang) == 20


def test_the_activity_list_takes_a_fixed_number_of_queries(client, manager, project, homes,
                                                           django_assert_max_num_queries):
    for n in range(12):
        plan(manager, project, title=f"活动{n}")
    client.force_login(manager)
    client.get(reverse("console:activities"))
    with django_assert_max_num_queries(9):
        assert client.get(reverse("console:activities")).content.decode().count("data-activity=") == 12


def test_the_customer_card_loads_the_engagement_panel(client, staff, homes, manager, project):
    ledger.post(homes.wang, 250, PointsEntry.Kind.EARN, why="x", reason="referral")
    client.force_login(staff)
    card = client.get(reverse("console:customer_detail", args=[homes.wang.pk])).content.decode()
    assert reverse("console:customer_engagement", args=[homes.wang.pk]) in card
    panel = client.get(reverse("console:customer_engagement", args=[homes.wang.pk])).content.decode()
    assert 'data-value-band="A"' in panel and ">250<" in panel


def test_awarding_and_redeeming_at_the_desk(client, staff, manager, homes, project):
    cup = rewards.restock(manager, rewards.save_reward(manager, project, {"name": "保温杯", "cost": 40}), 3)
    client.force_login(staff)
    url = reverse("console:customer_points", args=[homes.wang.pk])
    client.post(url, {"form": "award", "award-reason": "suggestion", "award-note": "建议增设快递柜",
                      "award-ref": "GD1"})
    assert ledger.balance_of(homes.wang) == 50
    response = client.post(url, {"form": "redeem", "redeem-reward": cup.pk, "redeem-quantity": 2})
    assert response.status_code == 200 and "50" in response.content.decode()  # not enough: the balance is shown
    client.post(url, {"form": "redeem", "redeem-reward": cup.pk, "redeem-quantity": 1})
    assert ledger.balance_of(homes.wang) == 10 and Redemption.objects.count() == 1
    assert client.post(url, {"form": "adjust", "adjust-amount": 5, "adjust-note": "x"}).status_code == 403
    assert ledger.balance_of(homes.wang) == 10  # the desk cannot correct a balance: managers only
    client.post(reverse("console:redemption_act", args=[Redemption.objects.get().pk, "hand-over"]))
    assert Redemption.objects.get().status == "handed_over"


def test_managers_set_the_points_rules_all_or_nothing(client, manager, project):
    client.force_login(manager)
    url = reverse("console:earn_rules")
    full = {"project": project.pk, **{f"points-{r}": "30" for r in ("attendance", "suggestion", "referral",
                                                                     "article", "survey")},
            "active-attendance": "on", "active-survey": "on"}
    client.post(url, {**full, "points-survey": "abc"})
    assert {r: rule.points for r, rule in ledger.rules_for(project).items()}["attendance"] == 20
    client.post(url, full)
    rules = ledger.rules_for(project)
    assert rules["attendance"].points == 30 and rules["suggestion"].is_active is False


def test_an_owner_signs_up_and_cancels_in_the_portal(client, homes, manager, project):
    activity = plan(manager, project, capacity=2)
    sign_in(client, "13812345678")
    url = reverse("portal:activity", args=[activity.pk])
    page = client.get(url).content.decode()
    assert "游园会" in page and 'name="seats"' in page
    response = client.post(url, {"unit": homes.u1201.pk, "seats": 2, "phone": "13812345678", "idempotency_key": "x"})
    assert response.status_code == 302
    signup = Signup.objects.get()
    assert signup.status == "confirmed" and signup.code in client.get(url).content.decode()
    assert client.post(reverse("portal:signup_cancel", args=[signup.pk])).status_code == 302
    signup.refresh_from_db()
    assert signup.status == "cancelled"
    assert "游园会" in client.get(reverse("portal:activities")).content.decode()
    assert "游园会" in client.get(reverse("portal:community")).content.decode()


def test_an_owner_sees_the_balance_and_redeems(client, homes, manager, project):
    cup = rewards.restock(manager, rewards.save_reward(manager, project, {"name": "保温杯", "cost": 40}), 3)
    ledger.post(homes.wang, 100, PointsEntry.Kind.EARN, why="x", reason="article")
    sign_in(client, "13812345678")
    page = client.get(reverse("portal:points")).content.decode()
    assert 'data-balance="100"' in page and "保温杯" in page
    key = f"k-{cup.pk}"
    client.post(reverse("portal:reward_redeem", args=[cup.pk]), {"quantity": 2, "idempotency_key": key})
    client.post(reverse("portal:reward_redeem", args=[cup.pk]), {"quantity": 2, "idempotency_key": key})
    assert ledger.balance_of(homes.wang) == 20 and Redemption.objects.count() == 1
