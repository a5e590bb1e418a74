"""Email notifications talk real SMTP: a local server on 127.0.0.1 receives them."""

import email
import email.policy
import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from propdesk.notify import services
from propdesk.notify.models import Notification
from propdesk.notify.services import Contact, notify
from propdesk.notify.tasks import deliver_notification

pytestmark = pytest.mark.django_db

BODY = "王先生您好：您报修的3栋2单元1201厨房漏水已处理完毕，请确认。如有疑问请致电服务中心。"


def _email_to_owner(project, capture, **kwargs):
    with capture(execute=True):
        (row,) = notify(project=project, event="work_order.resolved", subject="您的报修已处理完毕", body=BODY,
                        customers=[Contact(customer_id=41, name="王建国", email="wang@example.com")], **kwargs)
    row.refresh_from_db()
    return row


def _parsed(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def test_an_owner_email_arrives_over_smtp_with_its_chinese_text(project, smtp_server,
                                                                 django_capture_on_commit_callbacks):
    row = _email_to_owner(project, django_capture_on_commit_callbacks)
    assert row.status == "sent" and row.sent_at and row.attempts == 1 and row.last_error == ""
    (envelope,) = smtp_server.messages
    assert envelope.rcpt_tos == ["wang@example.com"]
    assert envelope.mail_from == "desk@propdesk.test"
    message = _parsed(envelope)
    assert message["Subject"] == "您的报修已处理完毕"
    assert message["Message-ID"] == row.provider_ref
    part = message.get_body(("plain",))
    assert part.get_content_charset() == "utf-8"
    assert part.get_content().strip() == BODY


def test_the_link_is_appended_when_a_site_url_is_configured(project, smtp_server, settings,
                                                            django_capture_on_commit_callbacks):
    settings.NOTIFY_SITE_URL = "https://desk.sunny.example/"
    _email_to_owner(project, django_capture_on_commit_callbacks, link="/portal/requests/7/")
    body = _parsed(smtp_server.messages[0]).get_body(("plain",)).get_content()
    assert "https://desk.sunny.example/portal/requests/7/" in body


def test_delivery_is_idempotent_a_second_run_sends_nothing(project, smtp_server, django_capture_on_commit_callbacks):
    row = _email_to_owner(project, django_capture_on_commit_callbacks)
    deliver_notification.enqueue(row.pk)
    assert services.deliver(row.pk) == "sent"
    assert len(smtp_server.messages) == 1
    row.refresh_from_db()
    assert row.attempts == 1


def test_a_stopped_smtp_server_marks_the_notification_failed_then_retry_sends_it(
        project, smtp_server, django_capture_on_commit_callbacks):
    smtp_server.stop()
    row = _email_to_owner(project, django_capture_on_commit_callbacks)
    assert row.status == "failed" and row.attempts == 1 and row.sent_at is None
    assert "Connection" in row.last_error or "refused" in row.last_error.lower()

    smtp_server.start()
    assert services.retry_failed() == 1
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and row.last_error == ""
    assert len(smtp_server.messages) == 1


def test_a_recipient_refused_by_the_server_is_recorded(project, smtp_server, django_capture_on_commit_callbacks):
    smtp_server.refuse = True
    row = _email_to_owner(project, django_capture_on_commit_callbacks)
    assert row.status == "failed"
    assert "SMTPRecipientsRefused" in row.last_error and "550" in row.last_error
    assert smtp_server.messages == []


def test_retry_gives_up_after_five_attempts(project, smtp_server, django_capture_on_commit_callbacks):
    smtp_server.refuse = True
    row = _email_to_owner(project, django_capture_on_commit_callbacks)
    for _ in range(10):
        services.retry_failed()
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 5
    assert services.retry_failed() == 0


def test_a_delivery_stuck_in_flight_is_released_and_retried(project, smtp_server):
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    stuck = Notification.objects.create(
        project=project, channel="email", address="wang@example.com", subject="通知", body=BODY,
        event="work_order.resolved", status="sending", attempts=1, last_attempt_at=long_ago)
    lost = Notification.objects.create(
        project=project, channel="email", address="li@example.com", subject="通知", body=BODY,
        event="work_order.resolved", created_at=long_ago)
    fresh = Notification.objects.create(
        project=project, channel="email", address="zhao@example.com", subject="通知", body=BODY,
        event="work_order.resolved")
    assert services.retry_failed() == 2
    assert {n.pk: n.status for n in Notification.objects.all()} == {stuck.pk: "sent", lost.pk: "sent",
                                                                   fresh.pk: "pending"}


def test_the_deploy_check_refuses_production_without_an_smtp_host(tmp_path):
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "EMAIL_HOST")}
    env |= {"DJANGO_SETTINGS_MODULE": "propdesk.settings.prod", "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "propdesk.example", "PROPDESK_VAR": str(tmp_path),
            "PROPDESK_DATA_KEY": secrets.token_urlsafe(48)}
    result = subprocess.run([sys.executable, str(root / "manage.py"), "check", "--deploy"], env=env, cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "mail.E001" in result.stderr + result.stdout


def test_a_copy_sent_again_after_an_interrupted_attempt_keeps_the_message_id(
        project, smtp_server, settings, django_capture_on_commit_callbacks):
    """A worker killed after the SMTP server accepted the message, before the row was marked sent: the
    retry sends it again (at-least-once in that window), as the same message for duplicate suppression."""
    settings.NOTIFY_STALE_SECONDS = 60
    row = _email_to_owner(project, django_capture_on_commit_callbacks)
    other = _email_to_owner(project, django_capture_on_commit_callbacks)  # a second message: its own id
    Notification.objects.filter(pk=row.pk).update(
        status="sending", last_attempt_at=timezone.now() - timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_failed() == 1
    first, second, again = (_parsed(envelope)["Message-ID"] for envelope in smtp_server.messages)
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2
    other.refresh_from_db()
    assert again == first == row.provider_ref and second == other.provider_ref != first
