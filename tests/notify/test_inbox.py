"""The in-app notification centre and the outbox, each scoped to the person asking."""

import pytest

from propdesk.core.errors import NotFound
from propdesk.notify import selectors, services
from propdesk.notify.services import Contact, notify
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _tell(project, subject, users=(), customers=()):
    return notify(project=project, event="work_order.escalated", subject=subject, body="", link="/console/",
                  users=users, customers=customers)


def test_a_users_unread_notifications_are_listed_newest_first(project, staff):
    colleague = StaffFactory(projects=[project])
    _tell(project, "第一条", users=[staff])
    _tell(project, "第二条", users=[staff, colleague])
    assert [n.subject for n in selectors.notifications_for(staff, unread_only=True)] == ["第二条", "第一条"]
    assert selectors.unread_count(staff) == 2 and selectors.unread_count(colleague) == 1


def test_mark_read_and_mark_all_read(project, staff):
    first, = _tell(project, "第一条", users=[staff])
    _tell(project, "第二条", users=[staff])
    _tell(project, "第三条", users=[staff])
    read = services.mark_read(staff, first.pk)
    assert read.read_at is not None and not read.is_unread
    assert services.mark_read(staff, first.pk).read_at == read.read_at  # reading twice changes nothing
    assert selectors.unread_count(staff) == 2
    assert services.mark_all_read(staff) == 2
    assert selectors.unread_count(staff) == 0
    assert len(selectors.notifications_for(staff)) == 3


def test_nobody_reads_or_marks_another_persons_notifications(project, other_project, staff, outsider):
    colleague = StaffFactory(projects=[project])
    mine, = _tell(project, "给前台的", users=[staff])
    _tell(other_project, "给外人的", users=[outsider])
    assert [n.subject for n in selectors.notifications_for(staff)] == ["给前台的"]
    for intruder in (outsider, colleague):
        with pytest.raises(NotFound):
            services.mark_read(intruder, mine.pk)
        assert mine not in selectors.notifications_for(intruder)
    services.mark_all_read(outsider)
    mine.refresh_from_db()
    assert mine.read_at is None


def test_notifications_of_a_project_no_longer_assigned_are_hidden(project, other_project, staff):
    _tell(project, "旧项目的", users=[staff])
    staff.projects.set([other_project])
    staff = type(staff).objects.get(pk=staff.pk)  # a new request: projects are read again
    assert selectors.unread_count(staff) == 0


def test_anonymous_users_have_no_notifications(project, staff):
    from django.contrib.auth.models import AnonymousUser

    _tell(project, "x", users=[staff])
    assert selectors.unread_count(AnonymousUser()) == 0


def test_the_outbox_shows_what_customers_of_my_projects_were_sent(project, other_project, staff, outsider, admin_user):
    owner = Contact(customer_id=41, name="王建国", phone="13812345678", email="wang@example.com")
    _tell(project, "已派单", users=[staff], customers=[owner])
    _tell(other_project, "别处的", customers=[Contact(customer_id=99, name="外人", phone="13900009999")])
    assert [(n.channel, n.recipient_name) for n in selectors.outbox(staff)] == [("email", "王建国"), ("sms", "王建国")]
    assert [n.channel for n in selectors.outbox(staff, channel="sms")] == ["sms"]
    assert list(selectors.outbox(staff, project_id=other_project.pk)) == []
    assert {n.recipient_name for n in selectors.outbox(outsider)} == {"外人"}
    assert len(selectors.outbox(admin_user)) == 3
    assert list(selectors.outbox(staff, channel="in_app")) == []


def test_the_lists_cost_a_fixed_number_of_queries(project, staff, django_assert_num_queries):
    for i in range(5):
        _tell(project, f"第{i}条", users=[staff],
              customers=[Contact(customer_id=i, name=f"业主{i}", phone=f"1381234567{i}")])
    staff.refresh_from_db()
    selectors.unread_count(staff)  # caches the user's projects
    with django_assert_num_queries(1):
        assert len([n.project.name for n in selectors.outbox(staff)]) == 5
    with django_assert_num_queries(1):
        assert len(list(selectors.notifications_for(staff))) == 5
