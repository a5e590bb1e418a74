"""Spreadsheets for the accountants (issue 14, item 9): bills, payments, receipts, arrears, the daily close,
and the published statements. Every .xlsx goes through engage.exports.workbook → core.xlsx.to_bytes (text
stays text). Amounts are written as numbers to the fen, read from Decimal; the reads are the scoped
selectors the pages use, so an export never holds more than its page would show.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.engage.exports import workbook

from . import arrears, payments, selectors, statements
from .models import ChargeLine, Method, Statement

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 200_000


def _local(at, zone) -> dt.datetime | None:
    return timezone.localtime(at, zone).replace(tzinfo=None) if at else None


def bills_xlsx(user, project, period: dt.date) -> bytes:
    """Every line of the month's bills: unit, payer, item, days, quantity × price, amount, still open."""
    bills = selectors.bills_for(user, project.pk, period).values_list("pk", flat=True)
    lines = (ChargeLine.objects.filter(bill_id__in=bills).select_related("bill__payer", "unit__building", "fee_item")
             .order_by("unit__building__code", "unit__entrance", "unit__number", "service_start", "id")[:MAX_ROWS])
    rows = ([f"{x.bill.period:%Y-%m}", x.unit.label, x.bill.payer.name, x.fee_item.name, x.get_kind_display(),
             x.service_start, x.service_end, x.days, x.quantity, x.unit_price, x.amount, x.outstanding, x.due_date]
            for x in lines)
    return workbook(_("Bills"), [_("Month"), _("Unit"), _("Payer"), _("Item"), _("Kind"), _("From"), _("Until"),
                                 _("Days"), _("Quantity"), _("Unit price"), _("Amount"), _("Open"), _("Due")], rows)


def payments_xlsx(user, project, start: dt.date, end: dt.date) -> bytes:
    """Payments received from `start` to `end` (both included, the project's days)."""
    zone = ZoneInfo(project.timezone)
    since = dt.datetime.combine(start, dt.time(), zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
    qs = selectors.payments_for(user, project.pk, since, until).order_by("received_at", "id")[:MAX_ROWS]
    rows = ([_local(p.received_at, zone), p.receipt.code if hasattr(p, "receipt") else "", p.unit.label,
             p.payer_name, p.get_method_display(), p.get_purpose_display(), p.amount, p.unallocated,
             p.reference, p.cashier.get_full_name() if p.cashier else "", _("Void") if hasattr(p, "void") else ""]
            for p in qs)
    return workbook(_("Payments"), [_("Received"), _("Receipt number"), _("Unit"), _("Paid by"), _("Method"),
                                    _("For"), _("Amount"), _("Prepayment"), _("Reference"), _("Cashier"),
                                    _("Status")], rows)


def receipts_xlsx(user, project, start: dt.date, end: dt.date) -> bytes:
    zone = ZoneInfo(project.timezone)
    since = dt.datetime.combine(start, dt.time(), zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
    qs = (selectors.receipts_for(user, project.pk).filter(issued_at__gte=since, issued_at__lt=until)
          .order_by("number")[:MAX_ROWS])
    rows = ([r.code, _local(r.issued_at, zone), r.payer_name, r.unit_label, r.get_method_display(), r.amount,
             r.amount_in_words, r.cashier_name, _("Void") if hasattr(r.payment, "void") else ""] for r in qs)
    return workbook(_("Receipts"), [_("Receipt number"), _("Issued"), _("Paid by"), _("Unit"), _("Method"),
                                    _("Amount"), _("Amount in words"), _("Cashier"), _("Status")], rows)


def arrears_xlsx(user, project, today: dt.date) -> bytes:
    """Every unit in arrears with its ageing, most owed first; a second sheet by building."""
    heads = [_("1–30 days"), _("31–90 days"), _("91–180 days"), _("Over 180 days"), _("Total")]
    keys = ("b30", "b90", "b180", "over180", "total")
    ageing = arrears.overview(user, project.pk, today)
    units = arrears.with_units(ageing.units[:MAX_ROWS], today)
    rows = ([r["unit"].building.name, r["unit"].label, r["oldest"], *(r[k] for k in keys)] for r in units)
    buildings = ([b["name"], b["units"], *(b[k] for k in keys)] for b in ageing.buildings)
    return workbook(_("Arrears"), [_("Building"), _("Unit"), _("Oldest due"), *heads], rows,
                    sheets=[(_("By building"), [_("Building"), _("Units"), *heads], buildings)])


def daily_close_xlsx(project, cashier, day: dt.date) -> bytes:
    """The cashier's day: every payment, and the totals by method (the daily close's figures)."""
    zone = ZoneInfo(project.timezone)
    summary = payments.day_summary(project, cashier, day)
    rows = ([_local(p.received_at, zone), p.receipt.code if hasattr(p, "receipt") else "", p.unit.label,
             p.payer_name, p.get_method_display(), p.amount, _("Void") if hasattr(p, "void") else ""]
            for p in summary["payments"])
    labels = dict(Method.choices)
    totals = [[str(labels[m]), t["count"], t["amount"]] for m, t in summary["totals"].items()]
    totals.append([_("Total"), sum(t["count"] for t in summary["totals"].values()), summary["total"]])
    closed = summary["closed"]
    if closed is not None:
        totals += [[], [_("Cash counted"), "", closed.counted_cash], [_("Difference"), "", closed.difference]]
    return workbook(_("Daily close"), [_("Received"), _("Receipt number"), _("Unit"), _("Paid by"), _("Method"),
                                       _("Amount"), _("Status")], rows,
                    sheets=[(_("By method"), [_("Method"), _("Count"), _("Amount")], totals)])


def statement_xlsx(statement: Statement) -> bytes:
    """A statement as owners and finance read it: income, expense, the balance."""
    figures = statements.totals(statement)
    lines = statement.lines.order_by("side", "sort", "id")
    rows = [[x.get_side_display(), x.category, x.amount, x.note] for x in lines]
    rows += [[], [_("Income"), "", figures["income"], ""], [_("Expense"), "", figures["expense"], ""],
             [_("Balance"), "", figures["balance"], ""]]
    return workbook(f"{statement.project.name} {statement.label}",
                    [_("Income or expense"), _("Category"), _("Amount"), _("Note")], rows)
