import pytest

from propdesk.org.models import Department
from tests.factories import StaffFactory


@pytest.fixture
def departments(project):
    return {
        "engineering": Department.objects.create(project=project, code="engineering", name="工程部"),
        "service": Department.objects.create(project=project, code="service", name="客服部"),
        "security": Department.objects.create(project=project, code="security", name="秩序部"),
    }


@pytest.fixture
def technician(project, departments):
    tech = StaffFactory(username="tech", role="technician", projects=[project], first_name="李师傅")
    tech.departments.set([departments["engineering"]])
    return tech


@pytest.fixture
def manager(project):
    return StaffFactory(username="pm", role="project_manager", projects=[project], email="pm@example.com")


@pytest.fixture
def leak(occupancy, staff):
    """An emergency leak reported on the hotline by the owner of 3-2-1201."""
    from propdesk.service import services

    wo, _ = services.create_work_order(
        staff, project=occupancy.unit.project, kind="repair_home", channel="hotline", priority="emergency",
        description="3栋1201卫生间天花板漏水，水一直往下滴", unit=occupancy.unit, requester=occupancy.customer)
    return wo


@pytest.fixture
def complaint(occupancy, staff):
    from propdesk.service import services

    wo, _ = services.create_work_order(
        staff, project=occupancy.unit.project, kind="complaint", channel="hotline",
        description="楼上装修噪音太大，晚上十点还在电钻", unit=occupancy.unit, requester=occupancy.customer)
    return wo


def act(actor, wo, action, **params):
    from propdesk.service.transitions import transition

    return transition(actor, wo, action, **params)
