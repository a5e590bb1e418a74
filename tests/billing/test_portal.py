"""What owners, household members and tenants see of fees in the portal (issue 14, item 6)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from propdesk.archive.models import Occupancy
from propdesk.archive.owners import owner_for_phone
from propdesk.billing import owner_selectors, payments, standards
from tests.billing.conftest import post_month
from tests.factories import CustomerFactory, OccupancyFactory
from tests.portal.conftest import sign_in

FEB, MARCH = dt.date(2027, 2, 1), dt.date(2027, 3, 1)
APRIL_20 = dt.datetime(2027, 4, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def billed(home, clerk):
    post_month(clerk, home.project, FEB)
    post_month(clerk, home.project, MARCH)
    return home


def test_a_new_owner_does_not_see_the_previous_owners_bills(billed, clerk):
    Occupancy.objects.filter(pk=billed.occupancy.pk).update(end_date=dt.date(2027, 2, 28))
    buyer = CustomerFactory(project=billed.project, name="新业主", phones=["13911112222"])
    OccupancyFactory(unit=billed.unit, customer=buyer, start_date=MARCH)
    post_month(clerk, billed.project, dt.date(2027, 4, 1))
    with time_machine.travel(APRIL_20):
        seen = [b.period for b in owner_selectors.bills(owner_for_phone("13911112222"))]
    assert seen == [dt.date(2027, 4, 1)]  # not February or March, billed to 王建国


def test_a_household_member_sees_the_households_bills_and_a_tenant_only_their_own(billed, clerk):
    OccupancyFactory(unit=billed.unit, role=Occupancy.Role.MEMBER, relation="配偶",
                     customer=CustomerFactory(project=billed.project, name="李秀英", phones=["13900001111"]),
                     start_date=dt.date(2020, 1, 1))
    lease = OccupancyFactory(unit=billed.unit, role=Occupancy.Role.TENANT, start_date=dt.date(2027, 1, 1),
                             customer=CustomerFactory(project=billed.project, name="租户小刘", phones=["13500001234"]))
    with time_machine.travel(APRIL_20):
        assert len(owner_selectors.bills(owner_for_phone("13900001111"))) == 2
        assert list(owner_selectors.bills(owner_for_phone("13500001234"))) == []
    standards.set_tenant_pays(clerk, lease, True)
    post_month(clerk, billed.project, dt.date(2027, 4, 1))
    with time_machine.travel(APRIL_20):
        tenant_bills = owner_selectors.bills(owner_for_phone("13500001234"))
        assert [b.payer.name for b in tenant_bills] == ["租户小刘"]


def test_only_published_standards_are_shown(client, billed, clerk):
    hidden = standards.save_fee_item(clerk, billed.project, {"code": "internal", "name": "内部核算项",
                                                             "kind": "fixed", "is_published": False})
    standards.add_standard(clerk, hidden, price="1", effective_from=FEB)
    sign_in(client, "13812345678")
    body = client.get(reverse("portal:fee_standards")).content.decode()
    assert "物业服务费" in body and "¥2.5" in body and "内部核算项" not in body


def test_the_payment_history_and_receipts_of_the_home(client, billed, clerk):
    payments.take_payment(clerk, billed.unit, amount="300", method="cash", prepay_rest=True)
    sign_in(client, "13812345678")
    assert "¥300.00" in client.get(reverse("portal:fee_history")).content.decode()
    assert "SJ00000001" in client.get(reverse("portal:fee_receipts")).content.decode()


def test_the_bills_page_takes_a_fixed_number_of_queries(client, billed, clerk, django_assert_max_num_queries):
    for month in range(4, 13):
        post_month(clerk, billed.project, dt.date(2027, month, 1))
    sign_in(client, "13812345678")
    client.get(reverse("portal:fees"))
    # session, the owner's homes, their households (read once), count, the page with its payers, the
    # home's open lines, its prepayment: the page's units come from the homes already read
    with django_assert_max_num_queries(7):
        page = client.get(reverse("portal:fees"))
    assert page.status_code == 200
    assert page.content.decode().count(f"{billed.unit.label} · ") == min(billed.unit.bills.count(), 20) > 10
    bill = billed.unit.bills.first()
    with django_assert_max_num_queries(9):
        assert client.get(reverse("portal:fee_bill", args=[bill.pk])).status_code == 200
