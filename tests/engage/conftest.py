import datetime as dt

import pytest

from tests.factories import OccupancyFactory, UnitFactory

TODAY = dt.date(2025, 3, 10)


@pytest.fixture
def new_owner(project):
    """李新 bought 3-2-0801 and became its owner 30 days before TODAY."""
    unit = UnitFactory(building__project=project, building__code="5", building__name="5栋", entrance="1",
                       number="0801", floor=8)
    return OccupancyFactory(unit=unit, customer__name="李新", customer__phones=["13611112222"],
                            start_date=TODAY - dt.timedelta(days=30))


def close(actor, wo, when=None):
    """Resolve, confirm and close a work order without its callback."""
    from propdesk.service.transitions import transition

    wo = transition(actor, wo, "resolve", note="修好了", at=when)
    wo = transition(actor, wo, "confirm", who="业主", at=when)
    return transition(actor, wo, "close", at=when)


@pytest.fixture
def technician_user(project):
    from tests.factories import StaffFactory

    return StaffFactory(username="tech", role="technician", projects=[project])


# The survey tests' households (3-2-1201 王建国 and his wife, 3-2-1202 a landlord and his tenant, 5-1-0501 a
# firm, an ended lease, one household of another project) serve the notices' audiences too.
from tests.surveys.conftest import homes, manager  # noqa: E402, F401


@pytest.fixture
def butler(project):
    from tests.factories import StaffFactory

    return StaffFactory(username="butler", role="butler", projects=[project], first_name="管家小刘")


# The access tests' world (two projects with every kind of engage object) serves the API's tests too.
from tests.engage.test_access import engage_world  # noqa: E402, F401
