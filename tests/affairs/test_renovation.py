"""Renovation: application, review, agreement and deposit, permits, patrols, acceptance, refund (item 2)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from propdesk.affairs import charges, selectors
from propdesk.affairs import renovation as svc
from propdesk.affairs.models import AffairsSettings, Renovation
from propdesk.core.errors import Conflict
from propdesk.core.timeline import events_for

from .conftest import png

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 4, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


def application(**over):
    data = dict(scope="厨卫改造、全屋墙面翻新", contractor="美居装饰有限公司", foreman="周工", foreman_phone="13512345678",
                workers="周工 13512345678\n吴师傅 13587654321", planned_start=dt.date(2027, 4, 5),
                planned_end=dt.date(2027, 6, 30))
    return {**data, **over}


@pytest.fixture
def renovation(staff, unit, owner):
    return svc.apply(staff, unit=unit, applicant=owner, **application())


@pytest.fixture
def active(renovation, manager, staff):
    svc.review(manager, renovation, decision="conditions", conditions="每日18:00后不得施工")
    return svc.sign_agreement(staff, renovation, signed_by="王建国", deposit="3000", deposit_receipt="SJ-0001",
                              fee="500.00", fee_receipt="SJ-0002")


def test_only_a_current_owner_applies(staff, unit, tenant):
    with pytest.raises(ValidationError) as err:
        svc.apply(staff, unit=unit, applicant=tenant, **application())
    assert "applicant" in err.value.message_dict
    assert not Renovation.objects.exists()


def test_the_period_must_run_forward(staff, unit, owner):
    with pytest.raises(ValidationError) as err:
        svc.apply(staff, unit=unit, applicant=owner, **application(planned_end=dt.date(2027, 4, 1)))
    assert "planned_end" in err.value.message_dict


def test_an_office_needs_its_fire_safety_filing(staff, unit, owner, project):
    project.kind = "office"
    project.save()
    unit.project.kind = "office"
    with pytest.raises(ValidationError) as err:
        svc.apply(staff, unit=unit, applicant=owner, **application())
    assert "fire_filing_ref" in err.value.message_dict
    assert svc.apply(staff, unit=unit, applicant=owner, **application(fire_filing_ref="消建备字〔2027〕第12号")).pk


def test_the_desk_cannot_review_and_a_rejection_needs_its_reason(renovation, staff, manager):
    with pytest.raises(PermissionDenied):
        svc.review(staff, renovation, decision="approve")
    with pytest.raises(ValidationError):
        svc.review(manager, renovation, decision="reject")
    svc.review(manager, renovation, decision="reject", reason="拆改承重墙")
    assert renovation.status == "rejected" and renovation.reject_reason == "拆改承重墙"
    with pytest.raises(Conflict):
        svc.review(manager, renovation, decision="approve")


def test_the_agreement_records_deposit_and_fee_in_decimal_and_the_first_patrol(active):
    active.refresh_from_db()
    assert active.status == "active" and active.deposit == Decimal("3000.00") and active.fee == Decimal("500.00")
    assert active.agreement_signed_by == "王建国" and active.next_patrol_on == dt.date(2027, 4, 5)
    items = {c.item: c for c in charges.renovation_charges(active)}
    assert items["renovation_deposit"].amount == Decimal("3000.00")
    assert items["renovation_deposit"].receipt == "SJ-0001" and items["renovation_fee"].payer_id == active.applicant_id


def test_a_permit_ending_before_it_starts_is_refused(active, technician):
    start = timezone.now() + dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as err:
        svc.issue_permit(technician, active, location="厨房", work="电焊", starts_at=start,
                         ends_at=start - dt.timedelta(hours=2), fire_watch="吴师傅", extinguisher_checked=True)
    assert "ends_at" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        svc.issue_permit(technician, active, location="厨房", work="电焊", starts_at=start,
                         ends_at=start + dt.timedelta(days=2), fire_watch="吴师傅", extinguisher_checked=False)
    assert "extinguisher_checked" in err.value.message_dict
    assert not active.permits.exists()


def test_a_permit_is_valid_only_inside_its_window(active, technician, guard):
    start = timezone.now()
    permit = svc.issue_permit(technician, active, location="厨房", work="电焊", starts_at=start,
                              ends_at=start + dt.timedelta(days=2), fire_watch="吴师傅", extinguisher_checked=True)
    assert permit.number.startswith("DH270401-")
    assert permit.state(start + dt.timedelta(days=1)) == "valid"
    assert permit.state(start + dt.timedelta(days=2)) == "expired"
    assert permit.state(start - dt.timedelta(minutes=1)) == "not_yet"
    assert list(selectors.permits_now(guard)) == [permit]


def test_patrols_are_due_at_the_projects_interval(active, guard, project):
    AffairsSettings.objects.create(project=project, patrol_interval_days=3)
    assert list(selectors.patrols_due(guard, dt.date(2027, 4, 4))) == []
    assert list(selectors.patrols_due(guard, dt.date(2027, 4, 5))) == [active]
    with time_machine.travel(dt.datetime(2027, 4, 5, 10, tzinfo=dt.UTC), tick=False):
        svc.record_patrol(guard, active, result="ok")
    active.refresh_from_db()
    assert active.next_patrol_on == dt.date(2027, 4, 8)
    assert list(selectors.patrols_due(guard, dt.date(2027, 4, 7))) == []


def test_a_violation_needs_a_photo_and_may_issue_a_rectification_with_a_recheck(active, guard, manager):
    with pytest.raises(ValidationError) as err:
        svc.record_patrol(guard, active, result="violation", findings="阳台动火无看火人")
    assert "photos" in err.value.message_dict
    patrol = svc.record_patrol(guard, active, result="violation", findings="阳台动火无看火人", photos=[png()],
                               notice="立即停止动火，补办动火证", deadline=dt.date(2027, 4, 2))
    rect = patrol.rectification
    assert rect.deadline == dt.date(2027, 4, 2)
    with pytest.raises(ValidationError):
        svc.accept(manager, active, items=[("水电隐蔽工程", True, "")])
    svc.recheck(guard, rect, passed=True, note="已整改")
    with pytest.raises(Conflict):
        svc.recheck(guard, rect, passed=True)
    assert events_for(active.unit).filter(verb="affairs.renovation.patrolled").exists()


def pay_deposit(cashier, r):
    from propdesk.billing import payments

    deposit = charges.renovation_deposit(r)
    payments.take_payment(cashier, r.unit, amount=deposit.amount, method="cash", deposit=deposit)
    return deposit


def test_the_agreement_demands_the_deposit_and_bills_the_fee_once(active, staff):
    from propdesk.billing.models import Bill, Deposit
    from propdesk.billing.selectors import unit_fees

    deposit = charges.renovation_deposit(active)
    assert (deposit.amount, deposit.status, deposit.payer, deposit.unit) == (
        Decimal("3000.00"), Deposit.Status.DUE, active.applicant, active.unit)
    fee, = Bill.objects.filter(source=f"affairs.renovation:{active.pk}:fee")
    line = fee.lines.get()
    assert (fee.total, fee.payer, line.outstanding, line.fee_item.name) == (
        Decimal("500.00"), active.applicant, Decimal("500.00"), "装修管理费")
    # once per source: posting again writes nothing
    assert charges.post_renovation(staff, active) == (deposit, fee)
    assert Bill.objects.filter(source__startswith="affairs.renovation:").count() == 1
    assert Deposit.objects.count() == 1
    shown = unit_fees(staff, active.unit_id)
    assert [b.pk for b in shown.bills] == [fee.pk] and shown.owed == Decimal("500.00")
    assert [d.pk for d in shown.deposits] == [deposit.pk]


def test_the_unpaid_fee_falls_into_arrears_after_its_due_date(active):
    from propdesk.billing.arrears import card_summary

    fee = active.unit.bills.get()
    row, = card_summary(unit=active.unit, today=fee.due_date)
    assert row["owed"] == Decimal("500.00") and row["overdue"] == Decimal("0.00")
    row, = card_summary(unit=active.unit, today=fee.due_date + dt.timedelta(days=1))
    assert row["overdue"] == Decimal("500.00") and row["days"] == 1


def test_acceptance_then_refund_with_deductions_and_reasons(active, manager, staff, project):
    from propdesk.billing import corrections
    from propdesk.billing.models import Deposit, DepositRelease
    from tests.factories import StaffFactory

    svc.accept(manager, active, items=[("水电隐蔽工程", True, ""), ("公共走道清洁", False, "走道墙面污损")])
    # not paid at the cashier: nothing is held in billing, nothing is refunded
    with pytest.raises(ValidationError) as err:
        svc.refund_deposit(manager, active, deductions=[("300", "走道墙面修复")], voucher="TK-1")
    assert "收银" in str(err.value) or "cashier" in str(err.value)
    active.refresh_from_db()
    assert active.status == "accepted" and not active.deductions.exists()
    deposit = pay_deposit(staff, active)
    with pytest.raises(ValidationError):
        svc.refund_deposit(manager, active, deductions=[("3500", "超额")], voucher="TK-1")
    with pytest.raises(ValidationError):
        svc.refund_deposit(manager, active, deductions=[("300", "")], voucher="TK-1")
    with pytest.raises(PermissionDenied):
        svc.refund_deposit(staff, active, deductions=[], voucher="TK-1")
    svc.refund_deposit(manager, active, deductions=[("300.005", "走道墙面修复"), ("200", "垃圾清运")], voucher="TK-1")
    active.refresh_from_db()
    assert active.status == "closed" and active.refund_amount == Decimal("2499.99")
    assert active.deductions_total == Decimal("500.01")
    assert charges.renovation_charges(active)[-1].amount == Decimal("-2499.99")
    releases = list(DepositRelease.objects.filter(deposit=deposit).order_by("id"))
    assert [(r.kind, r.amount, r.status) for r in releases] == [
        ("refund", Decimal("2499.99"), "pending"), ("forfeit", Decimal("300.01"), "pending"),
        ("forfeit", Decimal("200.00"), "pending")]
    assert releases[1].reason == "走道墙面修复"
    # a manager other than the requester approves each in billing; the deposit is then released
    other = StaffFactory(username="pm2", role="project_manager", projects=[project])
    for release in releases:
        corrections.decide(other, release, approve=True)
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.RELEASED and corrections.deposit_held(deposit) == Decimal("0.00")


def test_a_renovation_signed_before_billing_was_connected_is_refunded_as_recorded(active, manager):
    from propdesk.billing.models import DepositRelease

    charges.renovation_deposit(active).delete()     # as if signed before the billing seam existed
    svc.accept(manager, active, items=[("水电隐蔽工程", True, "")])
    svc.refund_deposit(manager, active, deductions=[("100", "垃圾清运")], voucher="TK-9")
    active.refresh_from_db()
    assert active.status == "closed" and active.refund_amount == Decimal("2900.00")
    assert not DepositRelease.objects.exists()


def test_an_active_renovation_shows_on_the_unit(active):
    assert list(selectors.active_renovations(active.unit_id)) == [active]
