"""Chargeable repairs need the owner's consent before work; callbacks rate the work; complaints close
only after a callback; duplicates merge into one parent whose progress reaches every reporter."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from propdesk.core import timeline
from propdesk.notify.models import Notification
from propdesk.service import selectors, services
from propdesk.service.models import PriceItem, WorkOrder
from tests.factories import OccupancyFactory
from tests.service.conftest import act


@pytest.fixture
def tap_fee(project):
    return PriceItem.objects.create(project=project, name="更换水龙头", unit="item", price=Decimal("80.00"))


def test_chargeable_work_cannot_start_without_consent(leak, staff, technician, tap_fee):
    wo = act(staff, leak, "dispatch", assignee=technician)
    services.record_quote(technician, wo, cause="阀芯老化", method="更换水龙头", price_item=tap_fee,
                          quantity=Decimal("2"))
    with pytest.raises(ValidationError):
        act(technician, WorkOrder.objects.get(pk=wo.pk), "start")
    quote = services.record_consent(technician, wo, consent_by="王建国", method="signature")
    assert quote.fee == Decimal("160.00") and quote.consent_at is not None
    wo = act(technician, WorkOrder.objects.get(pk=wo.pk), "start")
    assert wo.state == WorkOrder.State.IN_PROGRESS
    verbs = [e.verb for e in timeline.events_for(wo.unit)]
    assert "service.quoted" in verbs and "service.consented" in verbs


def test_consent_needs_a_quote_and_a_way(leak, technician, tap_fee):
    with pytest.raises(ValidationError):
        services.record_consent(technician, leak, consent_by="王建国", method="signature")
    services.record_quote(technician, leak, cause="阀芯老化", method="更换", price_item=tap_fee)
    with pytest.raises(ValidationError):
        services.record_consent(technician, leak, consent_by="王建国", method="telepathy")


def test_a_price_from_another_project_is_refused(leak, technician, other_project):
    foreign = PriceItem.objects.create(project=other_project, name="开锁", price=Decimal("50"))
    with pytest.raises(ValidationError):
        services.record_quote(technician, leak, cause="x", method="y", price_item=foreign)


def test_temporary_measures_are_recorded_on_any_work_order(leak, technician):
    services.add_measure(technician, leak, kind="supply_isolated", note="已关闭3栋2单元进户水阀")
    assert leak.measures.get().get_kind_display()
    assert timeline.events_for(leak.unit).first().verb == "service.measure"


def resolved(wo, staff, technician):
    wo = act(staff, wo, "dispatch", assignee=technician)
    return act(technician, wo, "resolve", note="已处理")


def test_a_complaint_is_closed_only_after_the_callback(complaint, staff, technician):
    wo = act(staff, resolved(complaint, staff, technician), "confirm")
    with pytest.raises(ValidationError):
        act(staff, wo, "close")
    wo = act(staff, WorkOrder.objects.get(pk=wo.pk), "callback", rating=4, note="基本满意")
    assert act(staff, wo, "close").state == WorkOrder.State.CLOSED


def test_other_requests_may_close_before_the_callback_and_stay_on_the_callback_list(leak, staff, technician):
    wo = act(staff, resolved(leak, staff, technician), "confirm")
    wo = act(staff, wo, "close")
    assert wo in selectors.callbacks_due(staff)
    wo = act(staff, wo, "callback", rating=5)
    assert wo.state == WorkOrder.State.CLOSED and wo not in selectors.callbacks_due(staff)


def test_an_unanswered_callback_is_recorded_and_changes_nothing(leak, staff, technician):
    wo = resolved(leak, staff, technician)
    wo = act(staff, wo, "callback", reached=False, note="无人接听")
    assert wo.state == WorkOrder.State.RESOLVED and wo.called_back_at is None
    assert wo.callbacks.get().reached is False


@pytest.mark.parametrize("rating,flag", [(1, True), (2, True), (3, False), (5, False)])
def test_a_rating_of_1_or_2_flags_the_work_order_for_the_manager(leak, staff, technician, manager, rating, flag):
    wo = act(staff, resolved(leak, staff, technician), "callback", rating=rating)
    assert wo.needs_manager_attention is flag
    told = Notification.objects.filter(recipient_user=manager, event="work_order.poor_rating").exists()
    assert told is flag
    assert (wo in selectors.needing_manager(manager)) is flag


def test_callback_rating_must_be_1_to_5(leak, staff, technician):
    wo = resolved(leak, staff, technician)
    with pytest.raises(ValidationError):
        act(staff, wo, "callback", rating=6)
    with pytest.raises(ValidationError):
        act(staff, WorkOrder.objects.get(pk=wo.pk), "callback")


def test_the_requester_is_told_on_response_dispatch_resolution_and_callback(leak, staff, technician):
    wo = act(staff, leak, "respond")
    wo = act(staff, wo, "dispatch", assignee=technician)
    wo = act(technician, wo, "resolve", note="已更换接头")
    act(staff, wo, "callback", rating=5)
    sms = Notification.objects.filter(recipient_customer_id=leak.requester_id, channel="sms")
    assert sorted(sms.values_list("event", flat=True)) == sorted([
        "work_order.respond", "work_order.dispatch", "work_order.resolve", "work_order.callback"])
    assert all(n.address == "13812345678" for n in sms)
    assert Notification.objects.filter(recipient_user=technician, event="work_order.dispatch").exists()


def public_fault(staff, project, building, category, text):
    wo, _ = services.create_work_order(staff, project=project, kind="repair_public", channel="hotline",
                                       description=text, building=building, location="2单元电梯",
                                       category=category)
    return wo


def test_reports_of_the_same_public_fault_are_offered_for_merging_and_all_reporters_told(
        occupancy, staff, technician):
    from propdesk.service.models import Category

    project, building = occupancy.unit.project, occupancy.unit.building
    lift = Category.objects.get(project=None, code="elevator")
    first = public_fault(staff, project, building, lift, "2单元电梯不动了")
    neighbour = OccupancyFactory(unit__building=building, customer__name="赵邻居", customer__phones=["13900009999"])
    second, _ = services.create_work_order(staff, project=project, kind="repair_public", channel="wechat",
                                           description="电梯停在8楼不动", building=building, category=lift,
                                           requester=neighbour.customer)
    assert selectors.duplicate_candidates(second) == [first]
    act(staff, second, "merge", parent=first)
    assert WorkOrder.objects.get(pk=second.pk).state == WorkOrder.State.MERGED
    act(staff, WorkOrder.objects.get(pk=first.pk), "dispatch", assignee=technician)
    assert Notification.objects.filter(recipient_customer_id=neighbour.customer.pk, event="work_order.dispatch",
                                       channel="sms").exists()


def test_a_unit_repair_is_not_a_public_duplicate(leak, staff):
    assert selectors.duplicate_candidates(leak) == []


def test_merge_refuses_itself_and_other_projects(leak, staff):
    with pytest.raises(ValidationError):
        act(staff, leak, "merge", parent=leak.pk)
