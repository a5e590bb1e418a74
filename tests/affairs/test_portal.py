"""Public affairs in the owner portal: what an owner does there, and what another owner never sees (item 7)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.affairs import lost_found
from propdesk.affairs.models import HoldFlag, PreRegistration, ReleaseAuthorisation, Renovation
from tests.factories import BuildingFactory, OccupancyFactory, UnitFactory
from tests.portal.conftest import sign_in

from . import world as affairs_world
from .conftest import pdf, png
from .matrix import OBJ, PORTAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(project, other_project, unit, owner, staff):
    w = affairs_world.build(project, unit, owner, staff)
    lost_found.post_unclaimed(timezone.now() + dt.timedelta(days=30))  # the found item is on the notice board
    OccupancyFactory(unit=UnitFactory(building=unit.building, entrance="1", number="1202"),
                     customer__name="李邻居", customer__phones=["13700001111"])
    OccupancyFactory(unit=UnitFactory(building=BuildingFactory(project=other_project, code="8"), number="0801"),
                     customer__name="陈外人", customer__phones=["13655556666"])
    return w


def _value(world, v):
    return str(getattr(world, v[1:-1]).pk) if isinstance(v, str) and v.startswith("<") else v


def _calls(name, world):
    _kind, methods, kwargs, data = PORTAL[name]
    url = reverse(f"portal:{name}", kwargs={k: getattr(world, a).pk for k, a in kwargs.items()})
    for method in methods:
        yield method, url, {k: _value(world, v) for k, v in data.items()}


@pytest.mark.parametrize("phone,same_project", [("13700001111", True), ("13655556666", False)],
                         ids=["neighbour", "owner-of-another-project"])
@pytest.mark.parametrize("name", sorted(PORTAL))
def test_another_owner_gets_nothing(client, world, name, phone, same_project):
    assert sign_in(client, phone).status_code == 302
    # A posted found item is public within its project: the neighbour may see what it is, never its contents.
    secrets = [s for s in affairs_world.SECRETS if not (same_project and s in ("黑色双肩包", "阳光花园"))]
    for method, url, payload in _calls(name, world):
        response = client.get(url, payload) if method == "GET" else client.post(url, payload)
        if PORTAL[name][0] == OBJ:
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
        else:
            assert response.status_code in (200, 302), f"{method} {url} answered {response.status_code}"
        leaked = [s for s in secrets if s in response.content.decode(errors="replace")]
        assert not leaked, f"{method} {url} shows {leaked}"
    assert not ReleaseAuthorisation.objects.exists() and not HoldFlag.objects.exists()
    assert Renovation.objects.count() == 1 and not PreRegistration.objects.exists()


@pytest.mark.parametrize("name", sorted(PORTAL))
def test_signed_out_visitors_are_sent_to_sign_in(client, world, name):
    for method, url, payload in _calls(name, world):
        response = client.get(url, payload) if method == "GET" else client.post(url, payload)
        assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_the_owner_authorises_fewer_items_than_the_tenant_asked(client, world):
    sign_in(client, "13812345678")
    url = reverse("portal:affairs_pass", args=[world.release_pass.pk])
    assert "红木书柜" in client.get(reverse("portal:affairs")).content.decode()
    item = world.release_pass.items.get()
    assert client.post(url, {"decision": "grant", f"q{item.pk}": "2"}).status_code == 302
    item.refresh_from_db()
    world.release_pass.refresh_from_db()
    assert world.release_pass.status == "authorised" and item.authorised == 2
    assert world.release_pass.authorisation.method == "portal"


def test_the_tenant_sees_their_pass_but_cannot_authorise_it(client, world):
    sign_in(client, "13900001111")
    url = reverse("portal:affairs_pass", args=[world.release_pass.pk])
    page = client.get(url).content.decode()
    assert "红木书柜" in page and 'name="decision"' not in page
    assert client.post(url, {"decision": "grant"}).status_code == 404
    world.release_pass.refresh_from_db()
    assert world.release_pass.status == "awaiting"


def test_a_tenant_applies_and_the_owner_is_asked(client, world):
    sign_in(client, "13900001111")
    response = client.post(reverse("portal:affairs_pass_apply"), {
        "unit": world.unit.pk, "carrier": "搬家公司", "date": timezone.localdate().isoformat(), "items": "沙发 1\n床垫 2"})
    assert response.status_code == 302
    p = world.unit.release_passes.order_by("-id").first()
    assert p.applicant == world.tenant and p.status == "awaiting" and p.channel == "portal"
    assert [(i.name, i.quantity) for i in p.items.all()] == [("沙发", 1), ("床垫", 2)]


def test_the_owner_holds_their_let_home(client, world):
    sign_in(client, "13812345678")
    assert 'data-hold="3-2-1201"' in client.get(reverse("portal:affairs")).content.decode()
    client.post(reverse("portal:affairs_hold", args=[world.unit.pk]), {"on": "1", "reason": "租金未付"})
    assert HoldFlag.objects.get().reason == "租金未付"
    client.post(reverse("portal:affairs_hold", args=[world.unit.pk]), {"on": "0"})
    assert HoldFlag.objects.get().cleared_at is not None


def test_a_visitor_announced_gets_a_code_and_a_qr(client, world):
    sign_in(client, "13812345678")
    client.post(reverse("portal:affairs_visitors"), {"unit": world.unit.pk, "visitor_name": "钱朋友",
                                                     "date": timezone.localdate().isoformat(), "people": "2"})
    pre = PreRegistration.objects.get()
    page = client.get(reverse("portal:affairs_visitors")).content.decode()
    assert pre.code in page and "<svg" in page


def test_the_owner_applies_for_renovation_and_follows_it(client, world):
    sign_in(client, "13812345678")
    start = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(reverse("portal:affairs_renovation_apply"), {
        "unit": world.unit.pk, "scope": "卫生间翻新", "contractor": "好家装饰", "foreman": "孙工",
        "foreman_phone": "13500001111", "planned_start": start.isoformat(),
        "planned_end": (start + dt.timedelta(days=20)).isoformat(), "attachments": [pdf("卫生间平面图.pdf")]})
    r = Renovation.objects.get(contractor="好家装饰")
    assert response["Location"] == reverse("portal:affairs_renovation", args=[r.pk]) and r.channel == "portal"
    client.post(reverse("portal:affairs_renovation_files", args=[r.pk]), {"attachments": [png("现场照片.png")]})
    assert list(r.files.values_list("name", "uploaded_by")) == [("卫生间平面图.pdf", None), ("现场照片.jpg", None)]
    mine = client.get(reverse("portal:affairs_renovation", args=[r.pk])).content.decode()
    download = client.get(reverse("portal:affairs_renovation_file", args=[r.files.first().pk]))
    assert "卫生间平面图.pdf" in mine and b"".join(download.streaming_content).startswith(b"%PDF-")
    page = client.get(reverse("portal:affairs_renovation", args=[world.renovation.pk])).content.decode()
    assert "清理阳台" in page and world.permit.number in page


def test_a_tenant_cannot_apply_for_renovation(client, world):
    sign_in(client, "13900001111")
    page = client.get(reverse("portal:affairs_renovation_apply")).content.decode()
    assert f'value="{world.unit.pk}"' not in page


def test_the_notice_board_shows_no_finder_and_no_contents(client, world):
    sign_in(client, "13700001111")
    page = client.get(reverse("portal:affairs_found")).content.decode()
    assert "黑色双肩包" in page and "笔记本电脑" not in page


def test_the_handover_shows_the_warranty_repair(client, world):
    sign_in(client, "13812345678")
    page = client.get(reverse("portal:affairs_handover", args=[world.handover.pk])).content.decode()
    assert "吊顶内遗留网线" in page and world.handover.lines.get(name="吊顶内遗留网线").work_order.number in page
