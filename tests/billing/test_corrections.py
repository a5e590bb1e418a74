"""Corrections with a reason and an approver, refunds, deposits held as liabilities, charges from other
domains (issue 14, items 2, 3, 8)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from propdesk.billing import corrections, payments, reconcile, standards, sums
from propdesk.billing.models import Adjustment, Bill, ChargeLine, Deposit, ImmutableRow
from propdesk.core.errors import Conflict
from tests.billing.conftest import post_month

D = Decimal
MARCH = dt.date(2027, 3, 1)


@pytest.fixture
def billed(home, clerk):
    post_month(clerk, home.project, MARCH)
    return home


def property_line(unit):
    return ChargeLine.objects.get(unit=unit, description="物业服务费")


def test_a_credit_note_needs_a_reason_and_another_persons_approval(billed, clerk, manager):
    line = property_line(billed.unit)
    with pytest.raises(ValidationError):
        corrections.request_credit(clerk, line, amount="20", reason="")
    credit = corrections.request_credit(clerk, line, amount="20", reason="空置期减免（经理同意）")
    assert property_line(billed.unit).outstanding == D("223.75")  # nothing happens before approval
    with pytest.raises(PermissionDenied):
        corrections.decide(clerk, credit, approve=True)  # a clerk does not approve
    corrections.decide(manager, credit, approve=True, note="同意")
    assert property_line(billed.unit).outstanding == D("203.75")
    assert property_line(billed.unit).amount == D("223.75")  # the posted charge itself never changes
    with pytest.raises(Conflict):
        corrections.decide(manager, credit, approve=True)
    assert reconcile.check_project(billed.project.pk) == []


def test_reconciliation_finds_a_line_whose_copied_unit_is_not_its_bills(billed):
    """A line's project and unit are copies of its bill's, not checked by the database: reconcile checks them."""
    from django.db import connection

    from propdesk.billing.models import ChargeLine
    from tests.billing.conftest import add_home

    other = add_home(billed.project, "902")
    line = property_line(billed.unit)
    assert reconcile.check_project(billed.project.pk) == []
    with connection.cursor() as cursor:  # what a faulty import or hand-edit could do
        cursor.execute(f"UPDATE {ChargeLine._meta.db_table} SET unit_id = %s WHERE id = %s", [other.unit.pk, line.pk])
    assert f"line {line.pk}: project or unit differs from its bill's" in reconcile.check_project(billed.project.pk)


def test_a_bills_open_amount_follows_its_lines_and_reconciliation_checks_it(billed, clerk, manager):
    """The arrears read a bill's open amount (whole fen) instead of its lines: a credit moves both, and an
    amount that disagrees with the lines' (a hand-edit) is reported."""
    from django.db import connection

    line = property_line(billed.unit)
    bill = Bill.objects.get(pk=line.bill_id)
    before = bill.open_fen
    assert before == sum(x.outstanding for x in bill.lines.all()) * 100
    corrections.decide(manager, corrections.request_credit(clerk, line, amount="20.05", reason="维修期间减免"),
                       approve=True)
    assert Bill.objects.get(pk=bill.pk).open_fen == before - 2005
    assert reconcile.check_project(billed.project.pk) == []
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Bill._meta.db_table} SET open_fen = open_fen + 1 WHERE id = %s", [bill.pk])
    assert f"bill {bill.pk}: open {before - 2005 + 1} fen ≠ its lines' {before - 2005} fen" in \
        reconcile.check_project(billed.project.pk)


def test_a_manager_does_not_approve_their_own_request(billed, manager):
    credit = corrections.request_credit(manager, property_line(billed.unit), amount="5", reason="x")
    with pytest.raises(PermissionDenied):
        corrections.decide(manager, credit, approve=True)


def test_a_decided_request_is_immutable(billed, clerk, manager):
    credit = corrections.request_credit(clerk, property_line(billed.unit), amount="5", reason="x")
    corrections.decide(manager, credit, approve=False, note="理由不充分")
    credit.refresh_from_db()
    assert credit.status == "rejected" and property_line(billed.unit).outstanding == D("223.75")
    credit.amount = D("1")
    with pytest.raises(ImmutableRow):
        credit.save()


def test_a_credit_cannot_exceed_what_is_open(billed, clerk, manager):
    with pytest.raises(ValidationError):
        corrections.request_credit(clerk, property_line(billed.unit), amount="300", reason="x")
    credit = corrections.request_credit(clerk, property_line(billed.unit), amount="100", reason="x")
    payments.take_payment(clerk, billed.unit, amount="223.75", method="cash")  # paid meanwhile
    with pytest.raises(Conflict):
        corrections.decide(manager, credit, approve=True)
    assert Adjustment.objects.get().status == "pending"  # the refused approval left nothing behind


def test_an_additional_charge_posts_its_own_bill(billed, clerk, manager):
    charge = corrections.request_charge(clerk, billed.unit, fee_item=billed.fees.rubbish, amount="10",
                                        reason="2月漏收垃圾清运费")
    corrections.decide(manager, charge, approve=True)
    bill = Bill.objects.get(kind=Bill.Kind.ADJUSTMENT)
    assert (bill.payer, bill.total, bill.lines.get().kind) == (billed.owner, D("10.00"), "adjustment")


def test_a_refund_draws_the_prepayment(billed, clerk, manager):
    payments.take_payment(clerk, billed.unit, amount="500", method="cash", prepay_rest=True)
    with pytest.raises(ValidationError):
        corrections.request_refund(clerk, billed.unit, amount="300", reason="搬走退预存")
    refund = corrections.request_refund(clerk, billed.unit, amount="200", reason="搬走退预存")
    corrections.decide(manager, refund, approve=True)
    assert corrections.prepaid(billed.unit.pk) == D("66.25")  # 500 − 233.75 − 200
    assert reconcile.check_project(billed.project.pk) == []


def test_a_deposit_is_held_never_income_and_refunded_on_approval(billed, clerk, manager):
    item = standards.save_fee_item(clerk, billed.project, {"code": "reno-deposit", "name": "装修押金",
                                                           "kind": "deposit"})
    deposit, created = corrections.demand_deposit(clerk, unit=billed.unit, fee_item=item, amount="2000",
                                                  source="affairs.renovation:7")
    again, second = corrections.demand_deposit(clerk, unit=billed.unit, fee_item=item, amount="2000",
                                               source="affairs.renovation:7")
    assert created and not second and again.pk == deposit.pk and item.accounting == "deposit"
    with pytest.raises(ValidationError):
        payments.take_payment(clerk, billed.unit, amount="1000", method="cash", deposit=deposit)
    payment, _ = payments.take_payment(clerk, billed.unit, amount="2000", method="cash", deposit=deposit)
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.HELD and payment.receipt.number == 1
    # never income: the deposit paid nothing of the unit's charges and is not its prepayment
    assert sums.aggregate(ChargeLine.objects.filter(unit=billed.unit), "outstanding") == D("233.75")
    assert corrections.prepaid(billed.unit.pk) == 0
    with pytest.raises(ValidationError):
        corrections.request_release(clerk, deposit, amount="2500", reason="验收合格")
    release = corrections.request_release(clerk, deposit, amount="2000", reason="装修验收合格")
    corrections.decide(manager, release, approve=True)
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.RELEASED and corrections.deposit_held(deposit) == 0
    assert reconcile.check_project(billed.project.pk) == []


def test_another_domain_posts_a_charge_once_per_source(billed, clerk):
    bill, created = corrections.post_charge(clerk, unit=billed.unit, fee_item=billed.fees.parking,
                                            source="affairs.parking:42:2027-04", period=dt.date(2027, 4, 1))
    again, second = corrections.post_charge(clerk, unit=billed.unit, fee_item=billed.fees.parking,
                                            source="affairs.parking:42:2027-04", period=dt.date(2027, 4, 1))
    assert created and not second and again.pk == bill.pk
    line = bill.lines.get()
    assert (bill.total, line.service_start, line.service_end) == (D("300.00"), dt.date(2027, 4, 1),
                                                                   dt.date(2027, 4, 30))
    fixed, _ = corrections.post_charge(clerk, unit=billed.unit, fee_item=billed.fees.rubbish, source="x:1",
                                       amount="35.50", description="建筑垃圾清运")
    assert fixed.total == D("35.50") and fixed.lines.get().description == "建筑垃圾清运"
