"""SMS: split to 70-character parts, a log provider by default, a signed request to an HTTP gateway."""

import hashlib
import hmac
import json
import logging

import pytest

from propdesk.notify import backends, services
from propdesk.notify.backends import HttpSmsBackend, split_sms
from propdesk.notify.models import Notification
from propdesk.notify.services import Contact, notify

SHORT = "您报修的3-2-1201厨房漏水已派给李师傅，预计30分钟内上门。"
# 3 sentences of 37 characters: two do not fit in one SMS, so each goes in an SMS of its own.
LONG = "".join(f"第{i}句：" + "请业主于本周内到服务中心领取新门禁卡并携带身份证原件核验" + "谢谢配合。" for i in range(1, 4))


def _sms_to_owner(project, capture, body=SHORT):
    with capture(execute=True):
        (row,) = notify(project=project, event="work_order.dispatched", subject="工单已派单", body=body,
                        customers=[Contact(customer_id=41, name="王建国", phone="13812345678")])
    row.refresh_from_db()
    return row


def test_a_short_text_is_one_sms():
    assert split_sms(SHORT) == [SHORT]


def test_a_long_text_is_split_after_punctuation_into_parts_of_at_most_70_characters():
    parts = split_sms(LONG)
    assert len(parts) == 3 and all(len(p) <= 70 and p.endswith("。") for p in parts)
    assert "".join(parts) == LONG


def test_beyond_the_maximum_number_of_parts_the_text_is_truncated_with_an_ellipsis():
    parts = split_sms("漏" * 500, max_parts=3)
    assert [len(p) for p in parts] == [70, 70, 70] and parts[-1].endswith("…")


def test_line_breaks_are_folded_into_one_line():
    assert split_sms("停水通知\n\n明日 9:00   起停水") == ["停水通知 明日 9:00 起停水"]


@pytest.mark.django_db
def test_the_default_backend_writes_the_sms_to_the_log_with_the_number_masked(
        project, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger="propdesk.sms"):
        row = _sms_to_owner(project, django_capture_on_commit_callbacks)
    assert row.status == "sent" and row.provider_ref.startswith("log-")
    (record,) = [r for r in caplog.records if r.name == "propdesk.sms"]
    assert "138****5678" in record.getMessage() and SHORT in record.getMessage()
    assert "13812345678" not in record.getMessage()


@pytest.mark.django_db
def test_each_part_of_a_long_sms_is_sent_and_its_id_kept(project, django_capture_on_commit_callbacks):
    row = _sms_to_owner(project, django_capture_on_commit_callbacks, body=LONG)
    assert row.status == "sent" and len(row.provider_ref.split()) == 3


def test_the_gateway_request_is_signed_json(settings):
    backend = HttpSmsBackend(url="https://sms.gateway.example/send", account="sunny", secret="k3y")
    url, headers, body = backend.build_request("13812345678", SHORT)
    assert url == "https://sms.gateway.example/send"
    payload = json.loads(body.decode("utf-8"))
    assert payload["account"] == "sunny" and payload["phone"] == "13812345678" and payload["text"] == SHORT
    assert SHORT.encode("utf-8") in body  # readable UTF-8, not \\u escapes
    assert headers["X-Signature"] == hmac.new(b"k3y", body, hashlib.sha256).hexdigest()
    assert headers["Content-Type"] == "application/json; charset=utf-8" and headers["X-Account"] == "sunny"
    # A replay of the same text is a different request: timestamp and nonce are signed too.
    assert backend.build_request("13812345678", SHORT)[2] != body


def test_the_gateway_backend_refuses_to_run_unconfigured(settings):
    settings.NOTIFY_SMS_HTTP_URL = ""
    with pytest.raises(backends.DeliveryError):
        HttpSmsBackend()


@pytest.mark.django_db
def test_the_gateway_receives_the_signed_body_and_its_id_is_kept(project, sms_gateway,
                                                                 django_capture_on_commit_callbacks):
    sms_gateway.answer = {"message_id": "gw-8841"}
    row = _sms_to_owner(project, django_capture_on_commit_callbacks)
    assert row.status == "sent" and row.provider_ref == "gw-8841"
    (request,) = sms_gateway.received
    assert request["path"] == "/sms/send"
    expected = hmac.new(b"s3cret-shared-key", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Signature"] == expected
    assert json.loads(request["body"])["text"] == SHORT


@pytest.mark.django_db
def test_a_gateway_error_marks_the_sms_failed_with_the_answer(project, sms_gateway,
                                                              django_capture_on_commit_callbacks):
    sms_gateway.answer_status = 503
    sms_gateway.answer = {"error": "quota exceeded"}
    row = _sms_to_owner(project, django_capture_on_commit_callbacks)
    assert row.status == "failed" and row.sent_at is None
    assert "HTTP 503" in row.last_error and "quota exceeded" in row.last_error


@pytest.mark.django_db
def test_a_retry_does_not_resend_the_parts_the_gateway_already_accepted(project, sms_gateway,
                                                                       django_capture_on_commit_callbacks):
    row = _sms_to_owner(project, django_capture_on_commit_callbacks, body=LONG)
    assert len(sms_gateway.received) == 3
    # Pretend the second part failed on the first attempt.
    Notification.objects.filter(pk=row.pk).update(status="failed", provider_ref="gw-1")
    assert services.deliver(row.pk) == "sent"
    assert [json.loads(r["body"])["text"] for r in sms_gateway.received[3:]] == split_sms(LONG)[1:]


def test_a_link_is_never_cut_between_two_sms():
    link = "https://wy.example.com/portal/n/abcdefghijklmnopqrstuv/"
    text = f"【阳光花园】5栋水管爆裂，今日14:00至18:00停水，请提前储水。 详情：{link}"
    parts = split_sms(text)
    assert parts[-1] == link and all(len(p) <= 70 for p in parts)
    assert split_sms(f"短 {link}，谢谢") == [f"短 {link}，谢谢"]  # a link that fits stays where it is
