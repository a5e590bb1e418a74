"""Fixtures of the fees tests: 阳光花园 with its fee items and standards, a clerk, a cashier, a manager."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from propdesk.billing import runs, standards
from propdesk.billing.models import BillRun, FeeItem
from tests.factories import OccupancyFactory, StaffFactory, UnitFactory

D = Decimal


@pytest.fixture
def clerk(project):
    """The service center's fee clerk (front desk role): standards, runs, the cash desk."""
    return StaffFactory(username="clerk", role="front_desk", projects=[project], first_name="会计", last_name="钱")


@pytest.fixture
def manager(project):
    return StaffFactory(username="pm", role="project_manager", projects=[project], first_name="经理", last_name="周")


@pytest.fixture
def fees(project, clerk):
    """Property fee ¥2.50/m²/month since 2020, rubbish removal ¥10/month, parking ¥300/space/month,
    water ¥3.50/吨 — the items and standards of 阳光花园."""
    prop = standards.save_fee_item(clerk, project, {"code": "property", "name": "物业服务费", "kind": "property",
                                                    "accounting": "property_fee", "sort": 1})
    rubbish = standards.save_fee_item(clerk, project, {"code": "rubbish", "name": "垃圾清运费", "kind": "fixed",
                                                       "accounting": "property_fee", "sort": 2})
    parking = standards.save_fee_item(clerk, project, {"code": "parking", "name": "车位租金", "kind": "parking",
                                                       "accounting": "parking", "sort": 3})
    water = standards.save_fee_item(clerk, project, {"code": "water", "name": "水费", "kind": "metered",
                                                     "accounting": "utilities", "meter_unit": "吨", "sort": 4})
    since = dt.date(2020, 1, 1)
    standards.add_standard(clerk, prop, price="2.50", effective_from=since)
    standards.add_standard(clerk, rubbish, price="10", effective_from=since)
    standards.add_standard(clerk, parking, price="300", effective_from=since)
    standards.add_standard(clerk, water, price="3.50", effective_from=since)
    return SimpleNamespace(project=project, property=prop, rubbish=rubbish, parking=parking, water=water)


@pytest.fixture
def home(occupancy, fees):
    """王建国's 3-2-1201 (89.50 m², owner since 2020) in 阳光花园 with its fee items."""
    return SimpleNamespace(unit=occupancy.unit, owner=occupancy.customer, occupancy=occupancy, fees=fees,
                           project=occupancy.unit.project)


def post_month(actor, project, period: dt.date) -> BillRun:
    """Preview and post a month's run the way the worker does, and return it."""
    run = runs.open_run(actor, project, period)
    runs.start_preview(actor, run)
    runs.preview(run.pk)
    run.refresh_from_db()
    runs.start_posting(actor, run, run.preview["digest"])
    runs.post(run.pk, actor.pk)
    run.refresh_from_db()
    return run


def add_home(project, number: str, *, area="100.00", owner_since=dt.date(2020, 1, 1), name=None, phone=None):
    unit = UnitFactory(building__project=project, building__code=f"B{number}", building__name=f"{number}栋",
                       entrance="1", number=number, floor=int(number[:-2] or 1), area=D(area))
    if owner_since is None:
        return SimpleNamespace(unit=unit, owner=None)
    occupancy = OccupancyFactory(unit=unit, start_date=owner_since,
                                 **({"customer__name": name} if name else {}),
                                 **({"customer__phones": [phone]} if phone else {}))
    return SimpleNamespace(unit=unit, owner=occupancy.customer, occupancy=occupancy)


__all__ = ["post_month", "add_home", "FeeItem", "D"]


from tests.billing.world import fee_world  # noqa: E402,F401  (the access tests' world, a fixture)
