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
