"""The fees demo loader on a small 阳光花园 (the whole demo is loaded once, by tests/affairs/test_demo.py)."""

import datetime as dt

import pytest

from propdesk.billing import reconcile
from propdesk.billing.demo import load_billing_demo
from propdesk.billing.models import Bill, Payment, Reminder, Statement
from tests.factories import BuildingFactory, OccupancyFactory, ProjectFactory, StaffFactory, UnitFactory

NOW = dt.datetime(2027, 6, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.mark.django_db
def test_the_demo_bills_pays_reminds_and_reconciles(time_machine):
    time_machine.move_to(NOW, tick=False)
    project = ProjectFactory(code="sunshine", name="阳光花园")
    StaffFactory(username="desk", role="front_desk", projects=[project])
    StaffFactory(username="manager", role="project_manager", projects=[project])
    buildings = [BuildingFactory(project=project, code=c, name=f"{c}栋") for c in ("1", "2")]
    for n in range(24):
        unit = UnitFactory(building=buildings[n // 12], entrance="1", number=f"{n + 1:02d}01", floor=n + 1)
        OccupancyFactory(unit=unit, start_date=dt.date(2020, 5, 1))
    summary = load_billing_demo(NOW)
    assert summary.startswith("fees: 5 fee items, 24 homes billed for 2027-04 and 2027-05")
    assert Bill.objects.filter(project=project).count() == 48
    assert Payment.objects.filter(project=project).exists() and Reminder.objects.filter(project=project).exists()
    assert Statement.objects.get(project=project).status == Statement.Status.PUBLISHED
    assert reconcile.check_project(project.pk) == []
    assert load_billing_demo(NOW) == "fees: nothing to do"
