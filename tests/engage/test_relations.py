"""Public relations (issue 15 item 6): the register of outside bodies with contacts, dealings with follow-ups
and due dates, and the owners' committee's correspondence register."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from propdesk.core.errors import Conflict
from propdesk.engage.models import Dealing
from propdesk.engage.relations import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def street_office(staff, project):
    return services.save_body(staff, project, {"kind": "street_office", "name": "阳光街道办事处", "phone": "0731-1234"})


def test_dealings_with_a_follow_up_stay_open_until_settled(staff, project, street_office):
    today = timezone.localdate()
    services.add_contact(staff, street_office, {"name": "刘主任", "title": "城管科", "phone": "13011112222"})
    visit = services.record_dealing(staff, street_office, {
        "kind": "inspection", "date": today, "subject": "消防通道检查",
        "follow_up": "清理3栋消防通道堆放物", "due_date": today + dt.timedelta(days=3)})
    services.record_dealing(staff, street_office, {"kind": "call", "date": today, "subject": "创文通知"})
    assert visit.status == "open" and [d.subject for d in selectors.follow_ups(staff)] == ["消防通道检查"]
    with pytest.raises(ValidationError):
        services.settle(staff, visit, " ")
    services.settle(staff, visit, "已清理，拍照回复")
    assert selectors.follow_ups(staff) == []
    with pytest.raises(Conflict):
        services.settle(staff, visit, "again")


def test_overdue_follow_ups_come_first(staff, project, street_office):
    today = timezone.localdate()
    for days, subject in ((5, "later"), (-2, "late")):
        services.record_dealing(staff, street_office, {"kind": "letter_in", "date": today, "subject": subject,
                                                       "reference": f"街函{days}", "follow_up": "回复",
                                                       "due_date": today + dt.timedelta(days=days)})
    rows = selectors.follow_ups(staff)
    assert [(r.subject, r.overdue) for r in rows] == [("late", True), ("later", False)]


def test_bad_dealings_are_refused_with_reasons(staff, project, street_office):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.record_dealing(staff, street_office, {"kind": "letter_out", "date": today + dt.timedelta(days=1),
                                                       "subject": "x", "follow_up": "y"})
    assert set(refused.value.message_dict) == {"date", "due_date", "reference"}
    assert not Dealing.objects.exists()


def test_only_the_office_keeps_the_register(project, technician_user):
    with pytest.raises(PermissionDenied):
        services.save_body(technician_user, project, {"kind": "media", "name": "晚报"})


def test_the_committee_correspondence_register(client, staff, project):
    committee = services.save_body(staff, project, {"kind": "owners_committee", "name": "阳光花园业主委员会"})
    today = timezone.localdate()
    services.record_dealing(staff, committee, {"kind": "letter_in", "date": today, "subject": "关于电梯维保的函",
                                               "reference": "业委函〔2027〕3号", "follow_up": "书面回复",
                                               "due_date": today + dt.timedelta(days=7)})
    client.force_login(staff)
    page = client.get(reverse("console:committee_letters")).content.decode()
    assert "业委函〔2027〕3号" in page
    sheet = load_workbook(io.BytesIO(client.get(reverse("console:relations_export"), {"letters": "1"}).content)).active
    assert list(sheet.iter_rows(min_row=2, values_only=True))[0][4] == "业委函〔2027〕3号"


def test_the_register_pages(client, staff, project, street_office):
    client.force_login(staff)
    body = reverse("console:outside_body", args=[street_office.pk])
    client.post(body, {"form": "dealing", "dealing-kind": "visit", "dealing-date": timezone.localdate().isoformat(),
                       "dealing-subject": "街道走访", "dealing-follow_up": "提交整改方案",
                       "dealing-due_date": (timezone.localdate() + dt.timedelta(days=2)).isoformat()})
    dealing = Dealing.objects.get()
    assert f'data-follow-up="{dealing.pk}"' in client.get(reverse("console:relations")).content.decode()
    client.post(reverse("console:dealing_settle", args=[dealing.pk]), {"note": "已提交"})
    dealing.refresh_from_db()
    assert dealing.status == "done"
