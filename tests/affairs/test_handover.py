"""Move-in handover and move-out inspection (issue 13, item 1)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from propdesk.affairs import handover as svc
from propdesk.affairs import selectors
from propdesk.affairs.models import ChecklistItem, Handover, HandoverLine
from propdesk.archive.models import Occupancy, UnitRecord
from propdesk.core.errors import Conflict, NotFound
from propdesk.core.timeline import events_for
from propdesk.engage import planning
from propdesk.engage.models import CallbackTask
from propdesk.service import transitions
from propdesk.service.models import WorkOrder
from tests.factories import UnitFactory

from .conftest import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_unit(project):
    return UnitFactory(building__project=project, building__code="8", entrance="1", number="0302", floor=3)


def tick_all(actor, handover, **overrides):
    for line in handover.lines.all():
        if line.name in overrides:
            continue
        reading = Decimal("12.50") if line.group == "meters" else None
        svc.record_line(actor, line, status="ok", quantity=line.expected_quantity, reading=reading)


def test_a_handover_copies_the_projects_checklist(staff, manager, project, empty_unit, new_owner):
    svc.set_checklist(manager, project, [("keys", "入户门钥匙", 4), ("documents", "业主手册", 1),
                                         ("meters", "水表读数", None)])
    h = svc.start_handover(staff, unit=empty_unit, customer=new_owner)
    assert [(x.group, x.name, x.expected_quantity) for x in h.lines.all()] == [
        ("keys", "入户门钥匙", 4), ("documents", "业主手册", 1), ("meters", "水表读数", None)]


def test_without_a_checklist_the_default_lists_keys_documents_meters_and_fittings(staff, empty_unit, new_owner):
    h = svc.start_handover(staff, unit=empty_unit, customer=new_owner)
    groups = set(h.lines.values_list("group", flat=True))
    assert groups == {"keys", "documents", "meters", "fittings"}
    assert {"业主手册", "管理规约", "装修须知"} <= set(h.lines.values_list("name", flat=True))
    assert not ChecklistItem.objects.exists()


def test_only_managers_configure_the_checklist(staff, project):
    with pytest.raises(PermissionDenied):
        svc.set_checklist(staff, project, [("keys", "钥匙", 1)])


def test_a_defect_needs_a_photo_and_becomes_a_warranty_work_order(staff, empty_unit, new_owner):
    h = svc.start_handover(staff, unit=empty_unit, customer=new_owner)
    line = h.lines.get(name="窗户及玻璃")
    with pytest.raises(ValidationError) as err:
        svc.record_line(staff, line, status="defective", note="主卧窗玻璃裂纹")
    assert "photos" in err.value.message_dict
    assert not WorkOrder.objects.exists()
    svc.record_line(staff, line, status="defective", note="主卧窗玻璃裂纹", photos=[png()])
    line.refresh_from_db()
    wo = line.work_order
    assert wo.kind == WorkOrder.Kind.REPAIR_HOME and wo.unit == empty_unit and wo.requester == new_owner
    assert "主卧窗玻璃裂纹" in wo.description and "保修" in wo.description
    assert wo.is_warranty
    assert selectors.get_handover_line(staff, line.pk).work_order == wo
    assert list(selectors.open_warranty_lines(empty_unit.pk)) == [line]


def test_the_defect_follows_its_work_order_to_closure(staff, empty_unit, new_owner):
    h = svc.start_handover(staff, unit=empty_unit, customer=new_owner)
    line = svc.record_line(staff, h.lines.get(name="可视对讲"), status="defective", note="无画面", photos=[png()])
    wo = line.work_order
    for action, extra in (("resolve", {"note": "更换主板"}), ("confirm", {}), ("close", {})):
        transitions.transition(staff, wo, action, **extra)
        wo.refresh_from_db()
    assert wo.state == WorkOrder.State.CLOSED
    assert list(selectors.open_warranty_lines(empty_unit.pk)) == []
    assert list(selectors.warranty_lines(empty_unit.pk)) == [line]  # the warranty record keeps it, closed
    assert selectors.unit_affairs(staff, empty_unit).warranty == [(line, False)]
    assert WorkOrder.objects.get(pk=wo.pk).is_warranty  # still a warranty repair once closed


def test_the_work_order_list_filters_warranty_repairs(staff, empty_unit, new_owner, client):
    from propdesk.service import services as desk
    from propdesk.service.selectors import QueueFilter, queue

    other, _new = desk.create_work_order(staff, project=empty_unit.project, kind=WorkOrder.Kind.REPAIR_HOME,
                                         channel=WorkOrder.Channel.WALK_IN, unit=empty_unit,
                                         description="厨房水龙头漏水")
    h = svc.start_handover(staff, unit=empty_unit, customer=new_owner)
    warranty = svc.record_line(staff, h.lines.get(name="可视对讲"), status="defective", note="无画面",
                               photos=[png()]).work_order
    assert set(queue(staff, QueueFilter())) == {other, warranty}
    assert list(queue(staff, QueueFilter(warranty=True))) == [warranty]
    client.force_login(staff)
    page = client.get(reverse("console:queue"), {"tab": "project", "warranty": "on"}).content.decode()
    assert warranty.number in page and other.number not in page and "data-warranty-order" in page
    # closed, it is still found with the closed ones
    for action, extra in (("resolve", {"note": "更换主板"}), ("confirm", {}), ("close", {})):
        transitions.transition(staff, warranty, action, **extra)
        warranty.refresh_from_db()
    assert list(queue(staff, QueueFilter(warranty=True, open_only=False))) == [warranty]


def test_signing_needs_every_line_checked(staff, empty_unit, new_owner):
    h = svc.start_handover(staff, unit=empty_unit, customer=new_owner)
    with pytest.raises(ValidationError) as err:
        svc.sign_handover(staff, h, signed_by="陈新房")
    assert "入户门钥匙" in str(err.value)


def test_a_meter_line_needs_its_reading(staff, empty_unit, new_owner):
    h = svc.start_handover(staff, unit=empty_unit, customer=new_owner)
    with pytest.raises(ValidationError) as err:
        svc.record_line(staff, h.lines.get(name="电表读数"), status="ok")
    assert "reading" in err.value.message_dict


def test_signing_a_move_in_starts_the_occupancy_and_the_new_owner_callback(staff, empty_unit, new_owner):
    with time_machine.travel(dt.datetime(2027, 3, 10, 10, tzinfo=dt.UTC), tick=False):
        h = svc.start_handover(staff, unit=empty_unit, customer=new_owner)
        tick_all(staff, h)
        svc.sign_handover(staff, h, signed_by="陈新房")
    occ = Occupancy.objects.get(unit=empty_unit, customer=new_owner)
    assert occ.role == Occupancy.Role.OWNER and occ.start_date == dt.date(2027, 3, 10)
    assert UnitRecord.objects.filter(unit=empty_unit, kind="handover").exists()
    planning.plan_callbacks(dt.date(2027, 4, 9))
    task = CallbackTask.objects.get(customer=new_owner)
    assert task.kind == "new_owner" and task.due_date == dt.date(2027, 4, 9)
    assert events_for(empty_unit).filter(verb="affairs.handover.signed").exists()
    assert events_for(new_owner).filter(verb="affairs.handover.signed").exists()


def test_an_existing_occupancy_is_not_duplicated(staff, unit, owner):
    h = svc.start_handover(staff, unit=unit, customer=owner)
    tick_all(staff, h)
    svc.sign_handover(staff, h, signed_by=owner.name)
    assert Occupancy.objects.filter(unit=unit, customer=owner).count() == 1


def test_a_signed_handover_cannot_change(staff, unit, owner):
    h = svc.start_handover(staff, unit=unit, customer=owner)
    tick_all(staff, h)
    svc.sign_handover(staff, h, signed_by=owner.name)
    with pytest.raises(Conflict):
        svc.record_line(staff, h.lines.first(), status="missing", note="x", photos=[png()])


def test_another_projects_staff_cannot_see_or_start_a_handover(staff, outsider, unit, owner):
    h = svc.start_handover(staff, unit=unit, customer=owner)
    with pytest.raises(NotFound):
        selectors.get_handover(outsider, h.pk)
    with pytest.raises(NotFound):
        svc.start_handover(outsider, unit=unit, customer=owner)


def test_move_out_lists_what_differs_from_move_in_and_what_is_new(staff, unit, owner):
    h = svc.start_handover(staff, unit=unit, customer=owner, date=dt.date(2024, 5, 1))
    tick_all(staff, h)
    svc.sign_handover(staff, h, signed_by=owner.name)
    out = svc.start_handover(staff, unit=unit, customer=owner, kind=Handover.Kind.MOVE_OUT)
    assert set(out.lines.values_list("name", flat=True)) == set(h.lines.values_list("name", flat=True))
    tick_all(staff, out, **{"入户门钥匙": 1, "墙面地面": 1})
    svc.record_line(staff, out.lines.get(name="入户门钥匙"), status="ok", quantity=2)
    svc.record_line(staff, out.lines.get(name="墙面地面"), status="defective", note="客厅墙面钉孔", photos=[png()])
    extra = svc.add_line(staff, out, name="吊顶内遗留网线")
    svc.record_line(staff, extra, status="defective", note="前租户遗留", photos=[png()])
    diffs = {d.name: d for d in svc.move_out_differences(out)}
    assert set(diffs) == {"入户门钥匙", "墙面地面", "吊顶内遗留网线"}
    assert "×3" in diffs["入户门钥匙"].before and "×2" in diffs["入户门钥匙"].after
    assert "客厅墙面钉孔" in diffs["墙面地面"].after
    assert diffs["吊顶内遗留网线"].before == "此前无记录"
    # a move-out defect is a difference to settle, not a warranty work order
    assert not HandoverLine.objects.filter(handover=out, work_order__isnull=False).exists()
