"""The monthly report (月报): a Chinese PDF, emailed over real SMTP on the 1st to each project's managers,
once; and downloadable from the quality dashboard for any month, for one's own projects only."""

import datetime as dt
import email
import email.policy
import shutil
import subprocess

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from propdesk.core.timeline import events_for
from propdesk.quality import periods
from propdesk.quality.kpis import KPIS
from propdesk.quality.models import MonthlyReport
from propdesk.quality.report import (
    build_monthly_report,
    had_work,
    render_html,
    reports_owed,
    send_monthly_reports,
)
from propdesk.service import services
from propdesk.service.transitions import transition
from tests.factories import ProjectFactory, StaffFactory, UnitFactory
from tests.notify import conftest as notify_fixtures
from tests.quality.conftest import NOW, SH

smtp_server = notify_fixtures.smtp_server  # the real local SMTP server of the notify tests

NOV_1, NOV_2 = dt.date(2026, 11, 1), dt.date(2026, 11, 2)


def pdf_text(pdf: bytes, tmp_path) -> str | None:
    """The PDF's text through poppler's pdftotext, or None where poppler-utils is missing."""
    if shutil.which("pdftotext") is None:
        return None
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def zh(text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _parsed(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def received(project, staff, when, cancelled=False):
    """A work order received by `staff` at `when` (cancelled at once if asked)."""
    with time_machine.travel(when, tick=False):
        wo, _ = services.create_work_order(staff, project=project, kind="repair_home", channel="hotline",
                                           description="厨房水龙头滴水", location="1栋大堂",
                                           unit=UnitFactory(building__project=project))
        if cancelled:
            transition(staff, wo, "cancel", note="业主自行处理")
    return wo


@pytest.fixture
def october_work(project, staff):
    """The project had work in October 2026: one work order received on the 20th."""
    return received(project, staff, dt.datetime(2026, 10, 20, 10, 0, tzinfo=SH))


@pytest.fixture
def managers(project, october_work):
    """Two managers with an address; no mail for one without, an inactive one, a front-desk operator
    or a manager of another project. The project had work in October, so its report is owed."""
    return [
        StaffFactory(username="pm1", role="project_manager", projects=[project], email="pm1@example.com"),
        StaffFactory(username="pm2", role="project_manager", projects=[project], email="pm2@example.com"),
        StaffFactory(username="pm3", role="project_manager", projects=[project], email=""),
        StaffFactory(username="pm4", role="project_manager", projects=[project], email="gone@example.com",
                     is_active=False),
        StaffFactory(username="desk2", role="front_desk", projects=[project], email="desk@example.com"),
    ]


# -- the PDF ---------------------------------------------------------------------------------------


def test_the_pdf_shows_the_project_the_month_and_every_kpi_in_chinese(kpi_world, tmp_path):
    project = kpi_world.project
    with time_machine.travel(NOW, tick=False):
        pdf = build_monthly_report(project, 2026, 10)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    if text is None:
        pytest.skip("pdftotext (Debian's poppler-utils) is missing: the PDF's text is not checked")
    fonts = subprocess.run(["pdffonts", str(tmp_path / "report.pdf")], capture_output=True, check=True,
                           text=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts  # the CJK font is embedded, not a fallback
    assert project.name in text and "2026-10" in text
    for kpi in KPIS.values():
        assert zh(kpi.name) in text, kpi.code
    assert "60.0 %" in text and "3 / 5" in text and "166.67" in text  # October's figures (conftest)
    assert "2025-11" in text and "2026-09" in text  # the 12-month trend


def test_the_html_has_every_figure_and_the_font_in_page_margins_too(kpi_world):
    with time_machine.travel(NOW, tick=False):
        html = render_html(kpi_world.project, 2026, 10)
    assert "data-empty-month" not in html  # October had work
    assert html.count('font-family: "Noto Sans CJK SC"') >= 3  # body, header and page-number boxes
    assert "counter(page)" in html
    assert html.count('data-kpi="') == len(KPIS)
    assert html.count("<tr><th>20") == 12


# -- the monthly send --------------------------------------------------------------------------------


def test_on_the_1st_each_manager_gets_the_pdf_once(project, managers, smtp_server):
    assert send_monthly_reports(today=NOV_1) == 2
    assert sorted(rcpt for m in smtp_server.messages for rcpt in m.rcpt_tos) == [
        "pm1@example.com", "pm2@example.com"]
    for envelope in smtp_server.messages:
        message = _parsed(envelope)
        assert project.name in message["Subject"] and "2026-10" in message["Subject"]
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == "monthly-report-sunny-2026-10.pdf"
        assert attachment.get_content().startswith(b"%PDF")
    report = MonthlyReport.objects.get(project=project)
    assert report.month == dt.date(2026, 10, 1) and report.sent_at is not None
    assert sorted(report.recipients) == ["pm1@example.com", "pm2@example.com"]
    assert events_for(project).filter(verb="quality.monthly_report_sent").count() == 1

    assert send_monthly_reports(today=NOV_1) == 0  # the scheduler runs it again the same day
    assert send_monthly_reports(today=NOV_2) == 0  # and the next day
    assert len(smtp_server.messages) == 2
    assert MonthlyReport.objects.count() == 1


def test_a_project_without_managers_sends_nothing(project, smtp_server):
    StaffFactory(username="pm0", role="project_manager", projects=[project], email="")
    assert send_monthly_reports(today=NOV_1) == 0
    assert smtp_server.messages == [] and not MonthlyReport.objects.exists()


def test_nothing_happens_after_the_1st_once_last_month_is_sent(project, managers, smtp_server):
    send_monthly_reports(today=NOV_1)
    for day in (2, 5, 20):
        assert send_monthly_reports(today=dt.date(2026, 11, day)) == 0
    assert len(smtp_server.messages) == 2


def test_a_worker_down_on_the_1st_catches_up_on_the_2nd(project, managers, smtp_server):
    assert send_monthly_reports(today=dt.date(2026, 10, 20)) == 0  # mid-month: nothing due
    assert send_monthly_reports(today=NOV_2) == 2  # the 1st was missed: October is still unsent
    assert send_monthly_reports(today=dt.date(2026, 11, 3)) == 0
    assert MonthlyReport.objects.get().month == dt.date(2026, 10, 1)
    assert send_monthly_reports(today=dt.date(2026, 12, 20)) == 0  # past the catch-up days: November waits


def test_a_refused_delivery_is_retried_and_only_the_missing_managers_are_mailed(project, managers, smtp_server):
    smtp_server.refuse = True
    assert send_monthly_reports(today=NOV_1) == 0  # logged; the other projects would go on
    report = MonthlyReport.objects.get()
    assert report.sent_at is None and report.sending_since is None and report.recipients == []
    smtp_server.refuse = False
    assert send_monthly_reports(today=NOV_2) == 2
    assert len(smtp_server.messages) == 2


def test_any_month_can_be_sent_on_demand(project, managers, smtp_server):
    assert send_monthly_reports(today=dt.date(2026, 11, 17), month=periods.month(2026, 6)) == 2
    assert "2026-06" in _parsed(smtp_server.messages[0])["Subject"]
    assert send_monthly_reports(month=periods.month(2026, 6)) == 0


def test_a_month_without_work_gets_no_report(project, staff, smtp_server):
    """A project created after October, or one that received nothing in October (cancelled work does
    not count), is owed no October report: nothing is built, nothing is mailed."""
    StaffFactory(username="pm1", role="project_manager", projects=[project], email="pm1@example.com")
    received(project, staff, dt.datetime(2026, 10, 8, 9, 0, tzinfo=SH), cancelled=True)
    received(project, staff, dt.datetime(2026, 11, 1, 0, 5, tzinfo=SH))  # November's (16:05 UTC, 31 Oct)
    received(project, staff, dt.datetime(2026, 9, 30, 23, 55, tzinfo=SH))  # September's
    assert not had_work(project, periods.month(2026, 10)) and had_work(project, periods.month(2026, 9))
    assert send_monthly_reports(today=NOV_1) == 0
    assert smtp_server.messages == [] and not MonthlyReport.objects.exists()
    received(project, staff, dt.datetime(2026, 10, 31, 23, 55, tzinfo=SH))  # October's, late on the 31st
    assert [(p.code, m.label) for p, m in reports_owed(today=NOV_2)] == [("sunny", "2026-10")]
    assert send_monthly_reports(today=NOV_2) == 1


def test_a_project_created_today_is_owed_nothing_on_the_1st_in_any_month(project, staff):
    """The fault drill's case: a project born minutes ago, on the 1st at 00:05 local time (the previous
    day in UTC), has no month behind it to report on."""
    new = ProjectFactory(code="newborn", name="新建花园")
    for first in (dt.datetime(2027, 1, 1, 0, 5, tzinfo=SH), dt.datetime(2028, 3, 1, 0, 5, tzinfo=SH)):
        with time_machine.travel(first, tick=False):
            assert [p for p, _m in reports_owed() if p == new] == []


def test_a_month_without_work_downloads_a_report_that_says_so(project):
    html = render_html(project, 2026, 10, now=NOW)
    with translation.override(settings.LANGUAGE_CODE):
        assert "data-empty-month" in html and "本月没有受理工单" in html


def test_the_periodic_job_is_registered():
    from propdesk.service.management.commands.scheduler import periodic_jobs

    assert "propdesk.quality.tasks.send_monthly_reports" in {job.module_path for job, _every in periodic_jobs()}


# -- the console download ------------------------------------------------------------------------------


def test_the_dashboard_offers_the_month_report_and_it_downloads(client, project, managers, tmp_path):
    client.force_login(managers[0])
    html = client.get(reverse("console:quality"), {"project": project.pk, "period": "month",
                                                   "month": "2026-10"}).content.decode()
    url = reverse("console:quality_report") + f"?project={project.pk}&amp;month=2026-10"
    assert f'href="{url}"' in html
    response = client.get(reverse("console:quality_report"), {"project": project.pk, "month": "2026-10"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="monthly-report-sunny-2026-10.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    assert text is None or (project.name in text and "2026-10" in text)


def test_the_download_is_scoped_to_ones_projects(client, project, outsider):
    client.force_login(outsider)
    url = reverse("console:quality_report")
    assert client.get(url, {"project": project.pk, "month": "2026-10"}).status_code == 404
    assert client.get(url, {"month": "2026-10"}).status_code == 404
    client.logout()
    assert client.get(url, {"project": project.pk}).status_code == 302  # to the login page
