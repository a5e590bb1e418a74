"""Fixtures of the fuzzed API run: a project with seeded data, a manager's token, an owner's session."""

import datetime as dt
from importlib import import_module

import pytest
from django.conf import settings
from django.core import signals
from django.db import close_old_connections

from propdesk.archive.owners import SESSION_KEY
from propdesk.org.models import Department
from propdesk.org.services import issue_api_token
from propdesk.service import services as service_services
from propdesk.wsgi import application
from tests.factories import BuildingFactory, CustomerFactory, OccupancyFactory, StaffFactory, UnitFactory

PASSWORD = "correct-horse-9"
OWNER_PHONE = "13812345678"


@pytest.fixture
def in_process_wsgi():
    """Call the WSGI application inside the test's transaction.

    Django closes "old" connections when a request starts and finishes; inside the test's atomic
    block that would end the transaction. Django's test client disconnects the same handler.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


class World:
    """The seeded objects; `aim()` points generated ids at them so most requests reach real rows."""

    def __init__(self, ids: dict[str, list[int]]):
        self.ids = ids

    def _real(self, name: str, value):
        pool = self.ids.get(name)
        as_text = isinstance(value, str)  # path parameters come as text
        number = int(value) if as_text and value.isascii() and value.isdigit() and len(value) < 19 else value
        if not pool or isinstance(number, bool) or not isinstance(number, int) or number < 1 or number % 4 == 0:
            return value  # keep some ids that name nothing (404) and every invalid value
        real = pool[number % len(pool)]
        return str(real) if as_text else real

    def aim(self, case) -> None:
        if case.path_parameters:
            case.path_parameters = {k: self._real(k.removesuffix("_id"), v)
                                    for k, v in case.path_parameters.items()}
        if isinstance(case.query, dict) and case.query:
            case.query = {k: self._real(k, v) for k, v in case.query.items()}
        if isinstance(case.body, dict) and case.body:
            case.body = {k: self._real(k, v) for k, v in case.body.items()}


@pytest.fixture
def fuzz_world(db, in_process_wsgi):
    """A manager of a project with buildings, units, customers, occupancies and work orders."""
    from tests.factories import ProjectFactory

    project = ProjectFactory(code="fuzz", name="模糊测试小区")
    manager = StaffFactory(username="fuzz-manager", role="project_manager", projects=[project],
                           first_name="周经理")
    department = Department.objects.create(project=project, code="engineering", name="工程部")
    tech = StaffFactory(username="fuzz-tech", role="technician", projects=[project], first_name="李师傅")
    tech.departments.set([department])
    buildings, units, customers, occupancies, orders = [], [], [], [], []
    for b in range(2):
        building = BuildingFactory(project=project, code=f"F{b}", name=f"{b + 1}栋")
        buildings.append(building)
        for u in range(2):
            unit = UnitFactory(building=building, entrance="1", number=f"{u + 1}0{b + 1}", floor=u + 1)
            units.append(unit)
            phone = OWNER_PHONE if not occupancies else f"1390000{len(occupancies):04d}"
            customer = CustomerFactory(project=project, phones=[phone])
            customers.append(customer)
            occupancies.append(OccupancyFactory(unit=unit, customer=customer,
                                                start_date=dt.date(2020, 1, 1)))
    for i, unit in enumerate(units):
        wo, _created = service_services.create_work_order(
            manager, project=project, kind="repair_home", channel="hotline",
            description=f"厨房水管漏水 {i}", unit=unit, requester=customers[i])
        orders.append(wo)
    raw, _token = issue_api_token(manager.username, PASSWORD, "127.0.0.1")
    ids = {
        "project": [project.pk], "company": [project.company_id],
        "building": [b.pk for b in buildings], "unit": [u.pk for u in units],
        "customer": [c.pk for c in customers], "requester": [c.pk for c in customers],
        "occupancy": [o.pk for o in occupancies], "work_order": [w.pk for w in orders],
        "parent": [w.pk for w in orders], "assignee": [manager.pk, tech.pk],
        "department": [department.pk],
    }
    world = World(ids)
    world.token = raw
    return world


@pytest.fixture
def owner_cookies(fuzz_world):
    """A portal session of the owner of the first unit (what the owner's browser sends)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = OWNER_PHONE
    store.create()
    return {settings.SESSION_COOKIE_NAME: store.session_key}
