"""The customer card shows everything the desk needs to recognise a caller."""

from django.urls import reverse

from propdesk.archive import services
from tests.console.conftest import RAW_ID
from tests.factories import OccupancyFactory, UnitFactory


def card(desk, customer):
    response = desk.get(reverse("console:customer_detail", args=[customer.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_card_shows_facts_segmentation_and_phones(desk, archive):
    body = card(desk, archive.owner)
    assert "王建国" in body and "13812345678" in body
    assert "1970-05-01" in body and "湖南长沙" in body and "书法" in body
    assert "<dd>中</dd>" in body  # income band: 中 (middle)
    assert "居民身份证" in body  # resident ID card


def test_card_masks_the_id_number(desk, archive):
    body = card(desk, archive.owner)
    assert "1101**********1234" in body
    assert RAW_ID not in body


def test_card_shows_homes_with_role_and_lease_dates_and_marks_ended_tenancies(desk, archive):
    home = UnitFactory(building=archive.building, entrance="1", number="0303", floor=3)
    OccupancyFactory(unit=home, customer=archive.former, role="tenant",
                     start_date="2024-01-01", end_date="2099-12-31")
    body = card(desk, archive.former)
    assert "3-1-0303" in body and "2099-12-31" in body
    assert "3-2-1201" in body and "2019-12-31" in body
    assert "租约已到期" in body  # lease ended
    assert body.count("租户") >= 2  # tenant


def test_card_shows_household_vehicles_and_pets(desk, archive):
    body = card(desk, archive.owner)
    assert "李秀英" in body and "配偶" in body
    assert "湘A12345" in body and "B2-018" in body
    assert "旺财" in body and "柯基" in body


def test_timeline_shows_who_when_and_old_and_new_values(desk, archive, staff):
    services.update_customer(staff, archive.owner, {"hometown": "湖北武汉", "income_band": "high"})
    body = card(desk, archive.owner)
    assert "desk" in body
    assert "湖南长沙" in body and "湖北武汉" in body
    assert "籍贯" in body  # hometown, the changed field's label
    assert "高" in body  # choice values shown by their label (high)


def test_card_takes_a_fixed_number_of_queries(desk, archive, staff, django_assert_max_num_queries):
    for n in range(10):
        services.record_contact(staff, archive.owner, f"来电咨询 {n}")
        OccupancyFactory(unit=archive.unit, role="member", relation="子女")
    with django_assert_max_num_queries(12):
        card(desk, archive.owner)


def test_customer_of_another_project_is_not_found(desk, archive):
    assert desk.get(reverse("console:customer_detail", args=[archive.stranger.pk])).status_code == 404
