"""A desk operator finds a caller by part of a phone number and opens the card, in a real browser."""

import datetime as dt

import pytest

from propdesk.archive.models import Occupancy, Vehicle
from tests.factories import CustomerFactory, OccupancyFactory, StaffFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk_archive(project):
    StaffFactory(username="desk", role="front_desk", projects=[project])
    unit = UnitFactory(building__project=project, building__code="3", building__name="3栋",
                       entrance="2", number="1201", floor=12)
    owner = CustomerFactory(project=project, name="王建国", phones=["13812345678"], hometown="湖南长沙")
    OccupancyFactory(unit=unit, customer=owner)
    tenant = CustomerFactory(project=project, name="刘租客", phones=["13598760000"])
    OccupancyFactory(unit=UnitFactory(building=unit.building, entrance="1", number="0502", floor=5),
                     customer=tenant, role=Occupancy.Role.TENANT, start_date=dt.date(2024, 3, 1),
                     end_date=dt.date(2027, 2, 28))
    Vehicle.objects.create(customer=owner, plate="湘A12345", model="比亚迪 汉")
    return owner


def test_find_a_caller_by_partial_phone_and_open_the_card(live_server, page, desk_archive, artifacts):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "correct-horse-9")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")
    box = page.locator("#lookup-q")
    assert box.evaluate("el => el === document.activeElement")  # autofocus on the home page

    box.press_sequentially("345678", delay=40)
    result = page.locator("#lookup-live a.result").filter(has_text="王建国")
    result.wait_for()
    assert "3-2-1201" in result.inner_text()
    page.screenshot(path=str(artifacts / "console-lookup-live.png"))

    result.click()
    page.wait_for_url(f"**/customers/{desk_archive.pk}/")
    body = page.locator("main").inner_text()
    assert "1101**********1234" in body
    assert "110101199001011234" not in page.content()
    assert "3-2-1201" in body and "湘A12345" in body
    page.screenshot(path=str(artifacts / "console-customer-card.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "console-customer-card-phone.png"), full_page=True)


def test_desk_pages_render_for_review(live_server, page, desk_archive, artifacts):
    """Screenshots of the other desk pages for a human to look at (unit card, edit form, review)."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "correct-horse-9")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")

    page.fill("#lookup-q", "3栋2单元1201")
    page.press("#lookup-q", "Enter")  # a plain submit with one hit opens the unit card
    page.wait_for_url("**/units/*/")
    assert "王建国" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "console-unit-card.png"), full_page=True)

    page.goto(f"{live_server.url}/customers/{desk_archive.pk}/edit/")
    page.fill("#id_hometown", "湖北武汉")
    page.screenshot(path=str(artifacts / "console-customer-edit.png"), full_page=True)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/customers/{desk_archive.pk}/")
    timeline = page.locator("ol.timeline").inner_text()
    assert "湖南长沙" in timeline and "湖北武汉" in timeline

    page.goto(f"{live_server.url}/review/")
    assert "王建国" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "console-review.png"), full_page=True)
    with page.expect_navigation():
        page.locator("form.lang select").select_option("en")  # submits itself on change
    assert page.url.endswith("/review/")
    assert page.locator("html").get_attribute("lang") == "en"
