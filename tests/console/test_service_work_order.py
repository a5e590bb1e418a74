"""The work order page: one form per allowed action, each posting with the version it was read at."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.service import services, transitions
from propdesk.service.models import PriceItem, SlaTimer, WorkOrder
from tests.console.conftest import receive


def page(client, wo):
    return client.get(reverse("console:work_order", args=[wo.pk]))


def act(client, wo, action, **data):
    data = {f"{action}-{k}": v for k, v in data.items()}
    data.setdefault(f"{action}-version", WorkOrder.objects.get(pk=wo.pk).version)
    return client.post(reverse("console:work_order_act", args=[wo.pk, action]), data)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def leak(service_desk):
    return receive(service_desk.desk, service_desk.unit, "3栋1201卫生间天花板漏水，水一直往下滴",
                   requester=service_desk.owner)


def test_only_the_allowed_actions_have_forms(desk_en, leak):
    response = page(desk_en, leak)
    shown = [action for action, _label, _form in response.context["action_forms"]]
    assert shown == ["respond", "dispatch", "resolve", "hold", "transfer", "cancel", "merge"]
    body = response.content.decode()
    assert 'data-action="dispatch"' in body and 'data-action="confirm"' not in body
    assert 'data-action="callback"' not in body
    assert f'name="dispatch-version" value="{leak.version}"' in body


def test_the_page_shows_facts_limits_and_the_timeline(desk_en, leak, service_desk):
    body = page(desk_en, leak).content.decode()
    assert "卫生间天花板漏水" in body and "王建国" in body and leak.number in body
    assert reverse("console:unit_detail", args=[service_desk.unit.pk]) in body
    assert reverse("console:customer_detail", args=[service_desk.owner.pk]) in body
    assert "countdown lv-ok" in body and f"Work order {leak.number} received" in body


def test_dispatch_then_the_whole_flow_to_closure(desk_en, client, leak, service_desk):
    response = act(desk_en, leak, "dispatch", assignee=service_desk.tech.pk)
    assert response.status_code == 302 and response["Location"] == reverse("console:work_order", args=[leak.pk])
    leak.refresh_from_db()
    assert leak.state == "dispatched" and leak.assignee == service_desk.tech
    assert leak.department == service_desk.engineering
    client.force_login(service_desk.tech)
    for action, data in [("respond", {}), ("start", {}), ("resolve", {"note": "更换了排水管接头"})]:
        assert act(client, leak, action, **data).status_code == 302
    for action, data in [("confirm", {"who": "王建国"}), ("callback", {"reached": "yes", "rating": 5,
                                                                          "note": "很满意"}), ("close", {})]:
        assert act(desk_en, leak, action, **data).status_code == 302, action
    leak.refresh_from_db()
    assert leak.state == "closed" and leak.callbacks.get().rating == 5
    timeline = page(desk_en, leak).content.decode()
    for text in ["Dispatched to", "Responded", "Work started", "Resolved: 更换了排水管接头",
                 "Resolution confirmed by 王建国", "Callback: rating 5", "Closed"]:
        assert text in timeline, text


def test_a_forbidden_action_shows_the_conflict(desk_en, leak):
    response = act(desk_en, leak, "confirm")
    assert response.status_code == 302
    assert any("is not possible while work order" in m for m in messages_of(response))
    assert WorkOrder.objects.get(pk=leak.pk).state == "received"


def test_a_stale_version_shows_the_conflict(desk_en, leak, service_desk):
    old = leak.version
    transitions.transition(service_desk.tech, leak, "respond")
    response = act(desk_en, leak, "hold", version=old, note="等配件")
    assert any("Someone else changed work order" in m for m in messages_of(response))
    assert WorkOrder.objects.get(pk=leak.pk).state == "responded"


def test_a_missing_note_is_shown_on_the_form(desk_en, leak):
    response = act(desk_en, leak, "hold")
    assert response.status_code == 400
    form = dict((a, f) for a, _l, f in response.context["action_forms"])["hold"]
    assert "note" in form.errors
    assert "Say what the work order is waiting for." in response.content.decode()


def test_a_late_complaint_asks_for_the_explanation(desk_en, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "保安态度差", kind="complaint")
    assert "late_explanation" not in dict((a, f) for a, _l, f in page(desk_en, wo).context["action_forms"])[
        "resolve"].fields
    past = timezone.now() - timedelta(hours=1)
    SlaTimer.objects.filter(work_order=wo, kind="resolve").update(due_at=past, warn_at=past)
    form = dict((a, f) for a, _l, f in page(desk_en, wo).context["action_forms"])["resolve"]
    assert "late_explanation" in form.fields
    assert act(desk_en, wo, "resolve", note="已道歉").status_code == 400
    assert act(desk_en, wo, "resolve", note="已道歉", late_explanation="当班保安请假").status_code == 302
    assert WorkOrder.objects.get(pk=wo.pk).late_explanation == "当班保安请假"


def test_quote_consent_measure_and_internal_note(desk_en, leak, service_desk):
    item = PriceItem.objects.create(project=service_desk.project, name="更换水管接头", price=Decimal("30.00"))
    url = lambda name: reverse(f"console:work_order_{name}", args=[leak.pk])  # noqa: E731
    assert desk_en.post(url("quote"), {"cause": "接头老化", "method": "更换接头", "price_item": item.pk,
                                       "quantity": "2"}).status_code == 302
    assert desk_en.post(url("consent"), {"consent_by": "王建国", "method": "phone"}).status_code == 302
    assert desk_en.post(url("measure"), {"kind": "supply_isolated", "note": "关闭了总阀"}).status_code == 302
    assert desk_en.post(url("note"), {"text": "楼上住户下午才在家"}).status_code == 302
    leak.refresh_from_db()
    assert leak.quote.fee == Decimal("60.00") and leak.quote.consented
    body = page(desk_en, leak).content.decode()
    assert "关闭了总阀" in body and "楼上住户下午才在家" in body and 'class="badge internal"' in body
    assert desk_en.post(url("note"), {"text": ""}).status_code == 400


def test_a_duplicate_can_be_merged_from_the_candidates(desk_en, service_desk):
    common = {"kind": "repair_public", "channel": "hotline", "building": service_desk.unit.building,
              "category": service_desk.water}
    first, _ = services.create_work_order(service_desk.desk, project=service_desk.project,
                                          description="3栋电梯厅漏水", **common)
    second, _ = services.create_work_order(service_desk.desk, project=service_desk.project,
                                           description="3栋一楼电梯口有水", **common)
    body = page(desk_en, first).content.decode()
    assert second.number in body and reverse("console:work_order_act", args=[second.pk, "merge"]) in body
    response = desk_en.post(reverse("console:work_order_act", args=[second.pk, "merge"]), {
        "merge-version": second.version, "merge-parent": first.number,
        "next": reverse("console:work_order", args=[first.pk])})
    assert response["Location"] == reverse("console:work_order", args=[first.pk])
    second.refresh_from_db()
    assert second.state == "merged" and second.parent == first
