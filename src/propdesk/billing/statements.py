"""Income and expense statements (收支报表) published to owners (issue 14, item 7; PRODUCT.md area 4, seed 003
财务透明度; Civil Code art. 943: the property service company regularly reports to owners).

Rules this module enforces:
- Finance (a clerk) enters a project's statement for a month, or imports it from xlsx (收支, 科目, 金额, 备注):
  lines of income and of expense, amounts ≥ 0 as Decimal to the fen. The fee income the ledger knows (what
  was received in the month, by fee item's accounting, special services apart) is offered as a start.
- A draft is edited freely; submitted, it waits for a manager; the manager who approves it is not the
  person who entered it (four eyes). Rejected, it goes back to draft with the reason.
- An approved statement is not edited; the manager publishes it, and from then on every owner of the
  project sees it in the portal (and can download it as .xlsx).
Every change is recorded on the project's timeline in its transaction.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.access import get_scoped, scope

from . import access, excel_import, money, sums
from .models import Allocation, FeeItem, Statement, StatementLine

S = Statement.Status
ZERO = Decimal("0.00")
MAX_LINES = 200


def statements_for(user, project_id: int | None = None):
    access.require_reader(user)
    qs = scope(Statement.objects.select_related("project", "entered_by", "approved_by"), user)
    return qs.filter(project_id=project_id) if project_id else qs


def get_statement(user, statement_id: int) -> Statement:
    access.require_reader(user)
    return get_scoped(Statement.objects.select_related("project__company", "entered_by", "approved_by")
                      .prefetch_related("lines"), user, pk=statement_id)


def _clean_lines(lines: list[dict]) -> list[StatementLine]:
    if not lines:
        raise ValidationError({"lines": _("Enter at least one line of income or expense.")})
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": _("A statement has %(limit)d lines at most.") % {"limit": MAX_LINES}})
    out, errors = [], []
    for n, row in enumerate(lines, start=1):
        side = row.get("side")
        category = (row.get("category") or "").strip()[:60]
        try:
            amount = money.parse_amount(row.get("amount"), allow_zero=True)
        except ValidationError as exc:
            errors.append(_("Line %(n)d: %(problem)s") % {"n": n, "problem": "；".join(exc.messages)})
            continue
        if side not in StatementLine.Side.values:
            errors.append(_("Line %(n)d: choose income or expense.") % {"n": n})
        elif not category:
            errors.append(_("Line %(n)d: enter the category.") % {"n": n})
        else:
            out.append(StatementLine(side=side, category=category, amount=amount,
                                     note=(row.get("note") or "").strip()[:200], sort=n))
    if errors:
        raise ValidationError({"lines": errors})
    return out


def save_statement(actor, project, period: dt.date, lines: list[dict], note: str = "") -> Statement:
    """Enter (or replace the lines of) a project's draft statement for the month. All or nothing."""
    access.require(actor, project.pk, access.clerks())
    if period is None:
        raise ValidationError({"period": _("Choose the month.")})
    period = money.month_start(period)
    rows = _clean_lines(lines)
    now = timezone.now()
    with transaction.atomic():
        statement = Statement.objects.select_for_update().filter(project=project, period=period).first()
        if statement is None:
            try:
                with transaction.atomic():
                    statement = Statement.objects.create(project=project, period=period, entered_by=actor,
                                                         entered_at=now, note=(note or "").strip())
            except IntegrityError as exc:
                raise Conflict(_("Someone entered this month's statement meanwhile; open it again."),
                               code="statement_exists") from exc
        elif statement.status != S.DRAFT:
            raise Conflict(_("This month's statement is %(status)s and is no longer edited.")
                           % {"status": statement.get_status_display()}, code="statement_locked")
        else:
            statement.entered_by, statement.entered_at, statement.note = actor, now, (note or "").strip()
            statement.save(update_fields=["entered_by", "entered_at", "note"])
            statement.lines.all().delete()
        for row in rows:
            row.statement = statement
        StatementLine.objects.bulk_create(rows)
        timeline.record(actor, "billing.statement_saved", Message(
            gettext_noop("Income and expense statement %(month)s entered: income ¥%(income)s, expense ¥%(expense)s"),
            {"month": statement.label, **_totals(rows)}), subjects=[project])
    return statement


def import_statement(actor, project, period: dt.date, fileobj, note: str = "") -> Statement:
    """The same, from a workbook: every bad row is named and nothing is written."""
    access.require(actor, project.pk, access.clerks())
    return save_statement(actor, project, period, excel_import.read_statement_lines(fileobj), note)


def _totals(lines) -> dict[str, str]:
    income = sum((x.amount for x in lines if x.side == StatementLine.Side.INCOME), ZERO)
    expense = sum((x.amount for x in lines if x.side == StatementLine.Side.EXPENSE), ZERO)
    return {"income": f"{income:,.2f}", "expense": f"{expense:,.2f}"}


def totals(statement: Statement) -> dict[str, Decimal]:
    rows = sums.by(statement.lines.order_by(), "side")
    income = rows.get(StatementLine.Side.INCOME, ZERO)
    expense = rows.get(StatementLine.Side.EXPENSE, ZERO)
    return {"income": income, "expense": expense, "balance": income - expense}


def _move(actor, statement: Statement, allowed: tuple, to: str, msgid: str, **fields) -> Statement:
    with transaction.atomic():
        if not Statement.objects.filter(pk=statement.pk, status__in=allowed).update(status=to, **fields):
            raise Conflict(_("This statement was changed meanwhile; open it again."), code="statement_moved")
        statement.refresh_from_db()
        timeline.record(actor, f"billing.statement_{to}", Message(msgid, {"month": statement.label}),
                        subjects=[statement.project])
    return statement


def submit(actor, statement: Statement) -> Statement:
    """Finance hands the draft to the manager for approval."""
    access.require(actor, statement.project_id, access.clerks())
    if not statement.lines.exists():
        raise ValidationError({"lines": _("Enter at least one line of income or expense.")})
    return _move(actor, statement, (S.DRAFT,), S.SUBMITTED,
                 gettext_noop("Statement %(month)s submitted for approval"))


def decide(actor, statement: Statement, *, approve: bool, note: str = "") -> Statement:
    """A manager other than the one who entered it approves the statement, or sends it back with a reason."""
    access.require(actor, statement.project_id, access.approvers())
    if actor.pk == statement.entered_by_id:
        raise PermissionDenied("a statement is approved by someone else")
    if approve:
        return _move(actor, statement, (S.SUBMITTED,), S.APPROVED,
                     gettext_noop("Statement %(month)s approved"), approved_by=actor, approved_at=timezone.now())
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Give the reason for sending it back.")})
    statement = _move(actor, statement, (S.SUBMITTED,), S.DRAFT, gettext_noop("Statement %(month)s sent back"))
    with transaction.atomic():
        timeline.record(actor, "billing.statement_returned", note[:300], subjects=[statement.project])
    return statement


def publish(actor, statement: Statement) -> Statement:
    """The manager publishes an approved statement to every owner of the project (portal)."""
    access.require(actor, statement.project_id, access.approvers())
    return _move(actor, statement, (S.APPROVED,), S.PUBLISHED,
                 gettext_noop("Statement %(month)s published to the owners"), published_at=timezone.now())


def fee_income(project, period: dt.date) -> list[dict]:
    """What the ledger received in the month for charges, by how the fee items are accounted (property
    fees, parking, utilities, special services kept apart, …): lines to start a statement with."""
    start = money.month_start(period)
    zone = ZoneInfo(project.timezone)
    since = dt.datetime.combine(start, dt.time(), zone)
    until = dt.datetime.combine(money.next_month(start), dt.time(), zone)
    rows = sums.by(Allocation.objects.filter(project=project, payment__isnull=False, at__gte=since, at__lt=until)
                   .order_by(), "line__fee_item__accounting")
    labels = dict(FeeItem.Accounting.choices)
    return [{"side": StatementLine.Side.INCOME, "category": str(labels.get(key, key)), "amount": amount, "note": ""}
            for key, amount in sorted(rows.items()) if amount]
