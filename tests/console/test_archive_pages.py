"""Browsing the archive: projects → buildings → units, paginated and without N+1 queries."""

from django.urls import reverse

from propdesk.org.models import Unit
from tests.factories import OccupancyFactory, UnitFactory


def test_project_list_shows_only_my_projects(desk, archive):
    body = desk.get(reverse("console:project_list")).content.decode()
    assert "阳光花园" in body
    assert "江畔华庭" not in body


def test_project_page_lists_buildings_with_unit_counts(desk, archive):
    UnitFactory(building=archive.building, entrance="2", number="1202", floor=12)
    response = desk.get(reverse("console:project_detail", args=[archive.project.pk]))
    assert response.status_code == 200
    building = list(response.context["page"])[0]
    assert building.name == "3栋" and building.unit_count == 2
    assert reverse("console:building_detail", args=[archive.building.pk]) in response.content.decode()


def test_building_page_lists_units_with_current_occupants_only(desk, archive):
    body = desk.get(reverse("console:building_detail", args=[archive.building.pk])).content.decode()
    assert "3-2-1201" in body
    assert "王建国" in body and "李秀英" in body
    assert "赵前租" not in body  # lease ended in 2019


def test_building_page_is_paginated_by_50(desk, archive):
    for n in range(60):
        UnitFactory(building=archive.building, entrance="9", number=f"{n + 1:02d}01", floor=n + 1)
    first = desk.get(reverse("console:building_detail", args=[archive.building.pk]))
    assert len(first.context["page"].object_list) == 50
    second = desk.get(reverse("console:building_detail", args=[archive.building.pk]), {"page": 2})
    assert len(second.context["page"].object_list) == 11
    assert 'rel="prev"' in second.content.decode()


def test_building_page_takes_a_fixed_number_of_queries(desk, archive, django_assert_max_num_queries):
    for n in range(30):
        unit = UnitFactory(building=archive.building, entrance="9", number=f"{n + 1:02d}01", floor=n + 1)
        OccupancyFactory(unit=unit)
    assert Unit.objects.filter(building=archive.building).count() == 31
    with django_assert_max_num_queries(8):
        response = desk.get(reverse("console:building_detail", args=[archive.building.pk]))
    assert response.status_code == 200


def test_unit_card_shows_facts_occupants_records_and_timeline(desk, archive):
    response = desk.get(reverse("console:unit_detail", args=[archive.unit.pk]))
    body = response.content.decode()
    assert "89.50" in body and "三室两厅" in body
    assert "王建国" in body and "李秀英" in body and "配偶" in body
    assert "赵前租" in body and "2019-12-31" in body  # the past tenant, with the lease end
    assert "交房查验：客厅地砖空鼓" in body
    assert "110101199001011234" not in body


def test_unit_card_of_another_project_is_not_found(desk, archive):
    assert desk.get(reverse("console:unit_detail", args=[archive.other_unit.pk])).status_code == 404
