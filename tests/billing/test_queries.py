"""The fees lists cost a fixed number of queries, however many rows they show (no N+1)."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.billing import corrections, payments, standards
from propdesk.billing.models import ChargeLine
from tests.billing.conftest import add_home, post_month


@pytest.fixture
def busy(home, clerk):
    """30 homes billed for March, each paid (a receipt), each with a deposit and a credit awaiting approval,
    and a water reading each."""
    deposit_item = standards.save_fee_item(clerk, home.project, {"code": "card", "name": "门禁卡押金",
                                                                 "kind": "deposit"})
    homes = [add_home(home.project, f"{n + 1}05") for n in range(30)]
    for h in homes:
        standards.enter_reading(clerk, h.unit, home.fees.water, period=dt.date(2027, 3, 1), value="10")
    post_month(clerk, home.project, dt.date(2027, 3, 1))
    for h in homes:
        payments.take_payment(clerk, h.unit, amount="10", method="cash")
        deposit, _ = corrections.demand_deposit(clerk, unit=h.unit, fee_item=deposit_item, amount="20",
                                                source=f"q:{h.unit.pk}")
        payments.take_payment(clerk, h.unit, amount="20", method="cash", deposit=deposit)
        line = ChargeLine.objects.filter(unit=h.unit, outstanding__gt=0).first()
        corrections.request_credit(clerk, line, amount="1", reason="减免")
    return home


@pytest.mark.parametrize(("name", "limit"), [("receipts", 9), ("deposits", 9), ("bill_runs", 9),
                                             ("meter_readings", 10), ("fee_approvals", 11), ("daily_close", 10),
                                             ("fee_items", 9), ("fees", 16)])
def test_a_fees_list_takes_a_fixed_number_of_queries(client, busy, clerk, django_assert_max_num_queries, name, limit):
    client.force_login(clerk)
    url = reverse(f"console:{name}")
    client.get(url, {"project": busy.project.pk})  # warm the session and the content types
    with django_assert_max_num_queries(limit):
        response = client.get(url, {"project": busy.project.pk})
    assert response.status_code == 200


def test_the_unit_page_takes_a_fixed_number_of_queries(client, busy, clerk, django_assert_max_num_queries):
    client.force_login(clerk)
    url = reverse("console:unit_fees", args=[busy.unit.pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("index", ["bill_unpaid_ageing", "charge_line_open_unit", "payment_prepaid"])
def test_the_open_line_and_prepayment_queries_can_use_their_partial_indexes(busy, clerk, index):
    """On SQLite a partial index serves only queries whose condition is the index's own, written alike (a
    Decimal `> '0'` against an index on `> 0` read the whole table). PostgreSQL proves the index's condition
    from either spelling and picks among usable indexes by cost, which on a few rows says nothing."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's rule: PostgreSQL matches the conditions by value")

    from propdesk.billing import arrears
    from propdesk.billing.models import HELD, OPEN, Payment

    unit_id = busy.unit.pk
    query = {
        "bill_unpaid_ageing": arrears.ageing_rows(arrears.overdue_bills(busy.project.pk, dt.date(2027, 6, 1)),
                                                  dt.date(2027, 6, 1)),
        "charge_line_open_unit": ChargeLine.objects.filter(OPEN, unit_id=unit_id).order_by("due_date"),
        "payment_prepaid": Payment.objects.filter(HELD).values("unit_id"),
    }[index]
    plan = query.explain()
    assert index in plan, plan
