"""Notices (issue 15 item 1): audience, channels, read receipts, re-send to non-readers, schedule, withdraw."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from propdesk.core.errors import Conflict, NotFound
from propdesk.engage import audience
from propdesk.engage.models import ContactPreference, Notice, NoticeDispatch, NoticeRecipient, Segment
from propdesk.engage.notices import dispatch, selectors, services, tokens
from propdesk.notify.models import Notification
from propdesk.notify.services import deliver, retry_failed
from tests.handset import received

pytestmark = pytest.mark.django_db


def draft(actor, project, **data):
    data = {"kind": "service_tip", "title": "5栋停水通知", "body": "因水管爆裂，5栋今日14:00至18:00停水，请提前储水。",
            "channels": ["board", "in_app", "sms"], **data}
    return services.save_notice(actor, project, data)[0]


def sent(manager, project, capture, **data):
    notice = draft(manager, project, **data)
    with capture(execute=True):
        services.send_notice(manager, notice)
    notice.refresh_from_db()
    return notice


def owner_of(phone):
    from propdesk.archive.owners import owner_for_phone

    return owner_for_phone(phone)


def test_the_audience_is_one_person_per_household_owner_first(homes, project):
    every = audience.households(audience.Audience(project.pk))
    assert every == {homes.u1201.pk: homes.wang.pk, homes.u1202.pk: homes.landlord.pk, homes.u0501.pk: homes.firm.pk}
    tenants = audience.households(audience.Audience(project.pk, roles=("tenant",)))
    assert tenants == {homes.u1202.pk: homes.tenant.pk}  # the ended lease of 1203 is no household any more
    building5 = audience.households(audience.Audience(project.pk, building_ids=(homes.b5.pk,)))
    assert list(building5) == [homes.u0501.pk]
    either = audience.Audience(project.pk, building_ids=(homes.b5.pk,), unit_ids=(homes.u1202.pk,))
    assert set(audience.households(either)) == {homes.u0501.pk, homes.u1202.pk}
    firms = audience.Audience(project.pk, criteria={"customer_type": ["enterprise"]})
    assert list(audience.households(firms)) == [homes.u0501.pk]


def test_sending_reaches_each_household_once_with_its_own_read_link(homes, manager, project,
                                                                  django_capture_on_commit_callbacks):
    notice = sent(manager, project, django_capture_on_commit_callbacks)
    assert notice.status == "sent" and notice.households == 3 and notice.published_at is not None
    assert NoticeRecipient.objects.filter(notice=notice).count() == 3
    sms = Notification.objects.filter(event="engage.notice", channel="sms")
    assert sorted(sms.values_list("address", flat=True)) == ["13600005555", "13700003333", "13812345678"]
    row = sms.get(address="13812345678")
    assert row.status == "sent" and row.sealed == ""  # the token was sealed until sent, then wiped
    assert "/portal/n/******/" in row.body_text  # what the outbox keeps: the link masked
    text = received("13812345678")
    assert "5栋停水通知" in text and "******" not in text
    token = text.split("/portal/n/")[1].split("/")[0]
    assert len(token) >= 20 and token not in row.body_text

    recipient = services.read_by_token(token)
    assert recipient.unit == homes.u1201 and recipient.read_via == "link"
    assert selectors.read_rate(notice).read == 1
    with pytest.raises(NotFound):
        services.read_by_token(token[:-1] + ("A" if token[-1] != "A" else "B"))


def test_a_second_fan_out_of_the_same_sending_adds_nothing(homes, manager, project,
                                                           django_capture_on_commit_callbacks):
    notice = sent(manager, project, django_capture_on_commit_callbacks)
    first = NoticeDispatch.objects.get(notice=notice)
    NoticeDispatch.objects.filter(pk=first.pk).update(finished_at=None)  # as if its worker had died at the end
    dispatch.fan_out(first.pk)
    assert NoticeRecipient.objects.filter(notice=notice).count() == 3
    assert Notification.objects.filter(event="engage.notice").count() == 3


def test_a_fan_out_killed_half_way_is_resumed_without_a_double_message(homes, manager, project, monkeypatch,
                                                                       django_capture_on_commit_callbacks):
    monkeypatch.setattr(dispatch, "CHUNK", 1)
    real_send, calls = dispatch._send, []

    def dies_on_the_second_chunk(sending, rows, channels, *made):
        calls.append(len(rows))
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real_send(sending, rows, channels, *made)

    monkeypatch.setattr(dispatch, "_send", dies_on_the_second_chunk)
    notice = draft(manager, project)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice(manager, notice)  # the task dies (the queue records it failed)
    sending = NoticeDispatch.objects.get(notice=notice)
    assert sending.finished_at is None and Notification.objects.filter(event="engage.notice").count() == 1
    assert dispatch.resume_stalled() == 0  # still beating
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=3)), \
            django_capture_on_commit_callbacks(execute=True):
        assert dispatch.resume_stalled() == 1
    sending.refresh_from_db()
    assert sending.finished_at is not None and sending.households == 3
    per_household = Notification.objects.filter(event="engage.notice").values_list("address", flat=True)
    assert sorted(per_household) == ["13600005555", "13700003333", "13812345678"]
    # Each message carries the link of the receipt stored first (the resumed run's new tokens were not kept).
    stored = set(NoticeRecipient.objects.filter(notice=notice).values_list("digest", flat=True))
    texts = [received(phone) for phone in per_household]
    assert {tokens.digest(re.search(r"/n/([\w-]+)/", text).group(1)) for text in texts} == stored


def test_reading_in_the_portal_counts_for_each_of_the_owners_homes(homes, manager, project,
                                                                   django_capture_on_commit_callbacks):
    notice = sent(manager, project, django_capture_on_commit_callbacks)
    owner = owner_of("13812345678")
    assert [n.pk for n in selectors.unread_for_owner(owner)] == [notice.pk]
    assert services.read_by_owner(owner, selectors.get_owner_notice(owner, notice.pk)) == 1
    assert services.read_by_owner(owner, notice) == 0  # already read: the first time stays
    rate = selectors.read_rate(notice)
    assert (rate.households, rate.read, rate.via_portal, rate.percent) == (3, 1, 1, 33.3)
    assert selectors.unread_for_owner(owner) == []
    assert NoticeRecipient.objects.get(notice=notice, unit=homes.u1201).sealed_token == ""  # no token kept once read


def test_the_board_shows_a_buildings_notice_to_its_residents_only(homes, manager, project,
                                                                  django_capture_on_commit_callbacks):
    notice = sent(manager, project, django_capture_on_commit_callbacks, buildings=[homes.b5], channels=["board"])
    assert notice.households == 1 and not Notification.objects.filter(event="engage.notice").exists()
    assert [n.pk for n in selectors.notices_for_owner(owner_of("13600005555"))] == [notice.pk]
    assert list(selectors.notices_for_owner(owner_of("13812345678"))) == []
    assert list(selectors.notices_for_owner(owner_of("13655556666"))) == []  # another project
    with pytest.raises(NotFound):
        selectors.get_owner_notice(owner_of("13812345678"), notice.pk)


def test_re_sending_reaches_only_the_households_that_have_not_read_it(homes, manager, staff, project,
                                                                      django_capture_on_commit_callbacks):
    notice = sent(manager, project, django_capture_on_commit_callbacks)
    services.read_by_owner(owner_of("13812345678"), notice)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.resend_to_unread(staff, notice, ["sms"])  # the front desk re-sends
    again.refresh_from_db()
    assert again.number == 2 and again.households == 2 and again.finished_at is not None
    second = Notification.objects.filter(batch=again.batch)
    assert sorted(second.values_list("address", flat=True)) == ["13600005555", "13700003333"]
    # the re-sent SMS carries the same link as the first one
    first_link = received("13700003333").split("/portal/n/")[1]
    assert services.read_by_token(first_link.split("/")[0]).unit == homes.u1202
    for recipient in NoticeRecipient.objects.filter(notice=notice):
        assert Notification.objects.filter(event="engage.notice", recipient_customer_id=recipient.customer_id,
                                           batch=again.batch).count() <= 1
    services.read_by_owner(owner_of("13600005555"), notice)
    with pytest.raises(ValidationError):
        services.resend_to_unread(staff, notice, ["email", "board"])


def test_every_household_read_it_so_there_is_nothing_to_re_send(homes, manager, project,
                                                                django_capture_on_commit_callbacks):
    notice = sent(manager, project, django_capture_on_commit_callbacks)
    NoticeRecipient.objects.filter(notice=notice).update(read_at=timezone.now())
    with pytest.raises(ValidationError, match="Every household|所有住户"):
        services.resend_to_unread(manager, notice, ["sms"])


def test_a_scheduled_notice_goes_out_when_its_time_comes(homes, manager, project,
                                                         django_capture_on_commit_callbacks):
    at = timezone.now() + dt.timedelta(hours=2)
    notice = draft(manager, project, scheduled_at=at)
    services.send_notice(manager, notice)
    notice.refresh_from_db()
    assert notice.status == "scheduled" and not NoticeDispatch.objects.exists()
    assert services.send_due_notices(timezone.now()) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_notices(at + dt.timedelta(seconds=1)) == 1
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.households == 3
    assert services.send_due_notices(at + dt.timedelta(minutes=1)) == 0


def test_a_scheduled_notice_can_go_back_to_draft(homes, manager, project):
    notice = draft(manager, project, scheduled_at=timezone.now() + dt.timedelta(days=1))
    services.send_notice(manager, notice)
    services.cancel_schedule(manager, notice)
    notice.refresh_from_db()
    assert notice.status == "draft"
    assert services.send_due_notices(timezone.now() + dt.timedelta(days=2)) == 0


def test_withdrawing_stops_what_is_not_yet_sent_and_closes_the_links(homes, manager, project, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, not yet sent
    notice = sent(manager, project, django_capture_on_commit_callbacks)
    dispatch.fan_out(NoticeDispatch.objects.get(notice=notice).pk)
    notice.refresh_from_db()
    services.withdraw_notice(manager, notice)
    rows = Notification.objects.filter(event="engage.notice")
    assert set(rows.values_list("status", flat=True)) == {"failed"} and not rows.exclude(sealed="").exists()
    assert deliver(rows.first().pk) == "failed"  # given up: never sent
    assert list(selectors.notices_for_owner(owner_of("13812345678"))) == []
    assert not NoticeRecipient.objects.exclude(sealed_token="").exists()


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(homes, manager, project, other_project):
    from django.utils import translation

    from tests.factories import BuildingFactory

    elsewhere = BuildingFactory(project=other_project, code="9")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.save_notice(manager, project, {"title": "", "body": " ", "channels": [], "buildings": [elsewhere]})
    errors = refused.value.message_dict
    assert set(errors) >= {"title", "body", "channels", "buildings"}
    assert "渠道" in errors["channels"][0] or "至少" in errors["channels"][0]
    assert not Notice.objects.exists()


def test_an_audience_without_households_cannot_be_sent(homes, manager, project):
    notice = draft(manager, project, roles=["tenant"], buildings=[homes.b5])
    with pytest.raises(ValidationError):
        services.send_notice(manager, notice)
    notice.refresh_from_db()
    assert notice.status == "draft" and not NoticeDispatch.objects.exists()


def test_who_may_compose_send_and_re_send(homes, manager, butler, staff, project, technician_user,
                                          django_capture_on_commit_callbacks):
    notice = draft(butler, project)  # butlers and the desk compose
    with pytest.raises(PermissionDenied):
        services.send_notice(butler, notice)
    with pytest.raises(PermissionDenied):
        services.save_notice(technician_user, project, {"title": "x", "body": "y", "channels": ["board"]})
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice(manager, notice)
    with pytest.raises(Conflict):
        services.send_notice(manager, notice)  # twice: once only
    with pytest.raises(PermissionDenied):
        services.resend_to_unread(technician_user, notice, ["sms"])


def test_staff_of_another_project_cannot_send_it(homes, manager, outsider, project):
    notice = draft(manager, project)
    with pytest.raises(NotFound):
        services.send_notice(outsider, notice)


def test_a_saved_segment_targets_its_customers(homes, manager, project, django_capture_on_commit_callbacks):
    segment = services.save_segment(manager, project, "高收入业主", {"income_band": ["high"]})
    assert segment.criteria == {"income_band": ["high"]}
    notice = sent(manager, project, django_capture_on_commit_callbacks, segment=segment)
    assert list(NoticeRecipient.objects.filter(notice=notice).values_list("customer__name", flat=True)) == ["赵房东"]
    with pytest.raises(ValidationError):
        services.save_segment(manager, project, "坏的", {"gender": ["x"], "age_min": "abc"})
    assert Segment.objects.count() == 1


def test_email_and_wechat_go_to_those_who_have_them(homes, manager, project, django_capture_on_commit_callbacks):
    homes.wang.email = "wang@example.com"
    homes.wang.save()
    ContactPreference.objects.create(customer=homes.firm, wechat_openid="oAbCdEf123")
    notice = sent(manager, project, django_capture_on_commit_callbacks, channels=["email", "wechat"])
    rows = Notification.objects.filter(event="engage.notice")
    assert sorted(rows.values_list("channel", "address")) == [("email", "wang@example.com"), ("wechat", "oAbCdEf123")]
    wechat = rows.get(channel="wechat")
    assert wechat.link == f"/portal/notices/{notice.pk}/" and wechat.status == "sent"
    from django.core import mail

    (email,) = mail.outbox
    assert "/portal/n/" in email.body and "******" not in email.body and "停水" in email.body


def test_an_interrupted_keyed_message_is_never_sent_again(homes, manager, project, settings,
                                                          django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    notice = draft(manager, project)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice(manager, notice)
    dispatch.fan_out(NoticeDispatch.objects.get(notice=notice).pk)
    row = Notification.objects.filter(event="engage.notice").first()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(status="sending", attempts=1, last_attempt_at=long_ago)
    retry_failed()
    row.refresh_from_db()
    assert row.status == "interrupted" and row.sealed == ""
    assert deliver(row.pk) == "interrupted"  # nothing claims it any more


def test_the_printable_notice_is_a_chinese_pdf(homes, manager, project, tmp_path):
    from propdesk.engage.notices.pdf import notice_pdf
    from tests.quality.test_report import pdf_text

    notice = draft(manager, project, buildings=[homes.b5])
    pdf = notice_pdf(notice)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    if text is None:
        pytest.skip("pdftotext is missing")
    assert "5栋停水通知" in text and "5栋" in text and "阳光花园" in text
