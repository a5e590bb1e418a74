"""notify(): one row per recipient and channel, delivered only once the caller's transaction commits."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from propdesk.core.timeline import Message
from propdesk.notify.models import Notification
from propdesk.notify.services import Contact, notify
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _dispatch(project, **kwargs):
    defaults = {"project": project, "event": "work_order.dispatched", "subject": "工单已派单",
                "body": "您报修的3-2-1201厨房漏水已派给李师傅，预计30分钟内上门。", "link": "/console/work-orders/7/"}
    return notify(**(defaults | kwargs))


def test_each_staff_user_gets_one_in_app_notification_marked_sent(project, staff):
    technician = StaffFactory(role="technician", projects=[project])
    rows = _dispatch(project, users=[staff, technician, staff])
    assert [(n.recipient_user, n.channel, n.status) for n in rows] == [
        (staff, "in_app", "sent"), (technician, "in_app", "sent")]
    assert all(n.sent_at and n.read_at is None for n in rows)


def test_staff_email_is_sent_only_when_the_setting_is_on(project, staff, settings, django_capture_on_commit_callbacks):
    staff.email = "desk@sunny.test"
    staff.save()
    assert {n.channel for n in _dispatch(project, users=[staff])} == {"in_app"}
    settings.NOTIFY_STAFF_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        rows = _dispatch(project, users=[staff])
    assert {n.channel for n in rows} == {"in_app", "email"}
    assert [m.to for m in mail.outbox] == [["desk@sunny.test"]]


def test_staff_who_cannot_see_the_project_are_not_told(project, outsider, admin_user):
    rows = _dispatch(project, users=[outsider, admin_user])
    assert [n.recipient_user for n in rows] == [admin_user]


def test_customer_is_told_on_each_configured_channel_they_have_an_address_for(project, settings):
    owner = Contact(customer_id=41, name="王建国", phone="+86 138-1234-5678", email="wang@example.com")
    no_email = Contact(customer_id=42, name="李丽", phone="13900001111")
    bad_phone = Contact(customer_id=43, name="赵强", phone="12345", email="not-an-address")
    rows = _dispatch(project, customers=[owner, no_email, bad_phone, owner])
    assert [(n.recipient_customer_id, n.channel, n.address) for n in rows] == [
        (41, "sms", "13812345678"), (41, "email", "wang@example.com"), (42, "sms", "13900001111")]
    assert all(n.status == "pending" and n.recipient_user is None for n in rows)

    settings.NOTIFY_CUSTOMER_CHANNELS = ("sms",)
    assert [n.channel for n in _dispatch(project, customers=[owner])] == ["sms"]


def test_nothing_leaves_before_the_callers_transaction_commits(project, django_capture_on_commit_callbacks):
    owner = Contact(customer_id=41, name="王建国", email="wang@example.com")
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            (row,) = _dispatch(project, customers=[owner])
            assert mail.outbox == []
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 1 and row.provider_ref.startswith("<")
    assert mail.outbox[0].subject == "工单已派单"


def test_a_rolled_back_transaction_sends_nothing(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            _dispatch(project, customers=[Contact(customer_id=41, email="wang@example.com")])
            raise RuntimeError("the dispatch failed")
    assert mail.outbox == [] and not Notification.objects.exists()


def test_a_message_is_stored_language_neutral_and_read_in_the_readers_language(project, staff):
    (row,) = _dispatch(project, users=[staff],
                       subject=Message(gettext_noop("Work order %(number)s dispatched"), {"number": "WO-7"}),
                       body=Message(gettext_noop("Dispatched to %(name)s."), {"name": "李师傅"}))
    row.refresh_from_db()
    assert row.subject == "Work order %(number)s dispatched" and row.params["subject"] == {"number": "WO-7"}
    with translation.override("en"):
        assert row.subject_text == "Work order WO-7 dispatched"
        assert row.body_text == "Dispatched to 李师傅."


def test_link_must_be_a_path_and_event_is_required(project, staff):
    with pytest.raises(ValueError):
        _dispatch(project, users=[staff], link="https://elsewhere.example/")
    with pytest.raises(ValueError):
        _dispatch(project, users=[staff], event="")
