"""Payments at the desk: allocation, partial payments, prepayment, receipts, voids, daily close (item 3, 10)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from propdesk.billing import payments, pdf, reconcile
from propdesk.billing.models import Allocation, ChargeLine, DailyClose, Payment, Receipt, ReceiptCounter
from propdesk.core.errors import Conflict
from tests.billing.conftest import post_month
from tests.factories import StaffFactory
from tests.quality.test_report import pdf_text

D = Decimal
FEB, MARCH, APRIL = dt.date(2027, 2, 1), dt.date(2027, 3, 1), dt.date(2027, 4, 1)


@pytest.fixture
def billed(home, clerk):
    """February and March posted for 3-2-1201: ¥233.75 each (property 223.75 + rubbish 10)."""
    post_month(clerk, home.project, FEB)
    post_month(clerk, home.project, MARCH)
    return home


def open_amounts(unit):
    return [(line.service_start.month, line.description, line.outstanding)
            for line in ChargeLine.objects.filter(unit=unit).order_by("due_date", "service_start", "id")]


def test_a_partial_payment_pays_the_oldest_lines_first(billed, clerk):
    payment, created = payments.take_payment(clerk, billed.unit, amount="300", method="cash")
    assert created and payment.unallocated == 0 and payment.payer == billed.owner
    assert open_amounts(billed.unit) == [(2, "物业服务费", D("0")), (2, "垃圾清运费", D("0")),
                                         (3, "物业服务费", D("157.50")), (3, "垃圾清运费", D("10.00"))]
    assert reconcile.check_project(billed.project.pk) == []


def test_the_payer_may_choose_what_to_pay(billed, clerk):
    march_rubbish = ChargeLine.objects.get(service_start=MARCH, description="垃圾清运费")
    payments.take_payment(clerk, billed.unit, amount="10", method="pos", line_ids=[march_rubbish.pk])
    assert open_amounts(billed.unit)[3] == (3, "垃圾清运费", D("0"))
    assert open_amounts(billed.unit)[0][2] == D("223.75")


def test_more_than_the_open_balance_needs_prepayment_and_writes_nothing(billed, clerk):
    with pytest.raises(ValidationError) as exc:
        payments.take_payment(clerk, billed.unit, amount="500", method="cash")
    assert "amount" in exc.value.message_dict
    assert not Payment.objects.exists() and not Receipt.objects.exists()
    assert ReceiptCounter.objects.get(project=billed.project).last_number == 0


@pytest.mark.parametrize("amount", ["-5", "abc", "0", "", "12.345"])
def test_bad_amounts_are_refused(billed, clerk, amount):
    with pytest.raises(ValidationError):
        payments.take_payment(clerk, billed.unit, amount=amount, method="cash")
    assert not Payment.objects.exists()


def test_prepayment_is_held_and_used_when_the_next_bills_post(billed, clerk):
    payment, _ = payments.take_payment(clerk, billed.unit, amount="1000", method="bank", prepay_rest=True,
                                       reference="ICBC-778812")
    assert payment.unallocated == D("532.50")  # 1000 − 2 × 233.75
    post_month(clerk, billed.project, APRIL)
    payment.refresh_from_db()
    assert payment.unallocated == D("298.75")
    assert all(amount == 0 for _m, _d, amount in open_amounts(billed.unit))
    assert reconcile.check_project(billed.project.pk) == []


def test_a_receipt_has_the_next_number_and_the_amount_in_capitals(billed, clerk, tmp_path):
    first, _ = payments.take_payment(clerk, billed.unit, amount="233.75", method="cash")
    second, _ = payments.take_payment(clerk, billed.unit, amount="200", method="cash")
    assert [first.receipt.number, second.receipt.number] == [1, 2]
    assert second.receipt.code == "SJ00000002"
    assert first.receipt.amount_in_words == "贰佰叁拾叁元柒角伍分"
    assert [i["amount"] for i in first.receipt.items] == ["223.75", "10.00"]
    document = pdf.receipt_pdf(first.receipt)
    assert document.startswith(b"%PDF")
    text = pdf_text(document, tmp_path)
    if text is not None:
        assert "SJ00000001" in text and "贰佰叁拾叁元柒角伍分" in text and "王建国" in text


def test_an_idempotency_key_records_one_payment(billed, clerk):
    one, created = payments.take_payment(clerk, billed.unit, amount="100", method="cash", idempotency_key="k-1")
    two, again = payments.take_payment(clerk, billed.unit, amount="100", method="cash", idempotency_key="k-1")
    assert created and not again and one.pk == two.pk and Payment.objects.count() == 1


def test_a_void_keeps_the_number_and_reopens_what_was_paid(billed, clerk, tmp_path):
    payment, _ = payments.take_payment(clerk, billed.unit, amount="300", method="cash")
    payments.void_payment(clerk, payment, "收款金额录错")
    assert all(amount == D("223.75") or amount == D("10.00") for _m, _d, amount in open_amounts(billed.unit))
    payment.refresh_from_db()
    assert payment.unallocated == 0 and Allocation.objects.filter(payment=payment).count() == 6  # 3 + 3 reversals
    assert Receipt.objects.get().number == 1
    text = pdf_text(pdf.receipt_pdf(payment.receipt), tmp_path)
    if text is not None:
        assert "作废" in text
    nxt, _ = payments.take_payment(clerk, billed.unit, amount="10", method="cash")
    assert nxt.receipt.number == 2
    with pytest.raises(Conflict):
        payments.void_payment(clerk, payment, "再次作废")
    assert reconcile.check_project(billed.project.pk) == []


def test_a_void_needs_a_reason_and_the_right_person(billed, clerk, manager, project):
    payment, _ = payments.take_payment(clerk, billed.unit, amount="100", method="cash")
    with pytest.raises(ValidationError):
        payments.void_payment(clerk, payment, "  ")
    colleague = StaffFactory(username="desk2", role="front_desk", projects=[project])
    with pytest.raises(PermissionDenied):
        payments.void_payment(colleague, payment, "不是我收的")
    payments.close_day(clerk, project, counted_cash="100")
    with pytest.raises(PermissionDenied):
        payments.void_payment(clerk, payment, "日结后")
    payments.void_payment(manager, payment, "经理作废")


def test_the_daily_close_matches_the_cash_counted(billed, clerk, project):
    payments.take_payment(clerk, billed.unit, amount="100", method="cash")
    payments.take_payment(clerk, billed.unit, amount="50.50", method="pos")
    voided, _ = payments.take_payment(clerk, billed.unit, amount="20", method="cash")
    payments.void_payment(clerk, voided, "重复收款")
    summary = payments.day_summary(project, clerk, _today())
    assert summary["totals"]["cash"] == {"count": 1, "amount": D("100.00")}
    assert summary["totals"]["pos"]["amount"] == D("50.50") and len(summary["payments"]) == 3
    with pytest.raises(ValidationError) as exc:
        payments.close_day(clerk, project, counted_cash="90")
    assert "note" in exc.value.message_dict
    close = payments.close_day(clerk, project, counted_cash="90", note="找零差10元，已报经理")
    assert (close.expected_cash, close.difference) == (D("100.00"), D("-10.00"))
    with pytest.raises(Conflict):
        payments.close_day(clerk, project, counted_cash="100")
    with pytest.raises(ValidationError):
        payments.take_payment(clerk, billed.unit, amount="10", method="cash")
    assert DailyClose.objects.count() == 1


def _today():
    from django.utils import timezone

    return timezone.localdate()


def test_only_cashiers_take_payments(billed, project):
    butler = StaffFactory(username="butler", role="butler", projects=[project])
    with pytest.raises(PermissionDenied):
        payments.take_payment(butler, billed.unit, amount="10", method="cash")


def test_a_payer_of_another_project_is_refused(billed, clerk, other_project):
    from tests.factories import CustomerFactory

    stranger = CustomerFactory(project=other_project, name="陈外人")
    with pytest.raises(ValidationError):
        payments.take_payment(clerk, billed.unit, amount="10", method="cash", payer=stranger)
