"""Console pages of the price list, the paid-service revenue report and the FAQ."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.archive.owners import owner_for_phone
from propdesk.knowledge import services as faq_services
from propdesk.knowledge.models import Faq
from propdesk.service import ordering, services
from propdesk.service.models import PriceItem
from tests.factories import StaffFactory


@pytest.fixture
def manager(project):
    return StaffFactory(username="pm", role="project_manager", projects=[project])


@pytest.fixture
def cleaning(project):
    return PriceItem.objects.create(project=project, kind="special", name="家政保洁", unit="hour",
                                    price=Decimal("45.00"))


def test_a_manager_adds_edits_and_withdraws_an_item(client, project, manager):
    client.force_login(manager)
    response = client.post(reverse("console:catalogue_add"), {
        "project": project.pk, "kind": "special", "name": "地板打蜡", "unit": "sqm", "price": "8.00",
        "description": "含材料", "is_published": "on"})
    item = PriceItem.objects.get(name="地板打蜡")
    assert response.status_code == 302 and item.is_published and item.price == Decimal("8.00")
    client.post(reverse("console:catalogue_edit", args=[item.pk]), {
        "kind": "special", "name": "地板打蜡", "unit": "sqm", "price": "9.50", "is_published": "on"})
    item.refresh_from_db()
    assert item.price == Decimal("9.50")
    client.post(reverse("console:catalogue_publish", args=[item.pk]), {"published": "0"})
    item.refresh_from_db()
    assert not item.is_published
    from propdesk.core.timeline import events_for

    verbs = [e.verb for e in events_for(project)]
    assert verbs[:3] == ["service.price_item_published", "service.price_item_saved", "service.price_item_saved"]
    assert "地板打蜡" in client.get(reverse("console:catalogue")).content.decode()


def test_the_front_desk_reads_the_price_list_but_cannot_change_it(desk, cleaning):
    body = desk.get(reverse("console:catalogue")).content.decode()
    assert "家政保洁" in body and reverse("console:catalogue_edit", args=[cleaning.pk]) not in body
    assert desk.get(reverse("console:catalogue_add")).status_code == 403
    assert desk.get(reverse("console:catalogue_edit", args=[cleaning.pk])).status_code == 403
    assert desk.post(reverse("console:catalogue_publish", args=[cleaning.pk]), {"published": "0"}).status_code == 403
    cleaning.refresh_from_db()
    assert cleaning.is_published


def test_paid_service_revenue_is_reported_apart_from_property_fees(client, manager, cleaning, occupancy, staff):
    owner = owner_for_phone("13812345678")
    when = timezone.now() + dt.timedelta(days=1)
    wo, _ = ordering.order_special_service(owner, item_id=cleaning.pk, unit_id=occupancy.unit.pk, when=when,
                                           quantity="2")
    services.create_work_order(staff, project=occupancy.unit.project, unit=occupancy.unit, kind="repair_home",
                               channel="hotline", description="灯不亮")
    client.force_login(manager)
    month = timezone.localtime(when).strftime("%Y-%m")
    body = client.get(reverse("console:paid_services"), {"month": month, "kind": "special"}).content.decode()
    assert wo.number in body and 'data-total="90.00"' in body
    assert "灯不亮" not in body
    next_month = (timezone.localtime(when).replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m")
    body = client.get(reverse("console:paid_services"), {"month": next_month}).content.decode()
    assert wo.number not in body and 'data-total="0.00"' in body


def test_chargeable_repairs_are_reported_by_consent(client, manager, project, occupancy, staff):
    repair = PriceItem.objects.create(project=project, kind="repair", name="更换水龙头", unit="item",
                                      price=Decimal("80.00"))
    wo, _ = services.create_work_order(staff, project=project, unit=occupancy.unit, kind="repair_home",
                                       channel="hotline", description="水龙头坏了")
    services.record_quote(staff, wo, cause="老化", method="更换", price_item=repair)
    services.record_consent(staff, wo, consent_by="王建国", method="phone")
    client.force_login(manager)
    body = client.get(reverse("console:paid_services"), {"kind": "repairs"}).content.decode()
    assert wo.number in body and 'data-total="80.00"' in body


def test_the_desk_searches_the_faq_in_chinese(desk, project, staff):
    faq_services.save_faq(staff, project, {"category": "repairs", "question": "卫生间漏水怎么办",
                                           "answer": "先关闭总水阀。"})
    faq_services.save_faq(staff, project, {"category": "parking", "question": "月租车位怎么办理",
                                           "answer": "带行驶证登记。"})
    body = desk.get(reverse("console:faq"), {"q": "漏水"}).content.decode()
    assert "卫生间漏水怎么办" in body and "月租车位怎么办理" not in body


def test_the_desk_adds_an_faq_but_not_one_for_every_project(desk, project):
    response = desk.post(reverse("console:faq_add"), {"project": project.pk, "category": "fees",
                                                       "question": "物业费怎么交", "answer": "前台或线上缴纳。",
                                                       "is_published": "on"})
    assert response.status_code == 302 and Faq.objects.get().project == project
    response = desk.post(reverse("console:faq_add"), {"project": "", "category": "fees",
                                                       "question": "全公司问题", "answer": "x"})
    assert response.status_code == 200 and Faq.objects.count() == 1


def test_an_admin_writes_for_every_project_and_the_desk_cannot_edit_it(admin_user, desk):
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    client.post(reverse("console:faq_add"), {"project": "", "category": "safety", "question": "燃气味怎么办",
                                             "answer": "开窗通风。", "is_published": "on"})
    faq = Faq.objects.get(project__isnull=True)
    assert "燃气味怎么办" in desk.get(reverse("console:faq")).content.decode()
    assert desk.get(reverse("console:faq_edit", args=[faq.pk])).status_code == 403
    assert desk.post(reverse("console:faq_publish", args=[faq.pk]), {"published": "0"}).status_code == 403
    client.post(reverse("console:faq_edit", args=[faq.pk]), {"category": "safety", "question": "闻到燃气味怎么办",
                                                              "answer": "开窗通风，关闭总阀。", "is_published": "on"})
    faq.refresh_from_db()
    assert faq.question == "闻到燃气味怎么办" and "总阀" in faq.search_text
