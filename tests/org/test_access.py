"""The one place that scopes data: a staff member sees only their projects; an administrator all."""

import pytest

from propdesk.archive.models import Customer, Occupancy
from propdesk.core.errors import NotFound
from propdesk.org import access
from propdesk.org.models import Building, Project, Unit
from tests.factories import OccupancyFactory, StaffFactory, UnitFactory


@pytest.fixture
def two_projects(occupancy, other_project):
    unit = UnitFactory(building__project=other_project, building__code="9", number="0101", floor=1)
    OccupancyFactory(unit=unit, customer__name="李四")
    return occupancy.unit.project, other_project


@pytest.mark.parametrize("model", [Project, Building, Unit, Customer, Occupancy])
def test_staff_see_only_their_projects(two_projects, staff, model):
    mine, _ = two_projects
    rows = list(access.scope(model.objects.all(), staff))
    assert rows
    path = access.project_path(model)
    assert set(model.objects.filter(pk__in=[r.pk for r in rows]).values_list(path, flat=True)) == {mine.pk}


@pytest.mark.parametrize("model", [Project, Building, Unit, Customer, Occupancy])
def test_company_admin_sees_every_project(two_projects, admin_user, model):
    assert access.scope(model.objects.all(), admin_user).count() == model.objects.count()


def test_staff_without_projects_and_anonymous_see_nothing(two_projects, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    idle = StaffFactory(username="idle")
    assert not access.scope(Customer.objects.all(), idle).exists()
    assert not access.scope(Customer.objects.all(), AnonymousUser()).exists()


def test_inactive_staff_see_nothing(two_projects, staff):
    staff.is_active = False
    staff.save()
    assert not access.scope(Unit.objects.all(), staff).exists()


def test_out_of_scope_object_is_not_found(two_projects, outsider, occupancy):
    with pytest.raises(NotFound):
        access.get_scoped(Customer.objects.all(), outsider, pk=occupancy.customer.pk)


def test_a_model_without_a_project_path_cannot_be_scoped_by_mistake():
    from propdesk.core.models import TimelineEvent

    with pytest.raises(TypeError):
        access.scope(TimelineEvent.objects.all(), object())
