"""Another owner can neither see my project's price list nor order a service for my home."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.archive.owners import owner_for_phone
from propdesk.core.errors import NotFound
from propdesk.service import ordering
from propdesk.service.models import PriceItem, WorkOrder
from tests.factories import BuildingFactory, OccupancyFactory, UnitFactory
from tests.portal.conftest import sign_in


@pytest.fixture
def neighbours(project, other_project, occupancy):
    """陈外人 lives in 江畔华庭; 李邻居 lives in my project, in another unit."""
    mine = PriceItem.objects.create(project=project, kind="special", name="阳光空调清洗", unit="visit",
                                    price=Decimal("150.00"))
    theirs = PriceItem.objects.create(project=other_project, kind="special", name="江畔洗车", unit="visit",
                                      price=Decimal("30.00"))
    other_unit = UnitFactory(building=BuildingFactory(project=other_project, code="8"), number="0801")
    OccupancyFactory(unit=other_unit, customer__name="陈外人", customer__phones=["13655556666"])
    next_door = UnitFactory(building=occupancy.unit.building, number="1202")
    OccupancyFactory(unit=next_door, customer__name="李邻居", customer__phones=["13700001111"])
    return mine, theirs


def test_an_owner_of_another_project_does_not_see_my_catalogue(client, neighbours):
    mine, theirs = neighbours
    sign_in(client, "13655556666")
    body = client.get(reverse("portal:services")).content.decode()
    assert "江畔洗车" in body and "阳光空调清洗" not in body
    assert client.get(reverse("portal:service_order", args=[mine.pk])).status_code == 404


def test_a_neighbour_cannot_order_for_my_unit(client, neighbours, occupancy):
    mine, _ = neighbours
    sign_in(client, "13700001111")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(reverse("portal:service_order", args=[mine.pk]), {
        "unit": occupancy.unit.pk, "date": tomorrow, "time": "10:00", "idempotency_key": "x"})
    assert response.status_code == 200  # my unit is not among their choices
    assert not WorkOrder.objects.exists()
    neighbour = owner_for_phone("13700001111")
    with pytest.raises(NotFound):
        ordering.order_special_service(neighbour, item_id=mine.pk, unit_id=occupancy.unit.pk,
                                       when=timezone.now() + dt.timedelta(days=1))
    assert not WorkOrder.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, neighbours):
    mine, _ = neighbours
    for url in (reverse("portal:services"), reverse("portal:service_order", args=[mine.pk]),
                reverse("portal:promises"), reverse("portal:faq")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
