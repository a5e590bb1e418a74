"""The technician's phone page, callbacks due, repair histories on the cards, the notification centre."""

from django.urls import reverse

from propdesk.notify.models import Notification
from propdesk.service import transitions
from propdesk.service.models import WorkOrder
from tests.console.conftest import receive
from tests.factories import StaffFactory

MY_JOBS = reverse("console:my_jobs")


def test_the_technician_sees_only_their_own_jobs(client, service_desk):
    mine = receive(service_desk.desk, service_desk.unit, "卫生间漏水")
    transitions.transition(service_desk.desk, mine, "dispatch", assignee=service_desk.tech)
    someone_else = StaffFactory(username="tech2", role="technician", projects=[service_desk.project])
    theirs = receive(service_desk.desk, service_desk.unit, "灯不亮")
    transitions.transition(service_desk.desk, theirs, "dispatch", assignee=someone_else)
    client.force_login(service_desk.tech)
    body = client.get(MY_JOBS).content.decode()
    assert mine.number in body and theirs.number not in body
    assert 'class="phone"' in body and "act-respond" in body and "act-resolve" in body


def test_respond_start_resolve_from_the_phone_page(client, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "卫生间漏水")
    transitions.transition(service_desk.desk, wo, "dispatch", assignee=service_desk.tech)
    client.force_login(service_desk.tech)
    for action, data in [("respond", {}), ("start", {}), ("resolve", {"resolve-note": "修好了"})]:
        version = WorkOrder.objects.get(pk=wo.pk).version
        response = client.post(reverse("console:work_order_act", args=[wo.pk, action]),
                               {f"{action}-version": version, "next": MY_JOBS, **data})
        assert response["Location"] == MY_JOBS
    assert WorkOrder.objects.get(pk=wo.pk).state == "resolved"
    assert f'data-number="{wo.number}"' not in client.get(MY_JOBS).content.decode()


def test_an_error_on_the_phone_page_comes_back_to_it(client, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "卫生间漏水")
    transitions.transition(service_desk.desk, wo, "dispatch", assignee=service_desk.tech)
    client.force_login(service_desk.tech)
    response = client.post(reverse("console:work_order_act", args=[wo.pk, "resolve"]),
                           {"resolve-version": wo.version + 1, "next": MY_JOBS}, follow=True)
    assert response.redirect_chain[-1][0] == MY_JOBS
    assert WorkOrder.objects.get(pk=wo.pk).state == "dispatched"


def test_callbacks_due_with_the_form_inline(desk_en, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "灯不亮")
    transitions.transition(service_desk.desk, wo, "resolve", note="换了灯泡")
    url = reverse("console:callbacks")
    body = desk_en.get(url).content.decode()
    assert wo.number in body and 'name="callback-rating"' in body
    response = desk_en.post(reverse("console:work_order_act", args=[wo.pk, "callback"]), {
        "callback-version": WorkOrder.objects.get(pk=wo.pk).version, "callback-reached": "yes",
        "callback-rating": "4", "callback-note": "满意", "next": url})
    assert response["Location"] == url
    assert f'data-number="{wo.number}"' not in desk_en.get(url).content.decode()


def test_histories_on_the_unit_and_customer_cards(desk_en, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "卫生间漏水", requester=service_desk.owner)
    transitions.transition(service_desk.desk, wo, "cancel", note="重复报修")
    unit_page = desk_en.get(reverse("console:unit_detail", args=[service_desk.unit.pk])).content.decode()
    assert "Repair history" in unit_page and wo.number in unit_page
    assert f"unit={service_desk.unit.pk}&amp;all=on" in unit_page
    card = desk_en.get(reverse("console:customer_detail", args=[service_desk.owner.pk])).content.decode()
    assert "Request history" in card and wo.number in card


def test_notifications_badge_list_and_mark_read(client, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "卫生间漏水", requester=service_desk.owner)
    transitions.transition(service_desk.desk, wo, "dispatch", assignee=service_desk.tech)
    client.force_login(service_desk.tech)
    body = client.get(MY_JOBS).content.decode()
    assert 'data-unread="1"' in body
    listing = client.get(reverse("console:notifications")).content.decode()
    assert wo.number in listing
    note = Notification.objects.get(recipient_user=service_desk.tech)
    response = client.post(reverse("console:notification_read", args=[note.pk]), {"open": "1"})
    assert response["Location"] == reverse("console:work_order", args=[wo.pk])
    assert "data-unread" not in client.get(MY_JOBS).content.decode()
    Notification.objects.filter(pk=note.pk).update(read_at=None)
    client.post(reverse("console:notifications_read_all"))
    assert not Notification.objects.filter(recipient_user=service_desk.tech, read_at__isnull=True).exists()


def test_someone_elses_notification_cannot_be_marked(client, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "卫生间漏水")
    transitions.transition(service_desk.desk, wo, "dispatch", assignee=service_desk.tech)
    client.force_login(service_desk.desk)
    note = Notification.objects.get(recipient_user=service_desk.tech)
    assert client.post(reverse("console:notification_read", args=[note.pk])).status_code == 404


def test_the_outbox_shows_the_sms_sent_to_the_owner(desk_en, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "卫生间漏水", requester=service_desk.owner)
    transitions.transition(service_desk.desk, wo, "respond")
    body = desk_en.get(reverse("console:notifications"), {"tab": "outbox"}).content.decode()
    assert "13812345678" in body and wo.number in body and "SMS" in body
