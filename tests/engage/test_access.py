"""Every engage URL of the console, the portal and the API, called by the wrong person, reveals and changes
nothing (issue 15 item 7): staff of another project, the wrong role, an anonymous visitor, a neighbour, an
owner of another project. The entries are tests/engage/matrix.py; the coverage tests make sure every URL
is in it."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.engage.models import Notice, NoticeRecipient, Segment
from propdesk.engage.notices import services as notices
from tests.console.test_access_matrix import _request
from tests.engage import matrix
from tests.factories import StaffFactory
from tests.portal.conftest import sign_in

pytestmark = pytest.mark.django_db

# What of the first project must never show to the wrong person.
SECRETS = ["1201燃气入户检修", "王建国"]
PROJECT_SECRETS = ["阳光花园", "游园会", "保温杯"]


@pytest.fixture
def engage_world(homes, manager, project, other_project, outsider, django_capture_on_commit_callbacks):
    """阳光花园 with a notice sent to 王建国's home (3-2-1201) only, a draft, a segment; 江畔华庭 with its own."""
    segment = notices.save_segment(manager, project, "王建国这类业主", {"income_band": ["middle"]})
    notice, _ = notices.save_notice(manager, project, {
        "title": "1201燃气入户检修", "body": "王建国先生：本周三上门检修燃气表。", "units": [homes.u1201],
        "channels": ["board", "in_app", "sms"]})
    with django_capture_on_commit_callbacks(execute=True):
        notices.send_notice(manager, notice)
    draft, _ = notices.save_notice(manager, project, {"title": "王建国草稿", "body": "草稿", "channels": ["board"]})
    theirs, _ = notices.save_notice(outsider, other_project, {"title": "江畔华庭停电通知", "body": "x",
                                                              "channels": ["board"]})
    world = SimpleNamespace(project=project, manager=manager, homes=homes, notice=notice, draft=draft,
                            segment=segment, building=homes.b3, theirs=theirs, owner=homes.wang, unit=homes.u1201)
    _activities(world)
    _points(world)
    _assembly(world)
    _relations(world)
    return world


def _relations(world):
    """The owners' committee of 阳光花园 and an open letter of it."""
    from propdesk.engage.relations import services as relations

    world.outside_body = relations.save_body(world.manager, world.project, {"kind": "owners_committee",
                                                                           "name": "阳光花园业委会"})
    world.dealing = relations.record_dealing(world.manager, world.outside_body, {
        "kind": "letter_in", "date": timezone.localdate(), "subject": "关于王建国家漏水的函", "reference": "业委函1号",
        "follow_up": "回复", "due_date": timezone.localdate()})


def _assembly(world):
    """A committee meeting, a published report with its PDF and a draft one, an open vote of the whole project
    with 王建国's ballot, and a draft vote."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from propdesk.archive.models import Customer
    from propdesk.archive.owners import owner_for_phone
    from propdesk.engage.assembly import services as assembly
    from propdesk.engage.votes import services as voting

    # the factory gives every customer the same ID number: that would make them all one owner in a vote
    Customer.objects.filter(project=world.project).update(id_number_hash="")
    m, p, now = world.manager, world.project, timezone.now()
    world.meeting = assembly.save_meeting(m, p, {"body": "committee", "title": "业委会例会", "place": "会议室",
                                                 "starts_at": now + dt.timedelta(days=1), "agenda": "审议维修资金"})
    world.report = assembly.save_report(m, p, {"kind": "accounts", "title": "2026年收支报表", "body": "收入……"},
                                        SimpleUploadedFile("r.pdf", b"%PDF-1.4 test"))
    assembly.publish_report(m, world.report)
    world.draft_report = assembly.save_report(m, p, {"kind": "work", "title": "草稿报告", "body": "x"})
    times = {"opens_at": now - dt.timedelta(hours=1), "closes_at": now + dt.timedelta(days=3)}
    world.vote = voting.open_vote(m, voting.save_vote(m, p, {"title": "续聘表决", **times},
                                                      [{"title": "续聘物业", "item": "4"}]))
    world.matter = world.vote.matters.get()
    voting.cast_ballot(owner_for_phone("13812345678"), world.vote, {str(world.matter.pk): "for"})
    world.elector = next(e for e in world.vote.electors.all() if world.homes.wang.pk in e.customer_ids)
    world.draft_vote = voting.save_vote(m, p, {"title": "草稿表决", **times}, [{"title": "x", "item": "9"}])


def _activities(world):
    """A published activity with 王建国 signed up, a draft, and a finished one with a photo."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from propdesk.archive.owners import owner_for_phone
    from propdesk.engage.activities import services as activities
    from tests.portal.test_access_matrix import _jpeg

    now = timezone.now()
    times = {"starts_at": now + dt.timedelta(days=3), "ends_at": now + dt.timedelta(days=3, hours=2),
             "signup_opens_at": now - dt.timedelta(days=1), "signup_closes_at": now + dt.timedelta(days=2)}
    m, p = world.manager, world.project
    world.activity = activities.publish_activity(m, activities.save_activity(m, p, {
        "title": "游园会", "place": "中心花园", "capacity": 10, **times})[0])
    wang = owner_for_phone("13812345678")
    world.signup, _ = activities.owner_sign_up(wang, world.activity, world.homes.u1201.pk, 2)
    world.draft_activity, _ = activities.save_activity(m, p, {"title": "草稿活动", "place": "x", "capacity": 5, **times})
    past = {k: v - dt.timedelta(days=10) for k, v in times.items()}
    world.finished_activity = activities.publish_activity(m, activities.save_activity(m, p, {
        "title": "往期茶话会", "place": "会所", "capacity": 5, **past})[0])
    (world.finished_photo,) = activities.add_photos(m, world.finished_activity, [_jpeg()])
    activities.record_activity(m, world.finished_activity, "圆满结束")
    world.photo = world.finished_photo
    assert isinstance(world.finished_photo.image.name, str) and SimpleUploadedFile


def _points(world):
    """A reward of 阳光花园 and 王建国's redemption of it, paid with 300 points."""
    from propdesk.engage.models import PointsEntry
    from propdesk.engage.points import ledger, rewards

    ledger.post(world.homes.wang, 300, PointsEntry.Kind.EARN, why="x", reason="article")
    world.reward = rewards.restock(world.manager, rewards.save_reward(world.manager, world.project, {
        "name": "保温杯", "cost": 100}), 5)
    world.redemption, _ = rewards.redeem(world.manager, world.reward, world.homes.wang, 1)


def _value(world, v):
    if callable(v):
        return v()
    return re.sub(r"<(\w+)>", lambda m: str(getattr(world, m.group(1)).pk), v) if isinstance(v, str) else v


def calls(namespace, table, name, world):
    kind, methods, kwargs, data = table[name]
    url = reverse(f"{namespace}:{name}", kwargs={
        k: attr[1:] if attr.startswith("=") else getattr(world, attr).pk for k, attr in kwargs.items()})
    for method in methods:
        for payload in data if isinstance(data, list) else [data]:
            yield method, url, {_value(world, k): _value(world, v) for k, v in payload.items()}


def unchanged(world):
    world.notice.refresh_from_db()
    assert world.notice.status == "sent" and world.notice.title == "1201燃气入户检修"
    assert not NoticeRecipient.objects.filter(notice=world.notice, read_at__isnull=False).exists()
    assert world.notice.dispatches.count() == 1
    world.draft.refresh_from_db()
    assert world.draft.status == "draft" and world.draft.title == "王建国草稿"
    assert Notice.objects.count() == 3
    world.segment.refresh_from_db()
    assert world.segment.name == "王建国这类业主" and Segment.objects.count() == 1
    from propdesk.engage.models import Activity, ActivityPhoto, Redemption, Reward, Signup
    from propdesk.engage.points.ledger import balance_of

    world.activity.refresh_from_db()
    assert (world.activity.status, world.activity.title, world.activity.capacity) == ("published", "游园会", 10)
    assert Activity.objects.get(pk=world.draft_activity.pk).status == "draft" and Activity.objects.count() == 3
    assert list(Signup.objects.values_list("status", "attended_at")) == [("confirmed", None)]
    assert ActivityPhoto.objects.count() == 1
    assert Reward.objects.get().stock == 4 and Reward.objects.get().name == "保温杯"
    assert Redemption.objects.get().status == "placed" and balance_of(world.homes.wang) == 200
    from propdesk.engage.models import ContactPreference, Greeting, GreetingTemplate

    assert not Greeting.objects.exists()
    assert not ContactPreference.objects.filter(customer=world.homes.wang, greetings_opt_out=True).exists()
    assert "外人" not in "".join(GreetingTemplate.objects.values_list("text", flat=True))
    from propdesk.engage.models import Attendance, Ballot, Meeting, Report, RulesOfProcedure, Vote

    assert Meeting.objects.get().title == "业委会例会" and not Attendance.objects.exists()
    assert Report.objects.get(pk=world.draft_report.pk).published_at is None and Report.objects.count() == 2
    assert not RulesOfProcedure.objects.exclude(non_voters="not_counted").exists()
    assert Vote.objects.get(pk=world.vote.pk).status == "open" and Vote.objects.get(pk=world.draft_vote.pk).status == "draft"
    assert Vote.objects.count() == 2 and world.draft_vote.matters.get().title == "x"
    assert Ballot.objects.get(elector=world.elector).choices == {str(world.matter.pk): "for"}
    from propdesk.engage.models import BodyContact, Dealing, OutsideBody

    assert OutsideBody.objects.count() == 1 and not BodyContact.objects.exists()
    assert Dealing.objects.get().status == "open"


# -- the console ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(matrix.CONSOLE))
def test_staff_of_another_project_get_nothing(client, engage_world, outsider, name):
    client.force_login(outsider)
    kind = matrix.CONSOLE[name][0]
    for method, url, payload in calls("console", matrix.CONSOLE, name, engage_world):
        response = _request(client, method, url, payload)
        if kind == matrix.OBJ:
            assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
        elif kind == matrix.ACTION:
            assert response.status_code in (200, 302), f"{method} {url} answered {response.status_code}"
        else:
            assert response.status_code == 200, f"{method} {url} answered {response.status_code}"
        body = response.content.decode(errors="replace")
        assert not [s for s in SECRETS + PROJECT_SECRETS if s in body], f"{method} {url} leaked"
    unchanged(engage_world)


@pytest.mark.parametrize("name", sorted(matrix.ROLE_RULES))
def test_the_wrong_role_of_the_same_project_is_refused(client, engage_world, name):
    for role in matrix.ROLE_RULES[name]:
        client.force_login(StaffFactory(username=f"same-{role}-{name}", role=role, projects=[engage_world.project]))
        for method, url, payload in calls("console", matrix.CONSOLE, name, engage_world):
            response = _request(client, method, url, payload)
            assert response.status_code == 403, f"{role}: {method} {url} answered {response.status_code}"
    unchanged(engage_world)


@pytest.mark.parametrize("name", sorted(matrix.CONSOLE))
def test_anonymous_visitors_are_sent_to_the_console_login(client, engage_world, name):
    for method, url, payload in calls("console", matrix.CONSOLE, name, engage_world):
        response = _request(client, method, url, payload)
        assert response.status_code == 302 and response["Location"].startswith(reverse("console:login")), url
    unchanged(engage_world)


def test_the_outsider_does_see_their_own_project(client, engage_world, outsider):
    """Guards the console matrix against passing on pages that show nothing to anybody."""
    client.force_login(outsider)
    assert "江畔华庭停电通知" in client.get(reverse("console:notices")).content.decode()
    assert client.get(reverse("console:notice", args=[engage_world.theirs.pk])).status_code == 200


# -- the portal --------------------------------------------------------------------------------------


@pytest.mark.parametrize("phone,same_project", [("13700003333", True), ("13655556666", False)],
                         ids=["neighbour-same-project", "owner-of-another-project"])
@pytest.mark.parametrize("name", sorted(matrix.PORTAL))
def test_another_owner_gets_nothing_in_the_portal(client, engage_world, name, phone, same_project):
    assert sign_in(client, phone).status_code == 302
    kind = matrix.PORTAL[name][0]
    secrets = SECRETS + ([] if same_project else PROJECT_SECRETS)
    if name in matrix.OTHER_PROJECT_ONLY and not same_project:
        kind = matrix.OBJ
    for method, url, payload in calls("portal", matrix.PORTAL, name, engage_world):
        response = _request(client, method, url, payload)
        if kind in (matrix.OBJ, matrix.PUBLIC):
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
        else:  # 422: the form refused the first owner's home
            assert response.status_code in (200, 302, 422), f"{method} {url} answered {response.status_code}"
        body = b"".join(response.streaming_content if response.streaming else [response.content])
        body = body.decode(errors="replace")
        assert not [s for s in secrets if s in body], f"{method} {url} leaked"
    unchanged(engage_world)


@pytest.mark.parametrize("name", sorted(n for n, e in matrix.PORTAL.items() if e[0] != matrix.PUBLIC))
def test_signed_out_visitors_are_sent_to_sign_in(client, engage_world, name):
    for method, url, payload in calls("portal", matrix.PORTAL, name, engage_world):
        response = _request(client, method, url, payload)
        assert response.status_code == 302 and response["Location"].startswith("/portal/login/"), url
    unchanged(engage_world)


def test_the_first_owner_does_see_the_notice(client, engage_world):
    sign_in(client, "13812345678")
    body = client.get(reverse("portal:notice", args=[engage_world.notice.pk])).content.decode()
    assert "1201燃气入户检修" in body
    assert NoticeRecipient.objects.get(notice=engage_world.notice).read_at <= timezone.now()
