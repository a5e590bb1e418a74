"""Property-based reconciliation (issue 14, item 5), on whichever database the suite runs on.

Hypothesis generates small projects — units of random area, owners handed over mid-month, tenants who
pay moving in, standards that change mid-month, either start rule — posts bill runs over consecutive
months (leap Februaries included), and checks the identities to the fen. Each example runs in a
savepoint that is rolled back, so examples do not see each other's rows.

The number of examples is modest for the suite (PROPDESK_HYPOTHESIS_EXAMPLES, default 15); run a larger
budget with e.g. PROPDESK_HYPOTHESIS_EXAMPLES=300.
"""

import datetime as dt
import os
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from propdesk.archive.models import Occupancy
from propdesk.billing import corrections, money, payments, reconcile, standards, sums
from propdesk.billing.models import Bill, BillRun, ChargeLine, Payment, Receipt
from tests.billing.conftest import post_month
from tests.factories import CustomerFactory, OccupancyFactory, ProjectFactory, StaffFactory, UnitFactory

D = Decimal
EXAMPLES = int(os.environ.get("PROPDESK_HYPOTHESIS_EXAMPLES", "15"))
# PROPDESK_HYPOTHESIS_NOSHRINK=1 reports the first failing example as generated (shrinking can be slow).
NO_SHRINK = {"phases": [Phase.explicit, Phase.generate]} if os.environ.get("PROPDESK_HYPOTHESIS_NOSHRINK") else {}
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, **NO_SHRINK,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

prices = st.integers(min_value=5000, max_value=60000).map(lambda n: D(n) / 10000)  # 0.5000–6.0000
areas = st.integers(min_value=2000, max_value=30000).map(lambda n: D(n) / 100)  # 20.00–300.00 m²
day_offsets = st.integers(min_value=0, max_value=89)


@st.composite
def scenarios(draw):
    start = draw(st.sampled_from([dt.date(2027, 1, 1), dt.date(2027, 11, 1), dt.date(2028, 1, 1)]))
    months = draw(st.integers(min_value=1, max_value=3))
    units = draw(st.lists(st.fixed_dictionaries({
        "area": areas,
        "unit_type": st.sampled_from(["residential", "shop"]),
        "owner_from": st.one_of(st.none(), st.just(-400), day_offsets),
        "tenant_from": st.one_of(st.none(), day_offsets),
        "tenant_days": st.integers(min_value=1, max_value=120),
    }), min_size=1, max_size=5))
    return {
        "start": start, "months": months, "units": units,
        "price": draw(prices), "shop_price": draw(st.one_of(st.none(), prices)),
        "change": draw(st.one_of(st.none(), st.tuples(day_offsets, prices))),
        "fixed": draw(st.one_of(st.none(), st.integers(min_value=1, max_value=5000).map(lambda n: D(n) / 100))),
        "next_month": draw(st.booleans()),
        "payments": draw(st.lists(st.tuples(st.integers(min_value=0, max_value=4),
                                            st.integers(min_value=1, max_value=80000).map(lambda n: D(n) / 100),
                                            st.booleans(), st.booleans()), max_size=6)),
        "credits": draw(st.lists(st.tuples(st.integers(min_value=0, max_value=4),
                                           st.integers(min_value=1, max_value=100)), max_size=3)),
        "refunds": draw(st.lists(st.tuples(st.integers(min_value=0, max_value=4),
                                           st.integers(min_value=1, max_value=100)), max_size=2)),
    }


def build(data):
    """The generated project in the database; returns (project, clerk, periods, units)."""
    project = ProjectFactory(name="属性测试小区")
    clerk = StaffFactory(role="front_desk", projects=[project])
    start = data["start"]
    if data["next_month"]:
        from propdesk.billing.models import BillingSettings

        BillingSettings.objects.create(project=project, start_rule=BillingSettings.StartRule.NEXT_MONTH)
    prop = standards.save_fee_item(clerk, project, {"code": "property", "name": "物业服务费", "kind": "property"})
    standards.add_standard(clerk, prop, price=data["price"], effective_from=dt.date(2019, 1, 1))
    if data["shop_price"] is not None:
        standards.add_standard(clerk, prop, unit_type="shop", price=data["shop_price"],
                               effective_from=dt.date(2019, 1, 1))
    if data["change"] is not None:
        offset, new_price = data["change"]
        standards.add_standard(clerk, prop, price=new_price, effective_from=start + dt.timedelta(days=offset))
    if data["fixed"] is not None:
        fixed = standards.save_fee_item(clerk, project, {"code": "fixed", "name": "垃圾清运费", "kind": "fixed"})
        standards.add_standard(clerk, fixed, price=data["fixed"], effective_from=dt.date(2019, 1, 1))
    units = []
    for n, spec in enumerate(data["units"]):
        unit = UnitFactory(building__project=project, building__code=f"P{n}", number=f"{n + 1}01", floor=n + 1,
                           area=spec["area"])
        if spec["unit_type"] != "residential":
            standards.save_account(clerk, unit, {"unit_type": spec["unit_type"]})
        if spec["owner_from"] is not None:
            OccupancyFactory(unit=unit, start_date=start + dt.timedelta(days=spec["owner_from"]))
        if spec["tenant_from"] is not None:
            begin = start + dt.timedelta(days=spec["tenant_from"])
            lease = OccupancyFactory(unit=unit, role=Occupancy.Role.TENANT, customer=CustomerFactory(project=project),
                                     start_date=begin, end_date=begin + dt.timedelta(days=spec["tenant_days"]))
            standards.set_tenant_pays(clerk, lease, True)
        units.append(unit)
    periods = [start]
    for _ in range(data["months"] - 1):
        periods.append(money.next_month(periods[-1]))
    return project, clerk, periods, units


def check_run_identities(project, periods):
    lines = list(ChargeLine.objects.filter(project=project).select_related("bill"))
    by_bill = defaultdict(lambda: D(0))
    days_billed = defaultdict(set)
    for line in lines:
        by_bill[line.bill_id] += line.amount
        if line.days is not None:
            # every line is the one proration rule applied to its own facts
            assert line.amount == money.prorate(line.quantity, line.unit_price, line.days, line.days_in_period)
            assert line.service_start.month == line.service_end.month
            assert (line.service_end - line.service_start).days + 1 == line.days
            day = line.service_start
            while day <= line.service_end:
                key = (line.unit_id, line.fee_item_id, day)
                assert key not in days_billed, f"{key} billed twice"
                days_billed[key].add(line.pk)
                day += dt.timedelta(days=1)
    for bill in Bill.objects.filter(project=project):
        assert bill.total == by_bill[bill.pk], "a bill's total is the sum of its lines"
    for run in BillRun.objects.filter(project=project):
        posted = sums.aggregate(ChargeLine.objects.filter(bill__run=run), "amount")
        assert posted == D(run.preview["total"]) + D(run.preview["posted_total"])
    assert {run.period for run in BillRun.objects.filter(project=project)} == set(periods)


def owed(unit) -> Decimal:
    return sums.aggregate(ChargeLine.objects.filter(unit=unit), "outstanding")


class Expected:
    """What the scenario did with money, kept apart from the ledger: net = − credits − payments + refunds
    (per unit; the charges are added from the posted lines)."""

    def __init__(self):
        self.net = defaultdict(lambda: D(0))


def pay(clerk, unit, amount, prepay, voids, expected, project):
    """One desk payment; more than is open without prepayment must be refused with nothing written."""
    before = (Payment.objects.count(), Receipt.objects.count(), owed(unit))
    if amount > owed(unit) and not prepay:
        with pytest.raises(ValidationError) as refused:
            payments.take_payment(clerk, unit, amount=amount, method="cash", payer_name="现场缴费人")
        assert "amount" in refused.value.message_dict
        assert (Payment.objects.count(), Receipt.objects.count(), owed(unit)) == before
        return
    payment, _created = payments.take_payment(clerk, unit, amount=amount, method="cash", prepay_rest=prepay,
                                               payer_name="" if payments.default_payer(unit) else "现场缴费人")
    expected.net[unit.pk] -= amount
    if voids:
        payments.void_payment(clerk, payment, "录入错误")
        expected.net[unit.pk] += amount


@PROPERTY
@given(data=scenarios())
def test_bill_runs_and_payments_reconcile_to_the_fen(db, data):
    with transaction.atomic():
        project, clerk, periods, units = build(data)
        manager = StaffFactory(role="project_manager", projects=[project])
        expected = Expected()
        for number, period in enumerate(periods):
            post_month(clerk, project, period)
            for index, amount, prepay, voids in data["payments"][number::len(periods)]:
                pay(clerk, units[index % len(units)], amount, prepay, voids, expected, project)
        check_run_identities(project, periods)
        before = ChargeLine.objects.filter(project=project).count()
        post_month(clerk, project, periods[-1])  # posting again posts nothing new
        assert ChargeLine.objects.filter(project=project).count() == before
        for index, percent in data["credits"]:
            line = ChargeLine.objects.filter(unit=units[index % len(units)], outstanding__gt=0).first()
            if line is not None:
                amount = max(D("0.01"), money.money(line.outstanding * percent / 100))
                corrections.decide(manager, corrections.request_credit(clerk, line, amount=amount, reason="减免"),
                                   approve=True)
                expected.net[line.unit_id] -= amount
        for index, percent in data["refunds"]:
            unit = units[index % len(units)]
            held = corrections.prepaid(unit.pk)
            if held > 0:
                amount = max(D("0.01"), money.money(held * percent / 100))
                corrections.decide(manager, corrections.request_refund(clerk, unit, amount=amount, reason="退"),
                                   approve=True)
                expected.net[unit.pk] += amount
        problems = reconcile.check_project(project.pk)
        assert problems == [], problems
        balances = reconcile.unit_balances(project.pk)
        charges = {u: b["charged"] for u, b in balances.items()}
        for unit in units:
            b = balances.get(unit.pk, {"owed": D(0), "prepaid": D(0)})
            # the ledger's balance (owed − prepaid) is what the scenario's money movements add up to
            assert b["owed"] - b["prepaid"] == charges.get(unit.pk, D(0)) + expected.net[unit.pk]
        live = sums.aggregate(Payment.objects.filter(project=project, void__isnull=True), "amount")
        receipts = sums.aggregate(Receipt.objects.filter(project=project, payment__void__isnull=True), "amount")
        assert receipts == live
        transaction.set_rollback(True)
