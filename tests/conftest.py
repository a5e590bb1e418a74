import pytest

from tests.factories import OccupancyFactory, ProjectFactory, StaffFactory, UnitFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def project(db):
    return ProjectFactory(code="sunny", name="阳光花园")


@pytest.fixture
def other_project(db):
    return ProjectFactory(code="river", name="江畔华庭")


@pytest.fixture
def staff(project):
    """A front-desk operator assigned to `project` only."""
    return StaffFactory(username="desk", role="front_desk", projects=[project])


@pytest.fixture
def outsider(other_project):
    """A project manager of another project: must see nothing of `project`."""
    return StaffFactory(username="outsider", role="project_manager", projects=[other_project])


@pytest.fixture
def admin_user(db):
    return StaffFactory(username="boss", role="company_admin")


@pytest.fixture
def occupancy(project):
    unit = UnitFactory(building__project=project, building__code="3", building__name="3栋",
                       entrance="2", number="1201", floor=12)
    return OccupancyFactory(unit=unit, customer__name="王建国", customer__phones=["13812345678"])
