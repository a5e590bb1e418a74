"""The portal issue's story in a real browser (item 9): an owner on a phone reports a burst pipe with a
photo and sees the 30-minute promise; the desk dispatches it; the technician on his phone responds
and resolves; the owner confirms and rates, and the owner's timeline shows every step.

The dispatch is done by the front desk in a desktop context, as in the service-desk story: a portal
report is received by nobody until a staff member takes it. Screenshots go to test-artifacts/portal-*.png.
"""

import pytest
from PIL import Image

from propdesk.org.models import Department
from propdesk.service.models import Category, TriageKeyword, WorkOrder
from tests.browser.test_service_desk_browser import act, login
from tests.factories import CustomerFactory, OccupancyFactory, StaffFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LEAK = "厨房水管爆了，水漫出来了"
PHONE = {"viewport": {"width": 375, "height": 812}, "locale": "zh-CN", "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


@pytest.fixture
def portal_world(project, settings):
    settings.PORTAL_DEMO_SHOW_CODE = True  # as the demo installation (settings.dev)
    settings.NOTIFY_SMS_BACKEND = "propdesk.notify.backends.DemoHandsetSmsBackend"
    # A transactional test may run after another one flushed the seeded dictionary: bring the words.
    water, _ = Category.objects.get_or_create(project=None, code="water", defaults={"name": "给排水"})
    for word in ("水管爆", "水漫"):
        TriageKeyword.objects.get_or_create(project=None, word=word, defaults={"emergency": True, "category": water})
    StaffFactory(username="desk", role="front_desk", projects=[project], first_name="张接线")
    tech = StaffFactory(username="tech", role="technician", projects=[project], first_name="李师傅")
    tech.departments.set([Department.objects.create(project=project, code="engineering", name="工程部")])
    unit = UnitFactory(building__project=project, building__code="3", building__name="3栋",
                       entrance="2", number="1201", floor=12)
    OccupancyFactory(unit=unit, customer=CustomerFactory(project=project, name="王建国", phones=["13812345678"]))
    return tech


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "horizontal scroll on a 375 px screen"


def shot(page, artifacts, name):
    fits_the_phone(page)
    page.screenshot(path=str(artifacts / f"portal-{name}.png"), full_page=True)


def test_an_owner_reports_a_leak_and_follows_it_to_the_rating(live_server, browser, page, portal_world, artifacts,
                                                               tmp_path):
    base = live_server.url
    photo = tmp_path / "leak.jpg"
    Image.new("RGB", (1600, 1200), (40, 90, 160)).save(photo, "JPEG")

    owner_context = browser.new_context(**PHONE)
    owner = owner_context.new_page()
    owner.set_default_timeout(10_000)
    owner.goto(f"{base}/portal/")
    owner.wait_for_url("**/portal/login/**")
    owner.fill("#id_phone", "13812345678")
    with owner.expect_navigation():
        owner.click("button.primary")
    code = owner.locator("[data-testid=demo-sms] strong").inner_text()
    owner.fill("#id_code", "".join(c for c in code if c.isdigit())[:6])
    shot(owner, artifacts, "login-code")
    with owner.expect_navigation():
        owner.click("button.primary")
    shot(owner, artifacts, "home")

    with owner.expect_navigation():
        owner.click("[data-testid=shortcut-report]")
    owner.locator("#id_description").press_sequentially(LEAK, delay=15)
    hint = owner.locator("#triage-hint [data-emergency='1']")
    hint.wait_for()
    assert "30" in hint.inner_text()
    owner.set_input_files("#id_photos", str(photo))
    submit = owner.locator("[data-testid=submit-report]")
    box = submit.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a big touch target
    shot(owner, artifacts, "report")
    with owner.expect_navigation():
        submit.click()
    wo = WorkOrder.objects.get()
    assert wo.channel == "portal" and wo.priority == "emergency" and wo.attachments.count() == 1
    promise = owner.locator("[data-testid=promise]")
    assert "30" in promise.inner_text()
    # The photo is served to its owner only. It loads lazily: bring it into view and wait until the browser
    # has finished with it (loaded or failed), then a failed load shows as a zero width.
    photo_img = owner.locator(".photos img")
    photo_img.scroll_into_view_if_needed()
    photo_img.evaluate("img => img.complete || new Promise(done => { img.onload = img.onerror = done; })")
    assert photo_img.evaluate("img => img.naturalWidth") > 0
    shot(owner, artifacts, "request-promise")

    # The front desk takes it from the top of the queue and dispatches it to the technician.
    login(page, base, "desk")
    page.goto(f"{base}/work-orders/")
    assert page.locator("table.queue tbody tr").first.get_attribute("data-number") == wo.number
    page.goto(f"{base}/work-orders/{wo.pk}/")
    act(page, "dispatch", assignee=portal_world.pk)

    tech_context = browser.new_context(**PHONE)
    tech = tech_context.new_page()
    tech.set_default_timeout(10_000)
    login(tech, base, "tech")
    tech.goto(f"{base}/my-jobs/")
    assert tech.locator("article.job").first.get_attribute("data-number") == wo.number
    for button in ("act-respond", "act-start"):
        with tech.expect_navigation():
            tech.locator(f"article.job[data-number='{wo.number}'] button.{button}").click()
    tech.locator(f"#resolve-{wo.pk}").fill("更换了厨房进水软管，已不再漏水")
    with tech.expect_navigation():
        tech.locator(f"article.job[data-number='{wo.number}'] button.act-resolve").click()
    tech_context.close()

    owner.reload()
    assert owner.locator("#request").get_attribute("data-state") == "resolved"
    assert "李师傅" in owner.locator("#handler").inner_text()
    shot(owner, artifacts, "request-resolved")
    with owner.expect_navigation():
        owner.click("[data-testid=confirm]")
    assert owner.locator("#request").get_attribute("data-state") == "confirmed"
    owner.locator(".stars label").nth(4).click()
    owner.fill("#rate textarea[name=comment]", "师傅来得很快，修得也好")
    with owner.expect_navigation():
        owner.click("[data-testid=rate]")
    wo.refresh_from_db()
    assert wo.state == "confirmed" and wo.owner_rating == 5 and wo.owner_comment == "师傅来得很快，修得也好"

    steps = owner.locator("ol.timeline li")
    # received, photo, dispatched, responded, started, resolved, confirmed by the owner, rated
    assert steps.count() == 8
    text = owner.locator("ol.timeline").inner_text()
    assert "李师傅" in text and "更换了厨房进水软管" in text and "师傅来得很快" in text
    shot(owner, artifacts, "timeline")
    owner.goto(f"{base}/portal/requests/")
    assert owner.locator(f"li[data-number='{wo.number}']").count() == 1
    shot(owner, artifacts, "requests")
    owner_context.close()
