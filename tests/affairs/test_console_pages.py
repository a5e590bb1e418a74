"""The console pages of public affairs as their users see them: every page renders, lists keep their query
count whatever the number of rows, the guard lands on the gate, a PDF and an .xlsx come out."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from propdesk.affairs import release
from propdesk.console.navigation import landing_url

from . import world as affairs_world
from .matrix import CONSOLE, LIST, OBJ, REGISTERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(project, unit, owner, staff):
    return affairs_world.build(project, unit, owner, staff)


@pytest.mark.parametrize("name", sorted(n for n, e in CONSOLE.items() if e[0] in (OBJ, LIST) and "GET" in e[1]
                                        and n != "affairs_claim_signature"))
def test_every_page_renders_for_the_projects_manager(client, world, name):
    client.force_login(world.manager)
    kwargs = {k: a[1:] if a.startswith("=") else getattr(world, a).pk for k, a in CONSOLE[name][2].items()}
    response = client.get(reverse(f"console:{name}", kwargs=kwargs))
    assert response.status_code == 200, name


def test_a_guard_lands_on_the_gate_and_sees_it_first(client, world):
    assert landing_url(world.guard) == reverse("console:gate")
    client.force_login(world.guard)
    page = client.get(reverse("console:gate")).content.decode()
    assert page.index('data-nav="gate"') < page.index('data-area="desk"')


def test_the_gate_shows_why_a_tenants_pass_cannot_pass(client, world):
    client.force_login(world.guard)
    page = client.get(reverse("console:gate"), {"q": world.release_pass.number.lower()}).content.decode()
    assert "pass-card stop" in page and "业主尚未授权" in page and "红木书柜" in page
    assert "gate_release" not in page and "Let these pass" not in page


def test_the_gate_lets_a_partial_authorisation_pass_and_registers_it(client, world):
    item = world.release_pass.items.get()
    release.authorise_in_portal(world.owner, world.release_pass, quantities={item.pk: 2})
    client.force_login(world.guard)
    response = client.post(reverse("console:gate_release", args=[world.release_pass.pk]), {f"q{item.pk}": "3"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.released == 0
    client.post(reverse("console:gate_release", args=[world.release_pass.pk]), {f"q{item.pk}": "2"})
    item.refresh_from_db()
    assert item.released == 2
    register = client.get(reverse("console:affairs_export", args=["releases"])).content
    rows = list(load_workbook(io.BytesIO(register)).active.iter_rows(values_only=True))
    assert rows[1][1:5] == (world.release_pass.number, "3-2-1201", "红木书柜", 2)


def test_the_unit_card_shows_the_active_renovation_and_open_warranty(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("console:unit_detail", args=[world.unit.pk])).content.decode()
    assert 'data-renovation="active"' in page and world.permit.number in page
    assert 'data-warranty="吊顶内遗留网线" data-open="1"' in page


def test_a_warranty_work_order_says_so_and_links_its_handover(client, world):
    client.force_login(world.staff)
    defect = world.handover.lines.get(name="吊顶内遗留网线")
    page = client.get(reverse("console:work_order", args=[defect.work_order_id])).content.decode()
    assert f'data-warranty-of="{world.handover.pk}"' in page
    assert reverse("console:affairs_handover", args=[world.handover.pk]) in page
    other = client.get(reverse("console:work_order", args=[_plain_work_order(world)]))
    assert "data-warranty-of" not in other.content.decode()


def _plain_work_order(world):
    from propdesk.service.models import WorkOrder
    from propdesk.service.services import create_work_order

    wo, _created = create_work_order(world.staff, project=world.project, kind=WorkOrder.Kind.REPAIR_HOME,
                                     channel=WorkOrder.Channel.HOTLINE, unit=world.unit, requester=world.owner,
                                     description="水龙头漏水")
    return wo.pk


@pytest.mark.parametrize("name", ["affairs_handover_pdf", "affairs_renovation_pdf", "affairs_pass_pdf",
                                  "affairs_allocation_pdf"])
def test_documents_are_pdfs(client, world, name):
    client.force_login(world.staff)
    kwargs = {k: getattr(world, a).pk for k, a in CONSOLE[name][2].items()}
    response = client.get(reverse(f"console:{name}", kwargs=kwargs))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


@pytest.mark.parametrize("register", [r for r in REGISTERS if r != "releases"])  # releases: see above
def test_every_register_exports(client, world, register):
    client.force_login(world.manager)
    response = client.get(reverse("console:affairs_export", args=[register]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row >= 2
    text = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "110101199001011234" not in text


LISTS = {"affairs_handovers": 7, "affairs_renovations": 7, "affairs_passes": 7, "affairs_found": 8,
         "affairs_parking": 9, "affairs_register": 6, "gate_visitors": 6}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_pages_keep_their_query_count(client, world, name, django_assert_num_queries):
    """One more row of each kind adds no query (no N+1)."""
    client.force_login(world.manager)
    url = reverse(f"console:{name}")
    client.get(url)
    affairs_world.build_more(world)
    with django_assert_num_queries(LISTS[name]):
        assert client.get(url).status_code == 200


def test_the_gate_shows_the_units_renovation_and_an_expired_permit_as_expired(client, world):
    client.force_login(world.guard)
    page = client.get(reverse("console:gate"), {"q": "3-2-1201"}).content.decode()
    assert 'data-works="active"' in page and 'data-permit-state="valid"' in page and world.permit.number in page
    with time_machine.travel(timezone.now() + dt.timedelta(days=3), tick=False):
        page = client.get(reverse("console:gate"), {"q": "3-2-1201"}).content.decode()
    assert 'data-permit-state="expired"' in page


def test_the_desk_attaches_drawings_and_serves_them_only_as_downloads(client, world):
    from .conftest import pdf

    client.force_login(world.staff)
    page = client.get(reverse("console:affairs_renovation", args=[world.renovation.pk])).content.decode()
    url = reverse("console:affairs_renovation_file", args=[world.renovation_file.pk])
    assert "厨卫平面图.pdf" in page and url in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.post(reverse("console:affairs_renovation_files", args=[world.renovation.pk]),
                {"attachments": [pdf("水电改造图.pdf")]})
    assert sorted(world.renovation.files.values_list("name", flat=True)) == ["厨卫平面图.pdf", "水电改造图.pdf"]


def test_the_permit_and_patrol_registers_list_what_the_renovation_page_shows(client, world):
    client.force_login(world.manager)

    def rows(register):
        content = client.get(reverse("console:affairs_export", args=[register])).content
        return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))[1:]

    assert [r[:4] for r in rows("permits")] == [(world.permit.number, "3-2-1201", "厨房", "电焊")]
    assert [(r[1], r[4], r[5]) for r in rows("patrols")] == [("3-2-1201", "阳台堆放材料", "清理阳台")]


def test_the_renovation_page_says_what_billing_holds_of_its_deposit(client, world):
    from propdesk.affairs import charges
    from propdesk.billing import payments

    client.force_login(world.staff)
    url = reverse("console:affairs_renovation", args=[world.renovation.pk])
    page = client.get(url).content.decode()
    assert 'data-deposit-state="due"' in page and reverse("console:unit_fees", args=[world.unit.pk]) in page
    deposit = charges.renovation_deposit(world.renovation)
    payments.take_payment(world.staff, world.unit, amount=deposit.amount, method="cash", deposit=deposit)
    page = client.get(url).content.decode()
    assert 'data-deposit-state="held"' in page and "¥3000.00" in page
