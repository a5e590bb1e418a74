"""The console's notice pages and the owner's notice board (issue 15 items 1 and 7)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from propdesk.engage.models import Notice, NoticeRecipient
from propdesk.engage.notices import services
from tests.handset import received
from tests.portal.conftest import english, sign_in

pytestmark = pytest.mark.django_db


def compose(client, project, **fields):
    data = {"project": project.pk, "kind": "emergency", "title": "5栋水管爆裂紧急停水", "body": "5栋今日停水，抢修中。",
            "channels": ["board", "in_app", "sms"], "roles": ["owner", "tenant"], "idempotency_key": "k-1", **fields}
    return client.post(reverse("console:notice_add"), data)


def test_a_manager_writes_sends_and_follows_a_notice(client, homes, manager, project,
                                                     django_capture_on_commit_callbacks):
    client.force_login(manager)
    response = compose(client, project, buildings=[homes.b3.pk], units="5-1-0501")
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("console:notice", args=[notice.pk])
    assert compose(client, project).status_code == 302 and Notice.objects.count() == 1  # a double submit: one notice
    confirm = client.get(reverse("console:notice_send", args=[notice.pk])).content.decode()
    assert 'data-households="3"' in confirm
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("console:notice_send", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.households == 3
    detail = client.get(reverse("console:notice", args=[notice.pk])).content.decode()
    assert 'data-read-rate="0.0"' in detail and reverse("console:notice_resend", args=[notice.pk]) in detail
    token = received("13812345678").split("/portal/n/")[1].split("/")[0]
    assert client.get(reverse("portal:notice_by_token", args=[token])).status_code == 200
    rate = client.get(reverse("console:notice_rate", args=[notice.pk])).content.decode()
    assert 'data-read-rate="33.3"' in rate
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("console:notice_resend", args=[notice.pk]), {"channels": ["sms"]})
    assert response.status_code == 302 and notice.dispatches.count() == 2


def test_unknown_units_are_named_in_the_error(client, homes, manager, project):
    client.force_login(manager)
    response = compose(client, project, units="3-2-1201, 9-9-9999")
    assert response.status_code == 200 and "9-9-9999" in response.content.decode()
    assert not Notice.objects.exists()


def test_the_read_receipts_page_and_its_export(client, homes, manager, project, django_capture_on_commit_callbacks,
                                               django_assert_max_num_queries):
    notice, _ = services.save_notice(manager, project, {"title": "电梯年检", "body": "x", "channels": ["board"]})
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice(manager, notice)
    client.force_login(manager)
    url = reverse("console:notice_recipients", args=[notice.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        body = client.get(url).content.decode()
    assert body.count("data-recipient=") == 3
    assert client.get(url, {"unread": "1"}).content.decode().count("data-recipient=") == 3
    sheet = load_workbook(io.BytesIO(client.get(reverse("console:notice_recipients_export", args=[notice.pk]))
                                     .content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["3-2-1201", "3-2-1202", "5-1-0501"]
    pdf = client.get(reverse("console:notice_pdf", args=[notice.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_notice_list_takes_a_fixed_number_of_queries(client, homes, manager, project,
                                                        django_assert_max_num_queries):
    for n in range(30):
        services.save_notice(manager, project, {"title": f"通知{n}", "body": "x", "channels": ["board"]})
    client.force_login(manager)
    client.get(reverse("console:notices"))
    with django_assert_max_num_queries(9):
        body = client.get(reverse("console:notices")).content.decode()
    assert body.count("data-notice=") == 30


def test_withdrawing_asks_first(client, homes, manager, project, django_capture_on_commit_callbacks):
    notice, _ = services.save_notice(manager, project, {"title": "电梯年检", "body": "x", "channels": ["board"]})
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice(manager, notice)
    client.force_login(manager)
    assert 'data-confirm="withdraw"' in client.get(reverse("console:notice_withdraw", args=[notice.pk])).content.decode()
    notice.refresh_from_db()
    assert notice.status == "sent"
    client.post(reverse("console:notice_withdraw", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.status == "withdrawn"


def test_the_owner_reads_the_board_and_the_home_page_shows_unread_ones(client, homes, manager, project,
                                                                       django_capture_on_commit_callbacks):
    notice, _ = services.save_notice(manager, project, {"kind": "emergency", "title": "3栋电梯停运",
                                                        "body": "检修中", "channels": ["board", "in_app"]})
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice(manager, notice)
    sign_in(client, "13812345678")
    english(client)
    banner = client.get(reverse("portal:notices_unread")).content.decode()
    assert f'data-unread-notice="{notice.pk}"' in banner
    assert reverse("portal:notices_unread") in client.get(reverse("portal:home")).content.decode()
    board = client.get(reverse("portal:notices")).content.decode()
    assert "3栋电梯停运" in board and "data-unread" in board
    client.get(reverse("portal:notice", args=[notice.pk]))
    assert NoticeRecipient.objects.get(notice=notice, unit=homes.u1201).read_via == "portal"
    assert "data-unread-notice" not in client.get(reverse("portal:notices_unread")).content.decode()


def test_segments_are_saved_from_the_console(client, manager, project):
    client.force_login(manager)
    response = client.post(reverse("console:segment_add"), {"project": project.pk, "name": "高收入",
                                                             "income_band": ["high", "upper_middle"]})
    assert response.status_code == 302
    assert "高收入" in client.get(reverse("console:segments")).content.decode()
