"""The demo of communication and care (issue 15 item 7): notices with read receipts, an activity with sign-ups
and attendance, points, a care calendar for the coming year and a finished vote — loaded once, over the
archive's demo only (the whole demo is loaded by the service desk's demo test)."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.archive.demo import load_demo
from propdesk.engage.care import calendar
from propdesk.engage.care import services as care
from propdesk.engage.demo import load_engage_demo
from propdesk.engage.models import (
    Ballot,
    BallotRevision,
    CallbackTask,
    ContactPreference,
    Notice,
    NoticeDispatch,
    NoticeRecipient,
    OutsideBody,
    PointsEntry,
    Redemption,
    Signup,
    Vote,
)
from propdesk.engage.notices import selectors as notice_selectors
from propdesk.engage.votes import counting
from propdesk.org.models import Project

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_part_of_communication_and_care_once():
    now = timezone.now()
    load_demo(now=now)
    summary = load_engage_demo(now)
    assert summary.startswith("communication and care: 4 notices")
    water = Notice.objects.get(kind="emergency")
    rate = notice_selectors.read_rate(water)
    assert water.status == "sent" and 0 < rate.read < rate.households == water.households
    assert rate.via_link and rate.via_portal  # read through the SMS link and in the portal
    assert NoticeDispatch.objects.filter(notice=water, number=2, only_unread=True, finished_at__isnull=False).exists()
    assert set(Notice.objects.values_list("status", flat=True)) == {"sent", "scheduled", "draft"}
    assert not NoticeRecipient.objects.filter(notice__kind="service_tip", read_via="link").exists()

    finished = Signup.objects.filter(activity__title="端午包粽子亲子活动")
    assert finished.filter(attended_at__isnull=False).count() >= 15 and finished.filter(attended_at=None).exists()
    assert PointsEntry.objects.filter(reason="attendance").count() == finished.filter(attended_at__isnull=False).count()
    assert Signup.objects.filter(activity__title="夏日亲子游园会", status="waiting").exists()
    assert set(PointsEntry.objects.values_list("reason", flat=True)) >= {"attendance", "suggestion", "referral",
                                                                        "article"}
    assert Redemption.objects.filter(status="handed_over").exists()

    today = timezone.localdate(now)
    visits = CallbackTask.objects.filter(kind="festival_visit")
    coming = [f.day for f in calendar.festivals_between(today, today + dt.timedelta(days=400)) if f.visits]
    assert visits.exists() and max(visits.values_list("due_date", flat=True)) <= coming[0]
    declined = set(ContactPreference.objects.filter(greetings_opt_out=True).values_list("customer_id", flat=True))
    festival = calendar.festivals_between(today, today + dt.timedelta(days=400))[0]
    greeted = {c.pk for c in care.recipients(Project.objects.get(code="sunshine"), festival.occasion, festival.day)}
    assert len(declined) == 3 and greeted and not declined & greeted

    vote = Vote.objects.get()
    assert vote.status == "closed" and Ballot.objects.filter(vote=vote).count() >= vote.total_owners * 2 / 3
    assert {"portal", "paper", "proxy"} == set(Ballot.objects.values_list("via", flat=True))
    assert BallotRevision.objects.filter(number=2).exists()  # a changed ballot is on the record
    outcomes = [m.outcome for m in counting.count(vote).matters]
    assert outcomes == [counting.PASSED, counting.PASSED, counting.FAILED]  # item 8 needs 3/4
    assert OutsideBody.objects.count() == 8

    assert load_engage_demo(now) == "communication and care: nothing to do"
