"""Paid services ordered in the portal are billed here, apart from property fees, and the service desk's
revenue report reconciles with those bills (issue 14, items 7 and 8)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from propdesk.archive.owners import owner_for_phone
from propdesk.billing import paid_services, sums
from propdesk.billing.models import Bill, ChargeLine, FeeItem
from propdesk.service import ordering, revenue, transitions
from propdesk.service.models import PriceItem
from tests.factories import StaffFactory

D = Decimal
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def orders(home, clerk):
    """Two special services 王建国 ordered in the portal for March 2027, one cancelled afterwards."""
    item = PriceItem.objects.create(project=home.project, kind="special", name="空调深度清洗", unit="visit",
                                    price=D("150.00"))
    hourly = PriceItem.objects.create(project=home.project, kind="special", name="家政保洁", unit="hour",
                                      price=D("45.50"))
    owner = owner_for_phone("13812345678")
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=TZ)):
        a, _ = ordering.order_special_service(owner, item_id=item.pk, unit_id=home.unit.pk,
                                              when=dt.datetime(2027, 3, 5, 10, tzinfo=TZ))
        b, _ = ordering.order_special_service(owner, item_id=hourly.pk, unit_id=home.unit.pk, quantity="2.5",
                                              when=dt.datetime(2027, 3, 6, 10, tzinfo=TZ))
        c, _ = ordering.order_special_service(owner, item_id=item.pk, unit_id=home.unit.pk,
                                              when=dt.datetime(2027, 3, 7, 10, tzinfo=TZ))
    desk = StaffFactory(username="desk", role="front_desk", projects=[home.project])
    transitions.transition(desk, c, "cancel", note="业主取消")
    return a, b, c


def test_special_services_are_billed_once_to_their_own_item(home, clerk, orders):
    a, b, _c = orders
    rows = paid_services.to_bill(clerk, home.project.pk, dt.date(2027, 3, 1))
    assert sorted(r["amount"] for r in rows) == [D("113.75"), D("150.00")]  # 45.50 × 2.5; the cancelled one left out
    for row in rows:
        bill, created = paid_services.bill_paid_service(clerk, row["row"])
        again, second = paid_services.bill_paid_service(clerk, row["row"])
        assert created and not second and again.pk == bill.pk
    item = FeeItem.objects.get(project=home.project, code="special-service")
    assert item.accounting == FeeItem.Accounting.SPECIAL_SERVICE
    assert set(ChargeLine.objects.values_list("fee_item", flat=True)) == {item.pk}  # apart from property fees
    assert Bill.objects.get(source=f"service.work_order:{a.pk}").payer == home.owner


def test_the_revenue_report_reconciles_with_the_paid_service_bills(home, clerk, orders):
    for row in paid_services.to_bill(clerk, home.project.pk, dt.date(2027, 3, 1)):
        paid_services.bill_paid_service(clerk, row["row"])
    report = revenue.paid_service_orders(clerk, home.project.pk, dt.date(2027, 3, 1))
    sources = [f"service.work_order:{wo.pk}" for wo in report.rows]
    billed = sums.aggregate(Bill.objects.filter(source__in=sources), "total")
    assert report.total == billed == D("263.75")
    assert all(r["bill_id"] for r in paid_services.to_bill(clerk, home.project.pk, dt.date(2027, 3, 1)))


def test_a_cancelled_order_is_not_billed(home, clerk, orders):
    with pytest.raises(ValidationError):
        paid_services.bill_paid_service(clerk, orders[2])
