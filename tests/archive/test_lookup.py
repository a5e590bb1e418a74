"""The caller lookup box: phone (full or partial), name, or unit address."""

import datetime as dt

import pytest

from propdesk.archive.selectors import lookup
from tests.factories import OccupancyFactory, UnitFactory


@pytest.mark.parametrize("query", ["13812345678", "138 1234 5678", "5678", "2345", "王建国", "建国"])
def test_caller_is_found_by_phone_or_name(occupancy, staff, query):
    result = lookup(staff, query)
    assert [c.name for c in result.customers] == ["王建国"]
    home = result.customers[0].current_occupancies[0]
    assert home.unit.label == "3-2-1201"


@pytest.mark.parametrize("query", ["3-2-1201", "3栋2单元1201", "3栋1201", "3号楼1201", "3#1201", "3-1201"])
def test_unit_is_found_by_the_address_people_say(occupancy, staff, query):
    result = lookup(staff, query)
    assert [u.label for u in result.units] == ["3-2-1201"]
    assert result.single == occupancy.unit


def test_a_former_tenant_does_not_show_as_living_there(occupancy, staff):
    OccupancyFactory(unit=occupancy.unit, customer__name="前租客", customer__phones=["13911112222"],
                     role="tenant", start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1))
    found = lookup(staff, "前租客").customers[0]
    assert found.current_occupancies == []


def test_lookup_never_crosses_projects(occupancy, outsider, other_project):
    UnitFactory(building__project=other_project, building__code="3", entrance="2", number="1201", floor=12)
    assert lookup(outsider, "王建国").empty
    assert lookup(outsider, "13812345678").empty
    units = lookup(outsider, "3-2-1201").units
    assert [u.project_id for u in units] == [other_project.pk]


def test_empty_query_finds_nothing(occupancy, staff):
    assert lookup(staff, "  ").empty


def test_lookup_runs_a_fixed_number_of_queries(occupancy, staff, django_assert_max_num_queries):
    for i in range(10):
        OccupancyFactory(unit__building=occupancy.unit.building, customer__name=f"王{i}号",
                         customer__phones=[f"1381234{i:04d}"])
    with django_assert_max_num_queries(8):
        result = lookup(staff, "王")
        for c in result.customers:
            [p.number for p in c.phones.all()]
            [o.unit.label for o in c.current_occupancies]
    assert len(result.customers) == 11
