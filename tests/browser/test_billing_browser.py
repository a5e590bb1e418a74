"""Fees in a real browser (issue 14): the cashier takes a payment at the desk and gets the receipt; the arrears
page and the statement page at the desk's 1366 px; the owner's bills, receipts and published statement on a
375-px phone without horizontal scrolling. No page may violate the Content Security Policy."""

import datetime as dt

import pytest

from propdesk.billing import payments, runs, standards, statements
from tests.factories import OccupancyFactory, StaffFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 375, "height": 812}, "locale": "zh-CN", "device_scale_factor": 2, "has_touch": True}
DESK = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}


@pytest.fixture
def fee_home(project, settings):
    settings.PORTAL_DEMO_SHOW_CODE = True  # as the demo installation (settings.dev)
    settings.NOTIFY_SMS_BACKEND = "propdesk.notify.backends.DemoHandsetSmsBackend"
    clerk = StaffFactory(username="desk", role="front_desk", projects=[project])
    manager = StaffFactory(username="pm", role="project_manager", projects=[project])
    unit = UnitFactory(building__project=project, building__code="3", building__name="3栋", entrance="2",
                       number="1201", floor=12)
    OccupancyFactory(unit=unit, customer__name="王建国", customer__phones=["13812345678"],
                     start_date=dt.date(2020, 1, 1))
    item = standards.save_fee_item(clerk, project, {"code": "property", "name": "物业服务费", "kind": "property"})
    standards.add_standard(clerk, item, price="2.50", effective_from=dt.date(2020, 1, 1))
    run = runs.open_run(clerk, project, dt.date(2027, 3, 1))
    runs.start_preview(clerk, run)
    runs.preview(run.pk)
    run.refresh_from_db()
    runs.start_posting(clerk, run, run.preview["digest"])
    runs.post(run.pk, clerk.pk)
    payments.take_payment(clerk, unit, amount="50", method="cash")
    statement = statements.save_statement(clerk, project, dt.date(2027, 3, 1), [
        {"side": "income", "category": "物业服务费", "amount": "50.00"},
        {"side": "expense", "category": "公共区域保洁外包服务费（含垃圾清运与消杀）", "amount": "42800.00"}])
    statements.submit(clerk, statement)
    statements.decide(manager, statement, approve=True)
    statements.publish(manager, statement)
    return unit


def _watch(page):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def test_the_cashier_takes_a_payment_and_reads_arrears_and_statements(live_server, browser, fee_home):
    context = browser.new_context(**DESK)
    page = context.new_page()
    violations = _watch(page)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "correct-horse-9")
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/fees/units/{fee_home.pk}/")
    page.fill("#id_amount", "100")
    page.click("[data-pay-form] button[type=submit]")
    page.wait_for_url("**/fees/receipts/*/")
    assert "壹佰元整" in page.content()
    for path in ("/fees/arrears/", "/fees/statements/", f"/fees/reminders/{fee_home.project_id}/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
    assert not violations, violations
    context.close()


def test_the_owner_reads_bills_receipts_and_the_statement_on_a_phone(live_server, browser, fee_home):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    violations = _watch(page)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/portal/login/")
    page.fill("#id_phone", "13812345678")
    with page.expect_navigation():
        page.click("button.primary")
    code = page.locator("[data-testid=demo-sms] strong").inner_text()
    page.fill("#id_code", "".join(c for c in code if c.isdigit())[:6])
    with page.expect_navigation():
        page.click("button.primary")
    for path in ("/portal/fees/", "/portal/fees/receipts/", "/portal/fees/statements/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"horizontal scroll on {path}"
    page.click("[data-statement] a")
    assert "42800.00" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not violations, violations
    context.close()
