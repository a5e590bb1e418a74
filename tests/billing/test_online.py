"""Online payment through the local provider: the redirect, the signed notification, replays recorded once
(issue 14, item 3), and the owner's side of it in the portal (item 6)."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from propdesk.archive.owners import owner_for_phone
from propdesk.billing import online, payments, reconcile
from propdesk.billing.models import ChargeLine, Payment, PaymentIntent, Receipt
from propdesk.billing.providers import LocalProvider
from tests.billing.conftest import post_month
from tests.portal.conftest import sign_in

D = Decimal
MARCH = dt.date(2027, 3, 1)
NOTIFY = "/api/v1/payments/notify/local"


@pytest.fixture
def billed(home, clerk):
    post_month(clerk, home.project, MARCH)
    return home


@pytest.fixture
def intent(billed):
    return online.start(owner_for_phone("13812345678"), unit_id=billed.unit.pk)


def notify(client, body: bytes, provider="local"):
    return client.post(f"/api/v1/payments/notify/{provider}", body, content_type="application/json")


def test_the_request_the_local_provider_sends(intent, settings):
    settings.BILLING_LOCAL_PROVIDER_KEY = "test-merchant-key"
    local = LocalProvider()
    fields = local.notification_for(intent, transaction_id="LP0001", paid_at=dt.datetime(2027, 3, 20, 10, 30, 5,
                                                                                            tzinfo=dt.UTC))
    path, headers, body = local.request_for(fields)
    assert path == NOTIFY and headers == {"Content-Type": "application/json"}
    sent = json.loads(body)
    assert sent["out_trade_no"] == intent.out_trade_no and sent["total_fee"] == "23375"  # fen
    assert sent["trade_state"] == "SUCCESS" and sent["time_end"] == "20270320183005"
    canonical = "&".join(f"{k}={sent[k]}" for k in sorted(sent) if k != "sign")
    expected = hmac.new(b"test-merchant-key", canonical.encode(), hashlib.sha256).hexdigest().upper()
    assert sent["sign"] == expected


def test_a_verified_notification_records_the_payment_once(client, intent, billed):
    local = LocalProvider()
    _path, _headers, body = local.request_for(local.notification_for(intent, transaction_id="LP-A1"))
    first = notify(client, body)
    assert first.status_code == 200 and first.json() == {"code": "SUCCESS", "message": "paid"}
    again = notify(client, body)  # the provider retries: acknowledged, nothing recorded twice
    assert again.status_code == 200 and again.json()["message"] == "duplicate"
    payment = Payment.objects.get()
    assert (payment.method, payment.provider, payment.reference, payment.amount) == ("online", "local", "LP-A1",
                                                                                     D("233.75"))
    assert payment.receipt.number == 1 and payment.cashier is None
    intent.refresh_from_db()
    assert intent.status == "paid" and intent.payment == payment
    assert not ChargeLine.objects.filter(outstanding__gt=0).exists()
    assert reconcile.check_project(billed.project.pk) == []


@pytest.mark.parametrize("tamper", ["sign", "amount", "order", "junk", "provider"])
def test_a_notification_that_does_not_verify_records_nothing(client, intent, tamper):
    local = LocalProvider()
    fields = local.notification_for(intent, transaction_id="LP-X")
    provider = "local"
    if tamper == "sign":
        fields["sign"] = "0" * 64
    elif tamper == "amount":  # re-signed with the wrong key: the attacker does not have ours
        fields["total_fee"] = "1"
        fields["sign"] = LocalProvider(key="guessed").sign(fields)
    elif tamper == "order":
        fields["out_trade_no"] = "PD-NOT-OURS"
        fields["sign"] = local.sign(fields)
    elif tamper == "provider":
        provider = "wechat-fake"
    body = b"not json at all" if tamper == "junk" else json.dumps(fields).encode()
    response = notify(client, body, provider)
    assert response.status_code == 401 and set(response.json()) == {"detail"}
    assert not Payment.objects.exists() and not Receipt.objects.exists()


def test_a_notification_for_another_amount_is_kept_aside(client, intent):
    local = LocalProvider()
    fields = local.notification_for(intent, transaction_id="LP-Y")
    fields["total_fee"] = "100"
    fields["sign"] = local.sign(fields)  # correctly signed, but not what the order asked for
    assert notify(client, json.dumps(fields).encode()).status_code == 401
    intent.refresh_from_db()
    assert not Payment.objects.exists() and "LP-Y" in intent.anomalies[0]["what"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_record_one_payment(home, clerk):
    post_month(clerk, home.project, MARCH)
    order = online.start(owner_for_phone("13812345678"), unit_id=home.unit.pk)
    local = LocalProvider()
    _path, _headers, body = local.request_for(local.notification_for(order, transaction_id="LP-RACE"))
    barrier = threading.Barrier(6)
    answers, errors = [], []

    def provider_retry():
        try:
            barrier.wait(timeout=30)
            response = Client().post(NOTIFY, body, content_type="application/json")
            answers.append((response.status_code, response.json().get("message")))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=provider_retry) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sorted(answers) == sorted([(200, "paid")] + [(200, "duplicate")] * 5)
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1
    assert reconcile.check_project(home.project.pk) == []


def test_money_for_charges_paid_meanwhile_is_kept_as_prepayment(client, intent, billed, clerk):
    payments.take_payment(clerk, billed.unit, amount="233.75", method="cash")  # paid at the desk meanwhile
    local = LocalProvider()
    _path, _headers, body = local.request_for(local.notification_for(intent, transaction_id="LP-LATE"))
    assert notify(client, body).status_code == 200
    online_payment = Payment.objects.get(method="online")
    assert online_payment.unallocated == D("233.75")  # never lost, the unit's credit
    assert reconcile.check_project(billed.project.pk) == []


def test_the_owner_pays_the_bill_in_the_portal(client, billed):
    sign_in(client, "13812345678")
    body = client.get(reverse("portal:fees")).content.decode()
    assert "¥233.75" in body and "物业服务费" in body
    response = client.post(reverse("portal:fee_pay"), {"unit": billed.unit.pk})
    order = PaymentIntent.objects.get()
    assert response["Location"] == reverse("portal:pay_local", args=[order.out_trade_no])
    assert "¥233.75" in client.get(response["Location"]).content.decode()
    client.post(response["Location"], {"action": "pay"})
    payment = Payment.objects.get()
    assert payment.payer == billed.owner and payment.receipt.amount_in_words == "贰佰叁拾叁元柒角伍分"
    body = client.get(reverse("portal:fees")).content.decode()
    assert "无需缴费" in body or "Nothing to pay" in body
    receipts = client.get(reverse("portal:fee_receipts")).content.decode()
    assert payment.receipt.code in receipts
    pdf = client.get(reverse("portal:fee_receipt_pdf", args=[payment.receipt.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_owner_pays_one_bill_and_cancels_another_attempt(client, billed, clerk):
    post_month(clerk, billed.project, dt.date(2027, 4, 1))
    sign_in(client, "13812345678")
    march = billed.unit.bills.get(period=MARCH)
    page = client.get(reverse("portal:fee_bill", args=[march.pk])).content.decode()
    assert "89.5 × ¥2.5 × 31/31" in page
    lines = [str(x.pk) for x in march.lines.all()]
    response = client.post(reverse("portal:fee_pay"), {"unit": billed.unit.pk, "lines": lines})
    order = PaymentIntent.objects.get()
    assert order.amount == D("233.75") and sorted(map(str, order.line_ids)) == sorted(lines)
    client.post(response["Location"], {"action": "cancel"})
    order.refresh_from_db()
    assert order.status == "closed" and not Payment.objects.exists()
    response = client.post(reverse("portal:fee_pay"), {"unit": billed.unit.pk, "lines": lines})
    client.post(response["Location"], {"action": "pay"})
    assert ChargeLine.objects.filter(bill=march, outstanding__gt=0).count() == 0
    assert ChargeLine.objects.filter(bill__period=dt.date(2027, 4, 1), outstanding__gt=0).count() == 2


def test_the_owner_prepays_online(client, billed):
    sign_in(client, "13812345678")
    bad = client.post(reverse("portal:fee_prepay"), {"unit": billed.unit.pk, "amount": "-10"})
    assert bad.status_code == 200 and "必须大于零" in bad.content.decode()
    response = client.post(reverse("portal:fee_prepay"), {"unit": billed.unit.pk, "amount": "1000"})
    client.post(response["Location"], {"action": "pay"})
    payment = Payment.objects.get()
    assert payment.amount == D("1000.00") and payment.unallocated == D("766.25")  # the open bill paid first
    assert "¥766.25" in client.get(reverse("portal:fees")).content.decode()
    assert "¥766.25" in client.get(reverse("portal:fee_history")).content.decode()
