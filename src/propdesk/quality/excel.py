"""The dashboard's figures as an .xlsx workbook: the period's KPIs and their 12-month trend."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from propdesk.core import xlsx

from .kpis import KPIS


def _number(value):
    return float(value) if value is not None else None


def figures_workbook(title: str, period_label: str, values: dict, trend: list) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("KPIs")[:31]
    ws.append([title, period_label])
    ws.append([_("Code"), _("KPI"), _("Value"), _("Unit"), _("Target"), _("Met"), _("Numerator"),
               _("Denominator")])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for code, kpi in KPIS.items():
        v = values.get(code)
        if v is None:
            continue
        met = "" if v.met is None else (_("yes") if v.met else _("no"))
        ws.append([code, str(kpi.name), _number(v.value), kpi.unit, _number(v.target), met,
                   _number(v.numerator), v.denominator])
    ws.column_dimensions["B"].width = 40
    trend_ws = wb.create_sheet(_("Trend")[:31])
    trend_ws.append([_("Month"), *[str(k.name) for k in KPIS.values()]])
    for period, month_values in trend:
        trend_ws.append([period.label, *[_number(month_values[c].value) for c in KPIS]])
    return xlsx.to_bytes(wb)


def evaluation_workbook(title: str, quarter_label: str, rows: list, average) -> bytes:
    """The quarterly staff evaluation: one row per staff member, then the project's averages."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Staff evaluation")[:31]
    ws.append([title, quarter_label])
    ws.append([_("Staff member"), _("Work orders handled"), _("Responded on time (%)"),
               _("Complaints resolved on time (%)"), _("Average owner rating"), _("Callbacks done"),
               _("Complaints naming them"), _("Manager's comment"), _("Final")])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r in rows:
        e = r.evaluation
        ws.append([r.staff.display_name, r.handled, _number(r.response_rate), _number(r.resolution_rate),
                   _number(r.average_rating), r.callbacks, r.complaints_naming, e.manager_comment if e else "",
                   _("yes") if e and e.final else _("no")])
    if average is not None:
        ws.append([_("Project average"), _number(average.handled), _number(average.response_rate),
                   _number(average.resolution_rate), _number(average.average_rating), _number(average.callbacks),
                   _number(average.complaints_naming)])
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["H"].width = 50
    return xlsx.to_bytes(wb)
