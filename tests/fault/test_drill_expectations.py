"""The fault drill expects the emails the product's rules owe, not a fixed set: a project that had
work last month is owed its monthly report in the first days of a month; the drill's new project never."""

import datetime as dt

import pytest
import time_machine

from bench.faults import monthly_report_emails
from propdesk.quality.report import send_monthly_reports
from tests.factories import ProjectFactory, StaffFactory
from tests.notify import conftest as notify_fixtures
from tests.quality.conftest import SH
from tests.quality.test_report import received

smtp_server = notify_fixtures.smtp_server

pytestmark = pytest.mark.django_db


def test_the_drill_expects_the_monthly_reports_owed_and_only_those(project, staff, smtp_server):
    StaffFactory(username="pm1", role="project_manager", projects=[project], email="pm1@example.com")
    newborn = ProjectFactory(code="drill", name="演练花园")
    StaffFactory(username="drill-pm", role="project_manager", projects=[newborn], email="drill@example.com")
    received(project, staff, dt.datetime(2026, 12, 15, 9, 0, tzinfo=SH))
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 5, tzinfo=SH), tick=False):
        owed = monthly_report_emails()
        assert [(e["address"], e["status"], e["monthly_report"]) for e in owed] == [
            ("pm1@example.com", "pending", "2026-12")]
        assert "2026-12" in owed[0]["subject"]
        assert send_monthly_reports() == 1
        assert [e["status"] for e in monthly_report_emails()] == ["sent"]
    with time_machine.travel(dt.datetime(2027, 1, 20, 12, 0, tzinfo=SH), tick=False):
        assert monthly_report_emails() == []  # past the catch-up days nothing is owed
