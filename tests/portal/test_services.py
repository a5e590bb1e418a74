"""Special services in the portal: the published price list of my projects, ordering one at a price
fixed when ordered, with an appointment (the portal issue, item 5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from propdesk.archive.owners import owner_for_phone
from propdesk.core.timeline import events_for
from propdesk.service import ordering
from propdesk.service.models import IdempotencyKey, PriceItem, SlaTimer, WorkOrder

SERVICES = reverse("portal:services")


@pytest.fixture
def price_list(project, other_project):
    def item(project, name, unit="visit", price="80.00", kind="special", **extra):
        return PriceItem.objects.create(project=project, kind=kind, name=name, unit=unit, price=Decimal(price),
                                        **extra)
    return {
        "cleaning": item(project, "家政保洁", "hour", "45.00"),
        "aircon": item(project, "空调清洗", "item", "150.00"),
        "waxing": item(project, "地板打蜡", "sqm", "8.00"),
        "unlock": item(project, "开锁", "visit", "80.00"),
        "withdrawn": item(project, "擦玻璃", is_published=False),
        "repair": item(project, "更换水龙头", "item", kind="repair"),
        "elsewhere": item(other_project, "江畔洗车"),
    }


def order_url(item):
    return reverse("portal:service_order", args=[item.pk])


def tomorrow_at(hour=10):
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat(), f"{hour:02d}:00"


def post_order(client, item, unit, key="k1", **extra):
    date, time = tomorrow_at()
    return client.post(order_url(item), {"unit": unit.pk, "date": date, "time": time, "note": "下午有人在家",
                                         "idempotency_key": key, **extra})


def test_the_catalogue_shows_only_published_special_services_of_my_projects(owner_client, price_list):
    body = owner_client.get(SERVICES).content.decode()
    for shown in ("家政保洁", "空调清洗", "地板打蜡", "开锁"):
        assert shown in body
    for hidden in ("擦玻璃", "更换水龙头", "江畔洗车"):
        assert hidden not in body
    assert "¥45.00" in body


def test_prices_read_with_their_unit(owner_client, price_list):
    from django.conf import settings

    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = owner_client.get(SERVICES).content.decode()
    assert "¥45.00 <span class=\"muted small\">yuan/hour</span>" in body
    assert "yuan/m²" in body and "yuan/visit" in body and "yuan/item" in body


def test_ordering_creates_a_special_service_work_order_with_the_agreed_price(owner_client, price_list, occupancy):
    response = post_order(owner_client, price_list["cleaning"], occupancy.unit, quantity="3")
    wo = WorkOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/requests/{wo.pk}/"
    assert wo.kind == WorkOrder.Kind.SPECIAL_SERVICE and wo.channel == WorkOrder.Channel.PORTAL
    assert wo.price_item == price_list["cleaning"] and wo.agreed_price == Decimal("135.00")
    assert wo.requester == occupancy.customer and wo.unit == occupancy.unit and wo.first_receiver is None
    assert timezone.localtime(wo.scheduled_for).strftime("%H:%M") == "10:00"
    assert "家政保洁" in wo.description and "下午有人在家" in wo.description
    assert SlaTimer.objects.filter(work_order=wo, kind="respond").exists() and wo.next_due_at is not None
    event = events_for(wo)[0]
    assert event.verb == "service.special_ordered" and event.params["quantity"] == "3" and event.actor is None


def test_per_square_metre_is_priced_by_the_floor_area(owner_client, price_list, occupancy):
    post_order(owner_client, price_list["waxing"], occupancy.unit)
    assert WorkOrder.objects.get().agreed_price == Decimal("716.00")  # 89.50 m² × ¥8.00


def test_per_visit_ignores_any_quantity(owner_client, price_list, occupancy):
    post_order(owner_client, price_list["unlock"], occupancy.unit, quantity="9")
    assert WorkOrder.objects.get().agreed_price == Decimal("80.00")


def test_a_later_price_change_does_not_change_the_agreed_price(owner_client, price_list, occupancy):
    post_order(owner_client, price_list["aircon"], occupancy.unit, quantity="2")
    PriceItem.objects.filter(pk=price_list["aircon"].pk).update(price=Decimal("199.00"))
    assert WorkOrder.objects.get().agreed_price == Decimal("300.00")


def test_a_double_submit_with_the_same_key_orders_once(owner_client, price_list, occupancy):
    first = post_order(owner_client, price_list["unlock"], occupancy.unit, key="same")
    second = post_order(owner_client, price_list["unlock"], occupancy.unit, key="same")
    assert first["Location"] == second["Location"]
    assert WorkOrder.objects.count() == 1
    assert IdempotencyKey.objects.get().client == "owner:13812345678"


def test_a_past_time_is_refused(owner_client, price_list, occupancy):
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = owner_client.post(order_url(price_list["unlock"]), {
        "unit": occupancy.unit.pk, "date": yesterday, "time": "10:00", "idempotency_key": "p"})
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_more_than_sixty_days_ahead_is_refused(occupancy, price_list):
    owner = owner_for_phone("13812345678")
    with pytest.raises(ValidationError) as exc:
        ordering.order_special_service(owner, item_id=price_list["unlock"].pk, unit_id=occupancy.unit.pk,
                                       when=timezone.now() + dt.timedelta(days=61))
    assert "when" in exc.value.message_dict


def test_an_unpublished_repair_or_foreign_item_is_not_found(owner_client, price_list, occupancy):
    for name in ("withdrawn", "repair", "elsewhere"):
        assert owner_client.get(order_url(price_list[name])).status_code == 404
        assert post_order(owner_client, price_list[name], occupancy.unit).status_code == 404
    assert not WorkOrder.objects.exists()


def test_the_order_page_asks_hours_only_when_priced_by_the_hour(owner_client, price_list):
    assert 'name="quantity"' in owner_client.get(order_url(price_list["cleaning"])).content.decode()
    assert 'name="quantity"' not in owner_client.get(order_url(price_list["unlock"])).content.decode()
