"""The world the billing access tests attack: 阳光花园's fees, and another project with fees of its own.

Import the fixture into a test module (`from tests.billing.world import fee_world`) to use it.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from propdesk.archive.models import Occupancy
from propdesk.billing import corrections, online, payments, reminders, runs, standards, statements
from propdesk.billing.models import (
    Adjustment,
    Bill,
    BillingSettings,
    BillRun,
    ChargeLine,
    Deposit,
    DepositRelease,
    FeeItem,
    FeeStandard,
    InvoiceRequest,
    MeterReading,
    Payment,
    PaymentIntent,
    PaymentPlan,
    PaymentVoid,
    Receipt,
    Refund,
    Reminder,
    ReminderStep,
    Statement,
    TenantPays,
    UnitAccount,
)
from tests.factories import BuildingFactory, CustomerFactory, OccupancyFactory, StaffFactory, UnitFactory

D = Decimal
# What of 阳光花园 must never show to staff or owners of another project (not "3-2-1201": every page
# shows it as the lookup box's example).
SECRETS = ["阳光花园", "王建国", "13812345678", "阳光物业服务费", "阳光装修押金", "空置期减免阳光",
           "阳光空调深度清洗", "租户阳光小刘", "阳光还款计划",
           "阳光公共收益"]
# ... and what of 王建国's home a neighbour in the same project must not see (the project's published fee
# standards and its name are theirs too).
OWNER_SECRETS = ["王建国", "13812345678", "阳光装修押金", "空置期减免阳光", "租户阳光小刘", "SJ00000001"]


def _post(actor, project, period):
    run = runs.open_run(actor, project, period)
    runs.start_preview(actor, run)
    runs.preview(run.pk)
    run.refresh_from_db()
    runs.start_posting(actor, run, run.preview["digest"])
    runs.post(run.pk, actor.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def fee_world(project, other_project, occupancy, outsider):
    """王建国's 3-2-1201 in 阳光花园: March posted, part paid (receipt), a deposit due and one held, a credit
    awaiting approval, a tenant, a water reading, a special service ordered; 江畔华庭 has its own fees."""
    from propdesk.archive.owners import owner_for_phone
    from propdesk.service import ordering
    from propdesk.service.models import PriceItem

    clerk = StaffFactory(username="fee-clerk", role="front_desk", projects=[project])
    manager = StaffFactory(username="fee-pm", role="project_manager", projects=[project])
    unit, owner = occupancy.unit, occupancy.customer
    prop = standards.save_fee_item(clerk, project, {"code": "property", "name": "阳光物业服务费", "kind": "property"})
    standards.add_standard(clerk, prop, price="2.50", effective_from=dt.date(2020, 1, 1))
    water = standards.save_fee_item(clerk, project, {"code": "water", "name": "水费", "kind": "metered",
                                                     "meter_unit": "吨"})
    standards.add_standard(clerk, water, price="3.5", effective_from=dt.date(2020, 1, 1))
    deposit_item = standards.save_fee_item(clerk, project, {"code": "reno", "name": "阳光装修押金", "kind": "deposit"})
    standards.enter_reading(clerk, unit, water, period=dt.date(2027, 2, 1), value="100")
    standards.enter_reading(clerk, unit, water, period=dt.date(2027, 3, 1), value="110")
    run = _post(clerk, project, dt.date(2027, 3, 1))
    payment, _ = payments.take_payment(clerk, unit, amount="100", method="cash")
    line = ChargeLine.objects.filter(unit=unit, outstanding__gt=0).first()
    adjustment = corrections.request_credit(clerk, line, amount="10", reason="空置期减免阳光")
    due, _ = corrections.demand_deposit(clerk, unit=unit, fee_item=deposit_item, amount="2000", source="t:due",
                                        description="阳光装修押金")
    held, _ = corrections.demand_deposit(clerk, unit=unit, fee_item=deposit_item, amount="500", source="t:held",
                                         description="阳光装修押金")
    payments.take_payment(clerk, unit, amount="500", method="cash", deposit=held)
    tenant = CustomerFactory(project=project, name="租户阳光小刘", phones=["13500001234"])
    tenancy = OccupancyFactory(unit=unit, customer=tenant, role=Occupancy.Role.TENANT,
                               start_date=dt.date(2026, 1, 1), end_date=dt.date(2099, 1, 1))
    item = PriceItem.objects.create(project=project, kind="special", name="阳光空调深度清洗", unit="visit",
                                    price=D("150.00"))
    order, _ = ordering.order_special_service(owner_for_phone("13812345678"), item_id=item.pk, unit_id=unit.pk,
                                              when=timezone.now() + dt.timedelta(days=1))
    neighbour_unit = UnitFactory(building=unit.building, entrance="1", number="1202", floor=12)
    OccupancyFactory(unit=neighbour_unit, customer__name="李邻居", customer__phones=["13700001111"])
    intent = online.start(owner_for_phone("13812345678"), unit_id=unit.pk)
    letter = Reminder.objects.create(project=project, unit=unit, payer=owner, step=4, action="letter",
                                     episode=dt.date(2027, 3, 15), owed=D("233.75"), days_overdue=110,
                                     day=dt.date(2027, 7, 3), detail={"lines": [], "oldest_due": "2027-03-15"})
    plan = reminders.agree_plan(manager, unit, terms="阳光还款计划", until=dt.date(2028, 6, 30),
                                today=dt.date(2027, 7, 3))
    statement = statements.save_statement(clerk, project, dt.date(2027, 3, 1), [
        {"side": "income", "category": "阳光公共收益", "amount": "1200.00"},
        {"side": "expense", "category": "保洁外包", "amount": "800.00"}])
    statements.submit(clerk, statement)
    statements.decide(manager, statement, approve=True)
    statement = statements.publish(manager, statement)
    # the other project's own fees, so that its staff's lists are not empty by accident
    other_unit = UnitFactory(building=BuildingFactory(project=other_project, code="R1", name="江畔1栋"),
                             entrance="", number="0808", floor=8)
    OccupancyFactory(unit=other_unit, customer__name="江畔住户", customer__phones=["13600000000"])
    other_item = standards.save_fee_item(outsider, other_project, {"code": "property", "name": "江畔物业费",
                                                                   "kind": "property"})
    standards.add_standard(outsider, other_item, price="1.80", effective_from=dt.date(2020, 1, 1))
    _post(outsider, other_project, dt.date(2027, 3, 1))
    payments.take_payment(outsider, other_unit, amount="10", method="cash")
    return SimpleNamespace(
        project=project, other_project=other_project, unit=unit, owner=owner, clerk=clerk, manager=manager,
        fee_item=prop, water=water, deposit_item=deposit_item, run=run, payment=payment, receipt=payment.receipt,
        line=line, adjustment=adjustment, deposit_due=due, deposit_held=held, tenancy=tenancy, tenant=tenant,
        special_order=order, other_unit=other_unit, neighbour_unit=neighbour_unit, intent=intent,
        building=unit.building, letter=letter, plan=plan, statement=statement,
        bill=Bill.objects.filter(unit=unit).first())


def snapshot(project) -> dict:
    """Everything a stray write could change in a project's fees."""
    return {
        "items": list(FeeItem.objects.filter(project=project).values()),
        "standards": list(FeeStandard.objects.filter(fee_item__project=project).values()),
        "settings": list(BillingSettings.objects.filter(project=project).values()),
        "accounts": list(UnitAccount.objects.filter(project=project).values()),
        "tenant_pays": TenantPays.objects.filter(occupancy__unit__project=project).count(),
        "readings": list(MeterReading.objects.filter(project=project).values()),
        "runs": list(BillRun.objects.filter(project=project).values("status", "bills_posted", "claimed_at")),
        "bills": Bill.objects.filter(project=project).count(),
        "lines": list(ChargeLine.objects.filter(project=project).values_list("id", "outstanding")),
        "payments": list(Payment.objects.filter(project=project).values_list("id", "unallocated")),
        "voids": PaymentVoid.objects.filter(payment__project=project).count(),
        "receipts": Receipt.objects.filter(project=project).count(),
        "deposits": list(Deposit.objects.filter(project=project).values_list("id", "status")),
        "requests": [list(m.objects.filter(project=project).values_list("id", "status"))
                     for m in (Adjustment, Refund, DepositRelease)],
        "intents": PaymentIntent.objects.filter(project=project).count(),
        "invoices": InvoiceRequest.objects.filter(project=project).count(),
        "ladder": list(ReminderStep.objects.filter(project=project).values()),
        "reminders": Reminder.objects.filter(project=project).count(),
        "plans": list(PaymentPlan.objects.filter(project=project).values_list("id", "ended_at")),
        "statements": list(Statement.objects.filter(project=project).values_list("id", "status", "entered_at")),
    }
