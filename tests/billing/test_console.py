"""The fees pages of the console: standards, the run with its progress, the cash desk, receipts, voids, the
daily close, approvals, deposits, paid services, readings (issue 14, items 1–4, 8, 10)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook

from propdesk.billing import corrections, payments, runs, standards
from propdesk.billing.models import Bill, BillRun, ChargeLine, FeeStandard, MeterReading, Payment, Receipt
from propdesk.core import xlsx
from tests.billing.conftest import post_month
from tests.factories import StaffFactory

D = Decimal
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2027, 3, 20, 10, 0, tzinfo=TZ)


@pytest.fixture
def desk(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def march(home, clerk):
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=TZ), tick=False):
        post_month(clerk, home.project, dt.date(2027, 3, 1))
    return home


def page(client, name, *args, **query):
    response = client.get(reverse(f"console:{name}", args=args), query)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def test_the_fees_desk_finds_a_unit_and_shows_the_days_figures(desk, march, clerk):
    with time_machine.travel(NOW):
        desk.force_login(clerk)  # a session started at the travelled time
        response = desk.get(reverse("console:fees"), {"project": march.project.pk, "unit": "3-2-1201"})
        assert response.status_code == 302 and response["Location"] == reverse("console:unit_fees", args=[march.unit.pk])
        body = page(desk, "fees", project=march.project.pk)
    assert "¥233.75" in body  # overdue since the 15th
    assert "第九百四十四条" in body  # no way to cut utilities or access (Civil Code art. 944)


def test_a_standard_without_a_price_is_refused_with_a_chinese_message(desk, fees):
    url = reverse("console:fee_standard_add", args=[fees.rubbish.pk])
    response = desk.post(url, {"price": "", "effective_from": "2027-07-01"})
    assert response.status_code == 200 and "请输入单价" in response.content.decode()
    response = desk.post(url, {"price": "12", "effective_from": "2020-01-01"})
    assert "重叠" in response.content.decode()
    response = desk.post(url, {"price": "12", "effective_from": "2027-07-01", "note": "业主大会决议"})
    assert response.status_code == 302
    assert FeeStandard.objects.filter(fee_item=fees.rubbish).count() == 2
    assert "¥12.0000" in page(desk, "fee_items", project=fees.project.pk)


def test_a_fee_item_is_added_from_the_console(desk, project):
    response = desk.post(reverse("console:fee_item_add"), {
        "project": project.pk, "code": "lift", "name": "电梯运行费", "kind": "fixed", "accounting": "property_fee",
        "sort": 5, "is_active": "on", "is_published": "on", "late_fee_applies": "on"})
    assert response.status_code == 302
    assert "电梯运行费" in page(desk, "fee_items", project=project.pk)


def test_the_run_is_previewed_and_posted_from_its_page_with_progress(desk, home, clerk,
                                                                       django_capture_on_commit_callbacks):
    response = desk.post(reverse("console:bill_runs"), {"project": home.project.pk, "month": "2027-03"})
    run = BillRun.objects.get()
    assert response["Location"] == reverse("console:bill_run", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("console:bill_run_preview", args=[run.pk]))
    body = page(desk, "bill_run", run.pk)
    assert "物业服务费" in body and "¥223.75" in body and 'name="digest"' in body
    progress = desk.get(reverse("console:bill_run_progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert progress["HX-Redirect"] == reverse("console:bill_run", args=[run.pk])  # done: the page reloads
    run.refresh_from_db()
    without_tick = desk.post(reverse("console:bill_run_post", args=[run.pk]), {"digest": run.preview["digest"]})
    assert without_tick.status_code == 302 and not Bill.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("console:bill_run_post", args=[run.pk]), {"digest": run.preview["digest"], "confirm": "1"})
    assert Bill.objects.count() == 1
    assert "已过账" in page(desk, "bill_run", run.pk)
    assert "3-2-1201" in page(desk, "bill_run", run.pk, lines=1)


def test_the_progress_bar_shows_while_the_worker_runs(desk, home, clerk):
    run = runs.open_run(clerk, home.project, dt.date(2027, 3, 1))
    runs.start_preview(clerk, run)  # claimed; the worker has not run it yet
    BillRun.objects.filter(pk=run.pk).update(progress_total=200, progress_done=50)
    body = page(desk, "bill_run_progress", run.pk)
    assert '<progress max="100" value="25"' in body and "hx-trigger" in body
    again = desk.post(reverse("console:bill_run_preview", args=[run.pk]), follow=True).content.decode()
    assert "正在预览" in again


def test_a_second_post_from_another_browser_is_told_clearly(client, desk, home, clerk):
    run = runs.open_run(clerk, home.project, dt.date(2027, 3, 1))
    runs.start_preview(clerk, run)
    runs.preview(run.pk)
    run.refresh_from_db()
    runs.start_posting(clerk, run, run.preview["digest"])  # the first browser
    other = StaffFactory(username="pm2", role="project_manager", projects=[home.project])
    client.force_login(other)
    response = client.post(reverse("console:bill_run_post", args=[run.pk]),
                           {"digest": run.preview["digest"], "confirm": "1"}, follow=True)
    assert "正在过账" in response.content.decode() or "不是最新" in response.content.decode()
    assert not Bill.objects.exists()


def test_the_cashier_takes_a_payment_and_prints_the_receipt(desk, march):
    body = page(desk, "unit_fees", march.unit.pk)
    assert "¥223.75" in body and "data-pay-form" in body
    key = "browser-tab-1"
    data = {"amount": "233.75", "method": "cash", "idempotency_key": key}
    response = desk.post(reverse("console:unit_pay", args=[march.unit.pk]), data)
    receipt = Receipt.objects.get()
    assert response["Location"] == reverse("console:receipt", args=[receipt.pk])
    desk.post(reverse("console:unit_pay", args=[march.unit.pk]), data)  # a double click
    assert Payment.objects.count() == 1
    body = page(desk, "receipt", receipt.pk)
    assert "贰佰叁拾叁元柒角伍分" in body and receipt.code in body
    pdf = desk.get(reverse("console:receipt_pdf", args=[receipt.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(("amount", "message"), [("-5", "必须大于零"), ("abc", "请输入以元为单位的金额"),
                                                 ("500", "转预存")])
def test_bad_payments_get_a_chinese_error_and_write_nothing(desk, march, amount, message):
    response = desk.post(reverse("console:unit_pay", args=[march.unit.pk]),
                         {"amount": amount, "method": "cash", "idempotency_key": "x"})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Payment.objects.exists()


def test_a_receipt_is_voided_with_a_reason_after_confirmation(desk, march, clerk):
    payment, _ = payments.take_payment(clerk, march.unit, amount="100", method="cash")
    url = reverse("console:receipt_void", args=[payment.receipt.pk])
    desk.post(url, {"reason": "收错了"})  # not confirmed
    assert not hasattr(Payment.objects.get(), "void")
    desk.post(url, {"reason": "收错了", "confirm": "on"})
    assert Payment.objects.get().void.reason == "收错了"
    assert "作废" in page(desk, "receipt", payment.receipt.pk)


def test_the_daily_close_page_counts_the_cash(desk, march, clerk):
    payments.take_payment(clerk, march.unit, amount="100", method="cash")
    body = page(desk, "daily_close", project=march.project.pk)
    assert "¥100.00" in body
    response = desk.post(reverse("console:daily_close"), {"project": march.project.pk, "counted_cash": "90"})
    assert "说明原因" in response.content.decode()
    desk.post(reverse("console:daily_close"), {"project": march.project.pk, "counted_cash": "100"})
    from propdesk.billing.models import DailyClose

    assert DailyClose.objects.get().difference == 0
    assert "差额 ¥0.00" in page(desk, "daily_close", project=march.project.pk)


def test_a_credit_is_requested_at_the_unit_and_approved_by_the_manager(client, desk, march, manager):
    line = ChargeLine.objects.get(description="物业服务费")
    desk.post(reverse("console:unit_fee_request", args=[march.unit.pk]),
              {"kind": "credit", "line": line.pk, "amount": "23.75", "reason": "空置期减免"})
    assert "空置期减免" in page(desk, "fee_approvals", project=march.project.pk)
    client.force_login(manager)
    adjustment = line.credits.get()
    client.post(reverse("console:fee_decide", args=["adjustment", adjustment.pk]), {"decision": "approve"})
    line.refresh_from_db()
    assert line.outstanding == D("200.00")


def test_a_deposit_is_demanded_received_and_listed(desk, march, clerk):
    item = standards.save_fee_item(clerk, march.project, {"code": "card", "name": "门禁卡押金", "kind": "deposit"})
    desk.post(reverse("console:unit_deposit", args=[march.unit.pk]), {"fee_item": item.pk, "amount": "50"})
    deposit = march.unit.deposits.get()
    response = desk.post(reverse("console:deposit_pay", args=[deposit.pk]), {"method": "cash"})
    assert response.status_code == 302 and Receipt.objects.get().amount == D("50.00")
    assert "门禁卡押金" in page(desk, "deposits", project=march.project.pk)


def test_readings_are_entered_and_imported(desk, home, clerk):
    body = desk.post(reverse("console:meter_readings"), {
        "project": home.project.pk, "unit": "3-2-1201", "fee_item": home.fees.water.pk, "month": "2027-02",
        "value": "100"}, follow=True).content.decode()
    assert "100.00" in body
    wb = Workbook()
    ws = wb.active
    ws.append(["房号", "收费项目", "月份", "本次读数", "抄表日期"])
    ws.append(["3-2-1201", "水费", "2027-03", 112.3, "2027-03-25"])
    upload = io.BytesIO(xlsx.to_bytes(wb))
    upload.name = "readings.xlsx"
    desk.post(reverse("console:meter_readings_import"), {"project": home.project.pk, "file": upload})
    assert MeterReading.objects.get(period=dt.date(2027, 3, 1)).usage == D("12.30")
    bad = Workbook()
    bad.active.append(["房号", "收费项目", "月份", "本次读数"])
    bad.active.append(["3-2-1201", "水费", "2027-04", 50])
    upload = io.BytesIO(xlsx.to_bytes(bad))
    upload.name = "bad.xlsx"
    body = desk.post(reverse("console:meter_readings_import"), {"project": home.project.pk, "file": upload},
                     follow=True).content.decode()
    assert "低于上次读数" in body and MeterReading.objects.count() == 2


def test_the_unit_card_shows_the_arrears_for_the_desk(desk, march, clerk):
    with time_machine.travel(NOW):
        desk.force_login(clerk)
        card = page(desk, "unit_detail", march.unit.pk)
        assert f'hx-get="{reverse("console:fees_card")}?unit={march.unit.pk}"' in card  # loaded after the card
        panel = page(desk, "fees_card", unit=march.unit.pk)
        assert "data-fees-panel" in panel and "¥233.75" in panel and "已逾期 5 天" in panel  # due on the 15th
        assert "¥233.75" in page(desk, "fees_card", customer=march.owner.pk)
        assert "data-fees-placeholder" in page(desk, "customer_detail", march.owner.pk)


def test_a_technician_sees_no_fees(client, march, project):
    tech = StaffFactory(username="tech", role="technician", projects=[project])
    client.force_login(tech)
    assert "data-fees-placeholder" not in page(client, "unit_detail", march.unit.pk)
    assert client.get(reverse("console:fees_card"), {"unit": march.unit.pk}).status_code == 403
    assert client.get(reverse("console:unit_fees", args=[march.unit.pk])).status_code == 403


def test_the_paid_services_page_bills_an_order(desk, home, clerk):
    from propdesk.archive.owners import owner_for_phone
    from propdesk.service import ordering
    from propdesk.service.models import PriceItem

    item = PriceItem.objects.create(project=home.project, kind="special", name="空调深度清洗", unit="visit",
                                    price=D("150.00"))
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=TZ)):
        wo, _ = ordering.order_special_service(owner_for_phone("13812345678"), item_id=item.pk, unit_id=home.unit.pk,
                                               when=dt.datetime(2027, 3, 5, 10, tzinfo=TZ))
    assert "空调深度清洗" in page(desk, "paid_services_billing", project=home.project.pk, month="2027-03")
    desk.post(reverse("console:paid_service_bill"), {"source": f"work_order:{wo.pk}", "next": "https://evil.example/"})
    assert Bill.objects.get(source=f"service.work_order:{wo.pk}").total == D("150.00")


def test_the_request_goes_to_approval_and_a_refund_is_refused_beyond_the_prepayment(desk, march, clerk):
    payments.take_payment(clerk, march.unit, amount="300", method="cash", prepay_rest=True)
    response = desk.post(reverse("console:unit_fee_request", args=[march.unit.pk]),
                         {"kind": "refund", "amount": "100", "reason": "退"})
    assert "预存款为 ¥66.25" in response.content.decode()
    assert not corrections.Refund.objects.exists()
