"""A small archive for the console tests: one project seen by the desk, one seen only by the outsider."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from propdesk.archive.models import Occupancy, Pet, UnitRecord, Vehicle
from tests.factories import BuildingFactory, CustomerFactory, OccupancyFactory, StaffFactory, UnitFactory

RAW_ID = "110101199001011234"
OTHER_RAW_ID = "440301198505052222"


@pytest.fixture
def archive(project, other_project, occupancy):
    """王建国 owns 3-2-1201 in 阳光花园; his wife lives there; a former tenant's lease has ended."""
    owner = occupancy.customer
    owner.gender = "male"
    owner.birth_date = dt.date(1970, 5, 1)
    owner.hometown = "湖南长沙"
    owner.hobbies = "书法"
    owner.income_band = "middle"
    owner.household_size = 3
    owner.last_confirmed_at = timezone.now()
    owner.save()
    unit = occupancy.unit
    wife = CustomerFactory(project=project, name="李秀英", phones=["13900001111"])
    OccupancyFactory(unit=unit, customer=wife, role=Occupancy.Role.MEMBER, relation="配偶")
    former = CustomerFactory(project=project, name="赵前租", phones=["13700002222"])
    OccupancyFactory(unit=unit, customer=former, role=Occupancy.Role.TENANT,
                     start_date=dt.date(2018, 3, 1), end_date=dt.date(2019, 12, 31))
    Vehicle.objects.create(customer=owner, plate="湘A12345", model="比亚迪 汉", parking_space="B2-018")
    Pet.objects.create(customer=owner, species="狗", name="旺财", breed="柯基")
    UnitRecord.objects.create(unit=unit, kind=UnitRecord.Kind.HANDOVER, date=dt.date(2019, 12, 20),
                              title="交房查验：客厅地砖空鼓")
    other_unit = UnitFactory(building=BuildingFactory(project=other_project, code="8", name="8栋"),
                             entrance="", number="0801", floor=8)
    stranger = CustomerFactory(project=other_project, name="陈外人", phones=["13655556666"], id_number=OTHER_RAW_ID)
    OccupancyFactory(unit=other_unit, customer=stranger)
    return SimpleNamespace(project=project, other_project=other_project, unit=unit, building=unit.building,
                           owner=owner, wife=wife, former=former, other_unit=other_unit, stranger=stranger)


@pytest.fixture
def desk(client, staff):
    """A client logged in as the front-desk operator of `project`."""
    client.force_login(staff)
    return client


@pytest.fixture
def technician(project):
    return StaffFactory(username="tech", role="technician", projects=[project])


# -- the service desk -----------------------------------------------------------------------------


@pytest.fixture
def desk_en(desk):
    """The desk operator's client reading English, so assertions survive the Chinese catalogue."""
    from django.conf import settings

    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return desk


@pytest.fixture
def service_desk(project, occupancy, staff):
    """An engineering department with 李师傅 in it, a water category, and the emergency word 漏水.

    The keyword is seeded here (project=None) so these tests do not depend on the triage dictionary.
    """
    from propdesk.org.models import Department
    from propdesk.service.models import Category, TriageKeyword

    engineering = Department.objects.create(project=project, code="engineering", name="工程部")
    service = Department.objects.create(project=project, code="service", name="客服部")
    tech = StaffFactory(username="tech", role="technician", projects=[project], first_name="李师傅")
    tech.departments.set([engineering])
    water = Category.objects.create(code="water", name="给排水")
    TriageKeyword.objects.create(word="漏水", emergency=True, category=water, project=None)
    return SimpleNamespace(project=project, unit=occupancy.unit, owner=occupancy.customer, desk=staff, tech=tech,
                           engineering=engineering, service=service, water=water)


def receive(actor, unit, description="客厅灯不亮", **kwargs):
    """A work order received at the hotline for `unit` (the test's shorthand for create_work_order)."""
    from propdesk.service import services

    kwargs.setdefault("kind", "repair_home")
    kwargs.setdefault("channel", "hotline")
    wo, _created = services.create_work_order(actor, project=unit.project, unit=unit, description=description,
                                              **kwargs)
    return wo
