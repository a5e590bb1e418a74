"""Reporting a problem from the portal (the portal issue, item 3): the right work order, once, with the
desk's triage and the promise shown to the owner."""

import pytest
from django.core.exceptions import ValidationError

from propdesk.core import timeline
from propdesk.notify.models import Notification
from propdesk.service import owner_actions, transitions
from propdesk.service.models import WorkOrder
from tests.factories import BuildingFactory, OccupancyFactory, UnitFactory
from tests.portal.conftest import english, report

LEAK = "厨房水管爆了，水漫出来了"


def form_data(client, **kw):
    form = client.get("/portal/report/").context["form"]
    data = {"place": form.fields["place"].initial, "kind": "repair", "category": "", "location": "",
            "description": LEAK, "idempotency_key": form.initial["idempotency_key"]}
    data.update(kw)
    return data


def test_a_report_is_a_portal_work_order_for_the_owners_unit(owner_client, occupancy, desk_staff):
    response = owner_client.post("/portal/report/", form_data(owner_client))
    wo = WorkOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/requests/{wo.pk}/"
    assert wo.channel == "portal" and wo.kind == "repair_home"
    assert wo.unit == occupancy.unit and wo.requester == occupancy.customer
    assert wo.contact_phone == "13812345678" and wo.first_receiver is None
    assert wo.priority == "emergency" and wo.category.code == "plumbing"
    assert wo.timers.get(kind="respond").limit_seconds == 30 * 60
    event = timeline.events_for(wo).get(verb="service.received")
    assert event.actor is None and not event.internal


def test_the_front_desk_is_told_of_a_portal_report(owner_client, desk_staff):
    owner_client.post("/portal/report/", form_data(owner_client))
    assert Notification.objects.filter(recipient_user=desk_staff.desk, event="work_order.portal_report").exists()


def test_a_double_submit_makes_one_work_order(owner_client):
    data = form_data(owner_client)
    first = owner_client.post("/portal/report/", data)
    second = owner_client.post("/portal/report/", data)
    assert WorkOrder.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_same_key_from_the_service_returns_the_first_work_order(owner):
    first = report(owner, key="retry")
    assert report(owner, key="retry") == first and WorkOrder.objects.count() == 1


def test_the_emergency_hint_promises_30_minutes(owner_client):
    english(owner_client)
    place = form_data(owner_client)["place"]
    hint = owner_client.get("/portal/report/triage/", {"description": LEAK, "place": place}).content.decode()
    assert 'data-emergency="1"' in hint and "30 minutes" in hint
    calm = owner_client.get("/portal/report/triage/", {"description": "想咨询一下停车月卡怎么办", "place": place})
    assert 'data-emergency="0"' in calm.content.decode() and "2 hours" in calm.content.decode()


def test_the_request_page_shows_the_promise_with_the_latest_time(owner_client):
    english(owner_client)
    response = owner_client.post("/portal/report/", form_data(owner_client), follow=True)
    wo = WorkOrder.objects.get()
    body = response.content.decode()
    due = wo.timers.get(kind="respond").due_at
    from django.utils import timezone

    assert 'data-testid="promise"' in body and "within 30 minutes" in body
    assert timezone.localtime(due).strftime("%H:%M") in body


def test_a_public_area_report_is_a_public_repair_of_that_building(owner, occupancy):
    wo = report(owner, unit_id=None, building_id=occupancy.unit.building_id, location="2单元电梯厅",
                description="电梯厅的灯不亮")
    assert wo.kind == "repair_public" and wo.unit is None and wo.building == occupancy.unit.building
    assert wo.requester == occupancy.customer and wo.location == "2单元电梯厅"


def test_complaints_inquiries_and_suggestions_keep_their_kind(owner):
    assert report(owner, key="c", kind="complaint", description="楼上装修太吵").kind == "complaint"
    assert report(owner, key="s", kind="suggestion", description="希望增加充电桩").kind == "suggestion"


def test_an_owner_cannot_report_for_someone_elses_unit_or_building(owner, other_project):
    stranger = OccupancyFactory(unit=UnitFactory(building=BuildingFactory(project=other_project)))
    with pytest.raises(ValidationError):
        report(owner, unit_id=stranger.unit_id)
    with pytest.raises(ValidationError):
        report(owner, unit_id=None, building_id=stranger.unit.building_id)
    assert not WorkOrder.objects.exists()


def test_a_forged_place_in_the_form_is_refused(owner_client, other_project):
    stranger = OccupancyFactory(unit=UnitFactory(building=BuildingFactory(project=other_project)))
    response = owner_client.post("/portal/report/", form_data(owner_client, place=f"unit:{stranger.unit_id}"))
    assert response.status_code == 200 and not WorkOrder.objects.exists()


def test_an_empty_description_is_refused_on_the_form(owner_client):
    response = owner_client.post("/portal/report/", form_data(owner_client, description=""))
    assert response.status_code == 200 and response.context["form"].errors and not WorkOrder.objects.exists()


def test_the_first_staff_member_to_act_becomes_the_first_receiver(owner, desk_staff):
    wo = report(owner)
    wo = transitions.transition(desk_staff.desk, wo, "dispatch", assignee=desk_staff.tech)
    assert wo.first_receiver == desk_staff.desk


def test_the_owner_report_appears_in_the_desk_queue_first(owner, desk_staff, occupancy):
    from propdesk.service import selectors, services

    services.create_work_order(desk_staff.desk, project=occupancy.unit.project, kind="inquiry", channel="hotline",
                               description="咨询停车", unit=occupancy.unit)
    wo = report(owner)
    assert selectors.queue(desk_staff.desk).first() == wo


def test_owner_reports_need_a_key(owner):
    with pytest.raises(ValidationError):
        owner_actions.report(owner, unit_id=owner.unit_ids[0], description=LEAK, idempotency_key="")


def test_a_portal_report_nobody_took_warns_the_front_desk(owner, desk_staff):
    import datetime as dt

    from django.utils import timezone

    from propdesk.service.sweep import sweep_sla

    wo = report(owner)
    sweep_sla(now=timezone.now() + dt.timedelta(minutes=25))
    warned = Notification.objects.filter(event="work_order.sla_warning")
    assert [n.recipient_user for n in warned] == [desk_staff.desk]
    assert wo.first_receiver is None
