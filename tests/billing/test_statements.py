"""Income and expense statements (收支报表): entered or imported by finance, approved by another person (a
manager), published to the project's owners in the portal (issue 14, item 7)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from propdesk.billing import payments, statements
from propdesk.billing.models import Statement, StatementLine
from propdesk.core import xlsx
from propdesk.core.errors import Conflict
from tests.billing.conftest import post_month
from tests.factories import StaffFactory
from tests.portal.conftest import sign_in

pytestmark = pytest.mark.django_db
D = Decimal
MARCH = dt.date(2027, 3, 1)
TZ = dt.timezone(dt.timedelta(hours=8))
LINES = [{"side": "income", "category": "物业服务费", "amount": "120000.50"},
         {"side": "income", "category": "公共收益（广告位）", "amount": "8000"},
         {"side": "expense", "category": "保洁外包", "amount": "45000.25", "note": "含垃圾清运"}]


def _workbook(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["收支", "科目", "金额", "备注"])
    for row in rows:
        sheet.append(row)
    return io.BytesIO(xlsx.to_bytes(book))


def test_a_statement_is_entered_approved_by_another_and_published(project, clerk, manager):
    statement = statements.save_statement(clerk, project, dt.date(2027, 3, 17), LINES, note="三月账目")
    assert statement.period == MARCH and statement.status == Statement.Status.DRAFT
    assert statements.totals(statement) == {"income": D("128000.50"), "expense": D("45000.25"),
                                            "balance": D("83000.25")}
    statements.submit(clerk, statement)
    with pytest.raises(PermissionDenied):
        statements.decide(clerk, statement, approve=True)  # a clerk does not approve
    own = StaffFactory(username="pm2", role="project_manager", projects=[project])
    mine = statements.save_statement(own, project, dt.date(2027, 4, 1), LINES)
    statements.submit(own, mine)
    with pytest.raises(PermissionDenied):
        statements.decide(own, mine, approve=True)  # nor does the manager who entered it
    with pytest.raises(Conflict):
        statements.publish(manager, statement)  # not approved yet
    statements.decide(manager, statement, approve=True)
    with pytest.raises(Conflict):
        statements.save_statement(clerk, project, MARCH, LINES[:1])  # approved: not edited
    published = statements.publish(manager, statement)
    assert published.status == Statement.Status.PUBLISHED and published.published_at is not None
    assert StatementLine.objects.filter(statement=statement).count() == 3


def test_sent_back_with_a_reason_it_is_a_draft_again(project, clerk, manager):
    statement = statements.save_statement(clerk, project, MARCH, LINES)
    statements.submit(clerk, statement)
    with pytest.raises(ValidationError):
        statements.decide(manager, statement, approve=False, note=" ")
    assert statements.decide(manager, statement, approve=False, note="保洁费有误").status == Statement.Status.DRAFT
    statements.save_statement(clerk, project, MARCH, LINES[:2])
    assert statement.lines.count() == 2


@pytest.mark.parametrize(("rows", "problem"), [
    ([{"side": "income", "category": "物业服务费", "amount": "-5"}], "Line 1"),
    ([{"side": "income", "category": "物业服务费", "amount": "十元"}], "Line 1"),
    ([LINES[0], {"side": "expense", "category": " ", "amount": "5"}], "Line 2"),
    ([LINES[0], {"side": "other", "category": "x", "amount": "5"}], "Line 2"),
    ([], "line"),
])
def test_bad_lines_are_refused_and_nothing_is_written(project, clerk, rows, problem):
    with pytest.raises(ValidationError):
        statements.save_statement(clerk, project, MARCH, rows)
    assert not Statement.objects.exists() and not StatementLine.objects.exists()


def test_a_statement_is_imported_from_xlsx_or_refused_with_every_bad_row(project, clerk):
    good = _workbook([["收入", "物业服务费", 120000.5, ""], ["支出", "电梯维保", "3,600.00", "两台"]])
    statement = statements.import_statement(clerk, project, MARCH, good)
    assert [(x.side, x.category, x.amount) for x in statement.lines.order_by("sort")] == [
        ("income", "物业服务费", D("120000.50")), ("expense", "电梯维保", D("3600.00"))]
    bad = _workbook([["收入", "物业服务费", "abc", ""], ["其他", "x", 1, ""], ["支出", "", 5, ""]])
    with pytest.raises(ValidationError) as exc:
        statements.import_statement(clerk, project, dt.date(2027, 4, 1), bad)
    text = " ".join(exc.value.messages)
    assert "2" in text and "3" in text and "4" in text
    assert Statement.objects.count() == 1


def test_the_fee_income_of_the_month_starts_a_statement(home, clerk):
    with time_machine.travel(dt.datetime(2027, 3, 20, 10, tzinfo=TZ)):
        post_month(clerk, home.project, MARCH)
        payments.take_payment(clerk, home.unit, amount="233.75", method="cash")
    income = statements.fee_income(home.project, MARCH)
    assert {x["amount"] for x in income} == {D("233.75")}
    assert statements.fee_income(home.project, dt.date(2027, 4, 1)) == []


def test_the_console_and_the_portal_show_the_statement(client, occupancy, clerk, manager):
    project = occupancy.unit.project
    client.force_login(clerk)
    response = client.post(reverse("console:fee_statements"), {"project": project.pk, "month": "2027-03"})
    statement = Statement.objects.get(project=project)
    assert response["Location"] == reverse("console:fee_statement", args=[statement.pk])
    url = reverse("console:fee_statement", args=[statement.pk])
    bad = client.post(url, {"action": "save", "side": ["income"], "category": ["物业服务费"], "amount": ["-1"]})
    assert bad.status_code == 422
    client.post(url, {"action": "save", "side": ["income", "expense", "income"],
                      "category": ["物业服务费", "保洁外包", ""], "amount": ["1000", "400.5", ""],
                      "line_note": ["", "", ""], "note": "欢迎监督"})
    client.post(url, {"action": "submit"})
    client.force_login(manager)
    client.post(url, {"action": "approve"})
    client.post(url, {"action": "publish"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED
    assert "¥599.50" in client.get(url).content.decode()

    client.logout()
    sign_in(client, "13812345678")
    assert "2027-03" in client.get(reverse("portal:fee_statements")).content.decode()
    body = client.get(reverse("portal:fee_statement", args=[statement.pk])).content.decode()
    assert "保洁外包" in body and "599.50" in body and "欢迎监督" in body
    sheet = load_workbook(io.BytesIO(client.get(reverse("portal:fee_statement_xlsx", args=[statement.pk])).content))
    values = [c for row in sheet.active.iter_rows(values_only=True) for c in row]
    assert "保洁外包" in values and 599.5 in values


def test_a_draft_is_not_shown_to_owners(client, occupancy, clerk):
    statement = statements.save_statement(clerk, occupancy.unit.project, MARCH, LINES)
    sign_in(client, "13812345678")
    assert client.get(reverse("portal:fee_statement", args=[statement.pk])).status_code == 404
    assert "2027-03" not in client.get(reverse("portal:fee_statements")).content.decode()
