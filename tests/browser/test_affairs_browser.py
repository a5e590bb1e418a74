"""Public affairs in a real browser (issue 13, items 3, 5, 7): the guard's gate on a 375-px phone with a
keyboard-wedge scanner (text + Enter), a partially authorised pass; keyboard-only visitor registration of
a known and a new visitor, timed (the figures go to docs/performance.md; the test asserts the flow only);
the grouped navigation bar at 1366 and 375 px."""

import datetime as dt
import json
import time

import pytest
from django.utils import timezone

from propdesk.affairs import release, visitors
from propdesk.archive.models import Occupancy
from tests.factories import OccupancyFactory, StaffFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 375, "height": 812}, "locale": "zh-CN", "device_scale_factor": 2, "has_touch": True}
KNOWN_ID = "440301198506061117"


@pytest.fixture
def gate_world(project):
    desk = StaffFactory(username="desk", role="front_desk", projects=[project])
    StaffFactory(username="guard", role="security", projects=[project], first_name="卫东", last_name="张")
    unit = UnitFactory(building__project=project, building__code="3", building__name="3栋", entrance="2",
                       number="1201", floor=12)
    owner = OccupancyFactory(unit=unit, customer__name="王建国", customer__phones=["13812345678"]).customer
    tenant = OccupancyFactory(unit=unit, role=Occupancy.Role.TENANT, customer__name="李租客",
                              customer__phones=["13900001111"], start_date=dt.date(2024, 1, 1),
                              end_date=dt.date(2099, 1, 1)).customer
    p = release.apply_pass(desk, unit=unit, applicant=tenant, items=[("办公桌", 4), ("办公椅", 6)], carrier="老马")
    desk_item, chair = p.items.all()
    release.authorise_in_portal(owner, p, quantities={desk_item.pk: 2, chair.pk: 0})
    return p


def _sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-9")
    page.click("button[type=submit].primary")


def _phone(browser):
    """A 375-px phone page, and the Content-Security-Policy violations its console reports."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page, violations


def _no_horizontal_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"horizontal scroll at {width} px"


def test_the_guard_scans_a_partly_authorised_pass_and_lets_only_that_pass(live_server, browser, gate_world,
                                                                          artifacts):
    context, page, violations = _phone(browser)
    _sign_in(page, live_server.url, "guard")
    page.wait_for_url(f"{live_server.url}/gate/")  # a guard lands on the gate
    scan = page.locator("#gate-q")
    assert scan.evaluate("el => el === document.activeElement")
    scan.press_sequentially(gate_world.number.lower(), delay=5)  # a keyboard-wedge scanner types, then Enter
    scan.press("Enter")
    card = page.locator(".pass-card.go")
    card.wait_for()
    assert "办公桌" in card.inner_text() and "办公椅" in card.inner_text()
    _no_horizontal_scroll(page, 375)
    page.screenshot(path=str(artifacts / "affairs-gate-pass-375.png"), full_page=True)
    desk_box = card.locator("tr[data-item='办公桌'] input")
    chair_box = card.locator("tr[data-item='办公椅'] input")
    assert desk_box.input_value() == "2" and chair_box.is_disabled()  # the owner allowed 2 desks, no chairs
    desk_box.fill("3")
    card.get_by_role("button").click()
    refused = page.locator(".messages")
    refused.wait_for()
    assert "最多还可放行2件" in refused.inner_text()
    page.locator(".pass-card.go tr[data-item='办公桌'] input").fill("2")
    page.locator(".pass-card.go").get_by_role("button").click()
    page.locator(".msg-success").wait_for()
    page.locator(".pass-card.stop").wait_for()  # everything authorised has now passed
    assert "已全部放行" in page.locator(".pass-card.stop").inner_text()
    page.screenshot(path=str(artifacts / "affairs-gate-released-375.png"), full_page=True)
    context.close()
    assert not violations, violations


@pytest.fixture
def visitor_world(project):
    guard = StaffFactory(username="guard", role="security", projects=[project])
    unit = UnitFactory(building__project=project, building__code="3", building__name="3栋", entrance="2",
                       number="1201", floor=12)
    OccupancyFactory(unit=unit, customer__name="王建国", customer__phones=["13812345678"])
    visitors.register_visit(guard, project, unit_text="3-2-1201", name="孙来访", id_number=KNOWN_ID,
                            phone="13311112222", now=timezone.now() - dt.timedelta(days=7))
    return project


def _register_by_keyboard(page, id_number, phone, name, unit) -> float:
    """From the ID in hand to the registration shown: keyboard only, as a guard with a card reader types."""
    started = time.perf_counter()
    page.keyboard.type(id_number)
    page.keyboard.press("Tab")
    if phone:
        page.keyboard.type(phone)
    else:
        page.locator("#recalled .recalled").wait_for()  # a known visitor: the name comes back by itself
    page.keyboard.press("Tab")
    if name:
        page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(unit)
    page.keyboard.press("Enter")
    page.locator(".msg-success").wait_for()
    return time.perf_counter() - started


def test_a_guard_registers_a_known_and_a_new_visitor_by_keyboard(live_server, browser, visitor_world, artifacts):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    _sign_in(page, live_server.url, "guard")
    page.goto(f"{live_server.url}/gate/visitors/")
    assert page.locator("#id_id_number").evaluate("el => el === document.activeElement")
    known = _register_by_keyboard(page, KNOWN_ID, "", "", "3-2-1201")
    assert "孙来访" in page.locator(".msg-success").inner_text()
    _no_horizontal_scroll(page, 375)
    new = _register_by_keyboard(page, "110101199203035678", "13655557777", "钱新客", "王建国")
    assert "钱新客" in page.locator(".msg-success").inner_text()
    on_site = page.locator("[data-visit]").all_inner_texts()
    assert any("孙来访" in t for t in on_site) and any("钱新客" in t for t in on_site)
    assert not any(KNOWN_ID in t for t in on_site)  # masked everywhere
    page.screenshot(path=str(artifacts / "affairs-visitors-375.png"), full_page=True)
    (artifacts / "visitor-registration-timing.json").write_text(json.dumps(
        {"known_visitor_seconds": round(known, 2), "new_visitor_seconds": round(new, 2)}))
    context.close()


@pytest.mark.parametrize("width", [1366, 375])
def test_the_grouped_bar_fits_and_puts_the_guards_daily_pages_first(live_server, browser, visitor_world, artifacts,
                                                                    width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    _sign_in(page, live_server.url, "guard")
    page.wait_for_url(f"{live_server.url}/gate/")
    daily = page.locator(".mainnav a.daily").all_inner_texts()
    assert daily == ["门岗", "访客", "装修巡查", "工单"]
    _no_horizontal_scroll(page, width)
    page.locator("details.navgroup[data-area='affairs'] summary").click()
    assert page.locator("details.navgroup[data-area='affairs'] .navmenu a").count() >= 6
    page.screenshot(path=str(artifacts / f"affairs-navigation-{width}.png"))
    context.close()


@pytest.fixture
def patrol_world(project, tmp_path):
    from PIL import Image

    from propdesk.affairs import renovation

    desk = StaffFactory(username="desk", role="front_desk", projects=[project])
    manager = StaffFactory(username="pm", role="project_manager", projects=[project])
    StaffFactory(username="guard", role="security", projects=[project])
    unit = UnitFactory(building__project=project, building__code="3", building__name="3栋", entrance="2",
                       number="1201", floor=12)
    owner = OccupancyFactory(unit=unit, customer__name="王建国", customer__phones=["13812345678"]).customer
    today = timezone.localdate()
    r = renovation.apply(desk, unit=unit, applicant=owner, scope="厨卫改造", contractor="美居装饰", foreman="周工",
                         foreman_phone="13512345678", planned_start=today, planned_end=today + dt.timedelta(days=30))
    renovation.review(manager, r, decision="approve")
    renovation.sign_agreement(desk, r, signed_by="王建国", deposit="3000", deposit_receipt="SJ-1")
    now = timezone.now()
    valid = renovation.issue_permit(manager, r, location="厨房", work="电焊", starts_at=now - dt.timedelta(hours=1),
                                    ends_at=now + dt.timedelta(hours=8), fire_watch="吴师傅", extinguisher_checked=True)
    expired = renovation.issue_permit(manager, r, location="阳台", work="切割", starts_at=now - dt.timedelta(hours=9),
                                      ends_at=now - dt.timedelta(hours=2), fire_watch="吴师傅",
                                      extinguisher_checked=True)
    photo = tmp_path / "violation.png"
    Image.new("RGB", (64, 48), (180, 40, 40)).save(photo)
    return {"renovation": r, "valid": valid.number, "expired": expired.number, "photo": photo}


def test_the_patrol_phone_page_shows_permit_states_and_records_a_violation(live_server, browser, patrol_world,
                                                                          artifacts):
    from propdesk.affairs.models import PatrolInspection

    context, page, violations = _phone(browser)
    _sign_in(page, live_server.url, "guard")
    page.goto(f"{live_server.url}/affairs/patrols/")
    assert page.locator(f"li[data-permit='{patrol_world['valid']}']").get_attribute("class") == "permit-valid"
    assert page.locator(f"li[data-permit='{patrol_world['expired']}']").get_attribute("class") == "permit-expired"
    assert "已过期" in page.locator(f"li[data-permit='{patrol_world['expired']}']").inner_text()
    _no_horizontal_scroll(page, 375)
    page.screenshot(path=str(artifacts / "affairs-patrols-375.png"), full_page=True)
    page.locator("[data-due='3-2-1201']").click()
    page.locator("input[name=result][value=violation]").check()
    page.fill("#id_findings", "阳台堆放材料，堵塞消防通道")
    page.fill("#id_notice", "24小时内清理阳台")
    page.fill("#id_deadline", (timezone.localdate() + dt.timedelta(days=1)).isoformat())
    page.set_input_files("#patrol-photos", str(patrol_world["photo"]))
    _no_horizontal_scroll(page, 375)
    page.get_by_role("button", name="登记巡查").click()
    page.wait_for_url(f"{live_server.url}/affairs/patrols/")
    patrol = PatrolInspection.objects.get(renovation=patrol_world["renovation"])
    assert patrol.result == "violation" and patrol.rectification.notice == "24小时内清理阳台"
    context.close()
    assert not violations, violations
