"""The accountants' spreadsheets (issue 14, item 9): bills, payments, receipts, arrears, the daily close —
read back with openpyxl, figures to the fen; another project's staff export only their own project."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from propdesk.billing import payments
from tests.billing.conftest import add_home, post_month

D = Decimal
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2027, 5, 20, 10, 0, tzinfo=TZ)


def sheets(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


@pytest.fixture
def books(home, clerk):
    """王建国 billed March and April, pays ¥100 in cash on 20 May (a receipt); a neighbour owes April."""
    add_home(home.project, "1502", name="李四")
    with time_machine.travel(NOW, tick=False):
        post_month(clerk, home.project, dt.date(2027, 3, 1))
        post_month(clerk, home.project, dt.date(2027, 4, 1))
        payment, _ = payments.take_payment(clerk, home.unit, amount="100.00", method="cash")
    return home, payment


def export(client, kind, project, **query):
    return client.get(reverse("console:fee_export", args=[kind]), {"project": project.pk, **query})


def test_bills_payments_and_receipts_read_back_to_the_fen(client, books, clerk):
    home, payment = books
    client.force_login(clerk)
    rows = next(iter(sheets(export(client, "bills", home.project, month="2027-04")).values()))
    assert len(rows) == 1 + 4  # two homes × property fee and rubbish removal
    mine = [r for r in rows[1:] if r[2] == "王建国"]
    assert {D(str(r[10])) for r in mine} == {D("223.75"), D("10.00")}
    paid = next(iter(sheets(export(client, "payments", home.project, start="2027-05-01", end="2027-05-31")).values()))
    assert len(paid) == 2 and paid[1][1] == payment.receipt.code and D(str(paid[1][6])) == D("100.00")
    assert next(iter(sheets(export(client, "payments", home.project, start="2027-06-01",
                                   end="2027-06-30")).values())) == [paid[0]]
    receipts = next(iter(sheets(export(client, "receipts", home.project, start="2027-05-20",
                                       end="2027-05-20")).values()))
    assert receipts[1][0] == payment.receipt.code and receipts[1][6] == "壹佰元整"


def test_the_arrears_export_ages_each_unit_and_each_building(client, books, clerk):
    home, _payment = books
    with time_machine.travel(dt.datetime(2027, 6, 1, 10, tzinfo=TZ)):
        client.force_login(clerk)
        book = sheets(export(client, "arrears", home.project))
    units, buildings = book.values()
    assert len(units) == 3 and units[2][1] == home.unit.label  # most owed first: the neighbour owes ¥520
    mine = units[2]
    # March 233.75 − 100 paid = 133.75 due 15 Mar (78 days: 31–90); April 233.75 due 15 Apr (47 days: 31–90)
    assert D(str(mine[4])) == D("367.50") and D(str(mine[7])) == D("367.50")
    assert sum(D(str(r[6])) for r in buildings[1:]) == sum(D(str(r[7])) for r in units[1:])


def test_the_daily_close_export_totals_by_method(client, books, clerk):
    home, payment = books
    with time_machine.travel(NOW):
        client.force_login(clerk)
        book = sheets(export(client, "close", home.project))
    rows, by_method = book.values()
    assert rows[1][1] == payment.receipt.code
    cash = next(r for r in by_method[1:] if r[0] in ("现金", "Cash"))
    assert cash[1] == 1 and D(str(cash[2])) == D("100.00")


def test_another_projects_staff_export_only_their_own(client, books, outsider):
    home, _payment = books
    client.force_login(outsider)
    for kind, query in (("bills", {"month": "2027-04"}), ("payments", {"start": "2027-05-01", "end": "2027-05-31"}),
                        ("receipts", {"start": "2027-05-01", "end": "2027-05-31"}), ("arrears", {})):
        for rows in sheets(export(client, kind, home.project, **query)).values():
            assert not any("王建国" in str(c) or "阳光" in str(c) for r in rows for c in r), kind
    assert export(client, "nonsense", home.project).status_code == 404


def test_a_role_without_fees_exports_nothing(client, books):
    from tests.factories import StaffFactory

    home, _payment = books
    client.force_login(StaffFactory(username="tech", role="technician", projects=[home.project]))
    assert export(client, "arrears", home.project).status_code == 403
