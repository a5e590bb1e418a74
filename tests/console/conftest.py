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
