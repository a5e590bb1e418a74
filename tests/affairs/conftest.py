import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.archive.models import Occupancy
from tests.factories import CustomerFactory, OccupancyFactory, StaffFactory, UnitFactory


def png(name="photo.png", color=(200, 30, 30)):
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def pdf(name="drawing.pdf", body=b"plan"):
    """A small file that starts as a PDF does (what attachments.py recognises)."""
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + body + b"\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def unit(occupancy):
    return occupancy.unit


@pytest.fixture
def owner(occupancy):
    """王建国, owner of 3-2-1201 with ID 110101199001011234 and mobile 13812345678."""
    return occupancy.customer


@pytest.fixture
def tenant(unit):
    occ = OccupancyFactory(unit=unit, role=Occupancy.Role.TENANT, customer__name="李租客",
                           customer__phones=["13900001111"], start_date=dt.date(2024, 1, 1),
                           end_date=dt.date(2099, 12, 31))
    return occ.customer


@pytest.fixture
def neighbour(project):
    other = UnitFactory(building__project=project, building__code="5", entrance="1", number="0801", floor=8)
    return OccupancyFactory(unit=other, customer__name="赵邻居", customer__phones=["13700002222"]).customer


@pytest.fixture
def new_owner(project):
    return CustomerFactory(project=project, name="陈新房", phones=["13600003333"])


@pytest.fixture
def manager(project):
    return StaffFactory(username="manager", role="project_manager", projects=[project])


@pytest.fixture
def guard(project):
    return StaffFactory(username="guard", role="security", projects=[project], first_name="保安",
                        last_name="刘")


@pytest.fixture
def technician(project):
    return StaffFactory(username="tech", role="technician", projects=[project])
