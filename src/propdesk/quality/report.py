"""The monthly report (月报): a project's KPIs for a calendar month and their 12-month trend, as a PDF.

`build_monthly_report()` renders quality/report.html and turns it into a PDF with WeasyPrint; the text
is Chinese (settings.LANGUAGE_CODE), set in Noto Sans CJK SC (Debian's fonts-noto-cjk; see
scripts/system-deps.sh), page margin boxes included.

`send_monthly_reports()` is the background worker's monthly job: on the 1st of a month it builds last
month's report of every project that had work that month and emails it, as an attachment, to the
project's managers (active project managers assigned to the project, with an email address). Once per
project and month: the MonthlyReport row is unique per (project, month) and claimed by a conditional
UPDATE before any mail leaves, and it records which addresses were already mailed. If the worker was
down on the 1st, the first run of the next CATCH_UP_DAYS days sends what is still unsent.

Which months are owed a report (`reports_owed()`, the one place of the rule): a project is owed the
report of month M when it *had work* in M — at least one counted work order (not cancelled, not a
merged duplicate) received in M, in the project's time zone. A project created after M, or one that
received nothing in M, is owed nothing for M: an empty report is never mailed. A report downloaded
on demand for such a month says that the month had no work orders.
"""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop

from propdesk.core.css import css_string
from propdesk.core.timeline import Message, record
from propdesk.notify.backends import message_id
from propdesk.org.models import Project, User
from propdesk.service.models import WorkOrder

from . import kpis, periods
from .models import KpiTarget, MonthlyReport

logger = logging.getLogger(__name__)

# After the 1st, how many days the job keeps looking for last month's reports still unsent.
CATCH_UP_DAYS = 7
# A claim older than this is a run that died half-way: another run may take the row over.
STALE_CLAIM = dt.timedelta(hours=1)
PDF = "application/pdf"


def _page_label() -> tuple[str, str]:
    """The text before and after the page number ("第 " and " 页" in Chinese)."""
    marker = "\x00"
    before, _sep, after = (gettext("Page %(page)s") % {"page": marker}).partition(marker)
    return before, after


def report_context(project, period: periods.Period, now: dt.datetime | None = None) -> dict:
    """What the report shows: the month's KPIs (value, numerator/denominator, target, met) and the
    12 calendar months ending with it."""
    now = now or timezone.now()
    targets = dict(KpiTarget.objects.filter(project_id=project.pk).values_list("code", "target"))
    start, end = period.bounds(project.timezone)
    values = kpis.compute([project.pk], start, end, targets=targets, now=now)
    months = periods.trailing_months(period.last, 12)
    trend = kpis.compute_months([project.pk], months, project.timezone, targets=targets, now=now)
    before, after = _page_label()
    header = f"{project.name} · {gettext('Monthly report')} · {period.label}"
    return {
        "project": project, "period": period, "language": translation.get_language(),
        "had_work": had_work(project, period),
        "built_at": timezone.localtime(now, ZoneInfo(project.timezone)),
        "rows": [(kpi, values[code]) for code, kpi in kpis.KPIS.items()],
        "kpis": list(kpis.KPIS.values()),
        "trend": [(p.label, [month[code].value for code in kpis.KPIS]) for p, month in zip(months, trend, strict=True)],
        "page_before": mark_safe(css_string(before)), "page_after": mark_safe(css_string(after)),  # noqa: S308
        "header_text": mark_safe(css_string(header)),  # noqa: S308
    }


def render_html(project, year: int, month: int, now: dt.datetime | None = None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("quality/report.html", report_context(project, periods.month(year, month), now))


def build_monthly_report(project, year: int, month: int, now: dt.datetime | None = None) -> bytes:
    """The PDF (bytes) of `project`'s report for the calendar month `year`-`month`, in Chinese."""
    from weasyprint import HTML  # heavy (Pango, fonts): loaded only when a report is built

    return HTML(string=render_html(project, year, month, now)).write_pdf()


def report_filename(project, period: periods.Period) -> str:
    return f"monthly-report-{project.code}-{period.first:%Y-%m}.pdf"


# -- the monthly send ----------------------------------------------------------------------------


def managers_of(project):
    """Who gets the report: active project managers assigned to the project, with an email address."""
    return User.objects.filter(projects=project, role=User.Role.PROJECT_MANAGER, is_active=True).exclude(
        Q(email="") | Q(email__isnull=True)).order_by("pk")


def previous_month(day: dt.date) -> periods.Period:
    first = day.replace(day=1) - dt.timedelta(days=1)
    return periods.month(first.year, first.month)


def had_work(project, period: periods.Period) -> bool:
    """Whether `project` received at least one counted work order in `period` (its local time)."""
    start, end = period.bounds(project.timezone)
    return WorkOrder.objects.filter(project=project, received_at__gte=start, received_at__lt=end).exclude(
        state__in=kpis.NOT_COUNTED).exists()


def reports_owed(today: dt.date | None = None, *, month: periods.Period | None = None):
    """The (project, month) pairs whose report the monthly job owes the managers, sent or not.

    Without `month`: last month, on the 1st of a month (in each project's time zone) and the
    CATCH_UP_DAYS after, for each project that had work last month; nothing on other days. With
    `month` (on demand): that month, for every project.
    """
    for project in Project.objects.order_by("pk"):
        if month is not None:
            yield project, month
            continue
        local_today = today or timezone.localdate(timezone=ZoneInfo(project.timezone))
        if local_today.day > 1 + CATCH_UP_DAYS:
            continue
        period = previous_month(local_today)
        if had_work(project, period):
            yield project, period


def send_monthly_reports(today: dt.date | None = None, *, month: periods.Period | None = None) -> int:
    """Email each project's report owed for last month (or for `month`) to its managers; return how
    many emails were sent. Running it again sends nothing more (see `reports_owed()` for the rule)."""
    sent = 0
    for project, period in reports_owed(today, month=month):
        try:
            sent += send_report(project, period)
        except Exception:  # one project's failure must not stop the others; the next run retries it
            logger.exception("monthly report of %s for %s not sent", project.code, period.label)
    return sent


def send_report(project, period: periods.Period) -> int:
    """Build (once) and email `project`'s report for `period` to the managers not yet mailed."""
    if MonthlyReport.objects.filter(project=project, month=period.first, sent_at__isnull=False).exists():
        return 0
    managers = list(managers_of(project))
    if not managers:
        return 0
    report = _report_row(project, period)
    now = timezone.now()
    claimed = MonthlyReport.objects.filter(pk=report.pk, sent_at__isnull=True).filter(
        Q(sending_since__isnull=True) | Q(sending_since__lt=now - STALE_CLAIM)).update(sending_since=now)
    if not claimed:
        return 0  # another run is sending it
    report.refresh_from_db()
    done = list(report.recipients)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            sent = _mail(project, period, report, [m for m in managers if m.email.strip() not in done], done)
    finally:
        MonthlyReport.objects.filter(pk=report.pk).update(recipients=done, sending_since=None)
    with transaction.atomic():
        MonthlyReport.objects.filter(pk=report.pk).update(sent_at=timezone.now())
        record(None, "quality.monthly_report_sent", Message(
            gettext_noop("Monthly report %(month)s emailed to %(count)s managers"),
            {"month": period.label, "count": len(done)}), [project])
    return sent


def _report_row(project, period: periods.Period) -> MonthlyReport:
    """The month's row, building its PDF the first time (a concurrent run's row wins the race)."""
    report = MonthlyReport.objects.filter(project=project, month=period.first).first()
    if report is not None:
        return report
    pdf = build_monthly_report(project, period.first.year, period.first.month)
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(project=project, month=period.first, pdf=pdf,
                                                built_at=timezone.now())
    except IntegrityError:
        return MonthlyReport.objects.get(project=project, month=period.first)


def report_subject(project, period: periods.Period) -> str:
    """The email's subject, in the active language."""
    return gettext("%(project)s monthly report %(month)s") % {"project": project.name, "month": period.label}


def _mail(project, period, report, managers, done: list) -> int:
    """One email per manager (the mailer of settings.MAILERS); each address joins `done` once sent."""
    if not managers:
        return 0
    subject = report_subject(project, period)
    body = gettext(
        "Attached is the monthly report of %(project)s for %(month)s: the month's KPIs with their targets "
        "and the 12-month trend.") % {"project": project.name, "month": period.label}
    sent = 0
    for manager in managers:
        address = manager.email.strip()
        # The same Message-ID on a second attempt (a run that died after sending, before noting it).
        message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address],
                               headers={"Message-ID": message_id("monthly-report", report.pk, manager.pk)})
        message.attach(report_filename(project, period), bytes(report.pdf), PDF)
        message.send(fail_silently=False)
        done.append(address)
        sent += 1
    return sent
