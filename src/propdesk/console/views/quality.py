"""The quality dashboard (PRODUCT.md area 7): a project's or the company's KPIs for a month, a quarter
or a custom range, each with its target, its 12-month trend and a drill-down to the work orders behind
it; the same figures as .xlsx, and a project's monthly report as a PDF. Every figure comes from
propdesk.quality.kpis."""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode

from propdesk.org.selectors import get_project, projects_for
from propdesk.quality import periods, report
from propdesk.quality import selectors as quality
from propdesk.quality.excel import figures_workbook
from propdesk.quality.kpis import KPIS

from ..decorators import staff_view
from ..forms_quality import QualityFilterForm
from .transfer import xlsx_response

ECHARTS = "vendor/echarts.min.js"


def _selection(request):
    form = QualityFilterForm(request.GET, user=request.user, projects=projects_for(request.user))
    values = form.values()
    scope = None
    if values["project_id"] is not None or form.company:
        scope = quality.scope_for(request.user, values["project_id"])
    return form, scope, values["period"]


def drill_url(form, scope, period, code) -> str:
    query = {"kpi": code, **{f"kpi_{k}": v for k, v in form.query(
        scope.project.pk if scope.project else None, period).items()}}
    return reverse("console:queue") + "?" + urlencode(query)


@staff_view
def dashboard(request):
    form, scope, period = _selection(request)
    context = {"form": form, "scope": scope, "period": period,
               "echarts": bool(finders.find(ECHARTS)), "echarts_path": ECHARTS}
    if scope is not None:
        values = quality.figures(scope, period)
        trend = quality.trend(scope, period)
        context["rows"] = [(kpi, values[code], drill_url(form, scope, period, code)) for code, kpi in KPIS.items()]
        context["trend"] = trend
        context["trend_rows"] = [(kpi, [v[code].value for _p, v in trend]) for code, kpi in KPIS.items()]
        context["chart"] = {
            "months": [p.label for p, _v in trend],
            "series": [{"code": code, "name": str(kpi.name), "target": _num(values[code].target),
                        "values": [_num(v[code].value) for _p, v in trend]} for code, kpi in KPIS.items()],
        }
        context["export_query"] = urlencode(form.query(scope.project.pk if scope.project else None, period))
        if scope.project is not None:  # the monthly report of the period's (last) month
            month = period.first if period.kind == periods.MONTH else period.last
            context["report_query"] = urlencode({"project": scope.project.pk, "month": f"{month:%Y-%m}"})
    return render(request, "console/quality/dashboard.html", context)


@staff_view
def export(request):
    form, scope, period = _selection(request)
    if scope is None:
        values, trend, title = {}, [], ""
        return xlsx_response(figures_workbook(title, period.label, values, trend), "kpis.xlsx")
    values = quality.figures(scope, period)
    trend = quality.trend(scope, period)
    title = scope.project.name if scope.project else str(form.fields["project"].choices[0][1])
    name = f"kpis-{scope.project.code if scope.project else 'company'}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.xlsx"
    return xlsx_response(figures_workbook(title, period.label, values, trend), name)


@staff_view
def report_pdf(request):
    """One of the user's projects' monthly report for any month (?project=&month=YYYY-MM), built now."""
    project_id = request.GET.get("project", "")
    project = get_project(request.user, int(project_id) if project_id.isdigit() else 0)
    period = periods.parse(periods.MONTH, request.GET.get("month"), today=quality.today_in(
        quality.Scope(project, [project.pk], project.timezone)))
    pdf = report.build_monthly_report(project, period.first.year, period.first.month)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=report.report_filename(project, period))
    return response


def _num(value):
    return float(value) if value is not None else None
