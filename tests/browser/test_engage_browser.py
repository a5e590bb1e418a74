"""Communication and care in a real browser (issue 15, items 1, 2, 5, 7), on a 375-px phone, with the
Content-Security-Policy enforced: an owner signs in, reads the notice (the read receipt counts), signs up
for the summer activity and votes; the desk checks a walk-in in on the door page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.engage.activities import services as activities
from propdesk.engage.models import Ballot, NoticeRecipient, Signup
from propdesk.engage.notices import dispatch
from propdesk.engage.notices import services as notices
from propdesk.engage.votes import services as votes
from tests.factories import OccupancyFactory, StaffFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 375, "height": 812}, "locale": "zh-CN", "device_scale_factor": 2, "has_touch": True}


@pytest.fixture
def engage_world(project, settings):
    settings.PORTAL_DEMO_SHOW_CODE = True  # as the demo installation (settings.dev)
    settings.NOTIFY_SMS_BACKEND = "propdesk.notify.backends.DemoHandsetSmsBackend"
    manager = StaffFactory(username="manager", role="project_manager", projects=[project])
    StaffFactory(username="desk", role="front_desk", projects=[project])
    unit = UnitFactory(building__project=project, building__code="3", building__name="3栋", entrance="2",
                       number="1201", floor=12)
    OccupancyFactory(unit=unit, customer__name="王建国", customer__phones=["13812345678"])
    notice, _ = notices.save_notice(manager, project, {"kind": "emergency", "title": "3栋停水通知",
                                                       "body": "因水管爆裂，3栋今日停水。", "channels": ["board", "in_app"]})
    notices.send_notice(manager, notice)
    dispatch.fan_out(notice.dispatches.get().pk)  # the worker's part, here
    now = timezone.now()
    summer, _ = activities.save_activity(manager, project, {
        "title": "夏日亲子游园会", "place": "中心花园", "capacity": 20, "starts_at": now + dt.timedelta(days=5),
        "ends_at": now + dt.timedelta(days=5, hours=3), "signup_opens_at": now - dt.timedelta(days=1),
        "signup_closes_at": now + dt.timedelta(days=4)})
    activities.publish_activity(manager, summer)
    tonight, _ = activities.save_activity(manager, project, {
        "title": "露天电影", "place": "中心广场", "capacity": 50, "starts_at": now + dt.timedelta(hours=1),
        "ends_at": now + dt.timedelta(hours=3), "signup_opens_at": now - dt.timedelta(days=2),
        "signup_closes_at": now - dt.timedelta(hours=1)})
    activities.publish_activity(manager, tonight)
    vote = votes.save_vote(manager, project, {"title": "续聘物业表决", "opens_at": now - dt.timedelta(hours=1),
                                              "closes_at": now + dt.timedelta(days=7)},
                           [{"title": "续聘阳光物业", "item": "4"}])
    votes.open_vote(manager, vote)
    return {"notice": notice, "summer": summer, "tonight": tonight, "vote": vote}


def _csp_guard(page):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"horizontal scroll on {page.url}"


def test_an_owner_reads_signs_up_and_votes_and_the_desk_checks_a_walk_in_in(live_server, browser, engage_world,
                                                                             artifacts):
    base = live_server.url
    context = browser.new_context(**PHONE)
    owner = context.new_page()
    owner.set_default_timeout(10_000)
    violations = _csp_guard(owner)
    owner.goto(f"{base}/portal/")
    owner.wait_for_url("**/portal/login/**")
    owner.fill("#id_phone", "13812345678")
    with owner.expect_navigation():
        owner.click("button.primary")
    code = owner.locator("[data-testid=demo-sms] strong").inner_text()
    owner.fill("#id_code", "".join(c for c in code if c.isdigit())[:6])
    with owner.expect_navigation():
        owner.click("button.primary")

    owner.goto(f"{base}/portal/notices/")
    assert "3栋停水通知" in owner.content()
    _fits(owner)
    owner.goto(f"{base}/portal/notices/{engage_world['notice'].pk}/")
    assert "因水管爆裂" in owner.content()
    _fits(owner)
    owner.screenshot(path=str(artifacts / "engage-notice-375.png"), full_page=True)
    assert NoticeRecipient.objects.get().read_via == "portal"  # opening it counted as read

    owner.goto(f"{base}/portal/activities/{engage_world['summer'].pk}/")
    _fits(owner)
    with owner.expect_navigation():
        owner.locator("form.card button.primary").click()
    assert Signup.objects.get(activity=engage_world["summer"]).status == "confirmed"
    owner.screenshot(path=str(artifacts / "engage-activity-375.png"), full_page=True)

    owner.goto(f"{base}/portal/votes/{engage_world['vote'].pk}/")
    _fits(owner)
    owner.locator("input[type=radio][value=for]").check()
    with owner.expect_navigation():
        owner.locator("form.card button.primary").click()
    matter = engage_world["vote"].matters.get()
    assert Ballot.objects.get().choices == {str(matter.pk): "for"}
    owner.screenshot(path=str(artifacts / "engage-vote-375.png"), full_page=True)

    desk = context.new_page()
    desk_violations = _csp_guard(desk)
    desk.goto(f"{base}/login/")
    desk.fill("#id_username", "desk")
    desk.fill("#id_password", "correct-horse-9")
    with desk.expect_navigation():
        desk.click("button[type=submit].primary")
    desk.goto(base + reverse("console:activity_door", args=[engage_world["tonight"].pk]))
    _fits(desk)
    desk.locator("input[name=typed]").fill("13812345678")
    with desk.expect_navigation():
        desk.locator("form button.primary").click()
    assert "王建国" in desk.locator("[data-checked-in]").inner_text()
    _fits(desk)
    desk.screenshot(path=str(artifacts / "engage-door-375.png"), full_page=True)
    walk_in = Signup.objects.get(activity=engage_world["tonight"])
    assert walk_in.via == "door" and walk_in.attended_at is not None
    context.close()
    assert not violations and not desk_violations, violations + desk_violations
