"""Community activities (issue 15 item 2): plan, sign-up with capacity and a waiting list that moves up,
attendance at the door by phone or code (earning points), photos and the record afterwards."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from propdesk.archive.owners import owner_for_phone
from propdesk.core.errors import Conflict, NotFound
from propdesk.engage.activities import selectors, services
from propdesk.engage.models import PointsEntry, Signup
from propdesk.engage.points import ledger
from propdesk.notify.models import Notification
from tests.factories import OccupancyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def plan(actor, project, capacity=4, **data):
    now = timezone.now()
    fields = {"title": "夏日亲子游园会", "place": "中心花园", "description": "游戏、冷饮、亲子手工。",
              "starts_at": now + dt.timedelta(days=7), "ends_at": now + dt.timedelta(days=7, hours=3),
              "capacity": capacity, "max_seats": 4, "signup_opens_at": now - dt.timedelta(hours=1),
              "signup_closes_at": now + dt.timedelta(days=6), **data}
    activity, _ = services.save_activity(actor, project, fields)
    return services.publish_activity(actor, activity)


def join(phone, activity, seats=1):
    owner = owner_for_phone(phone)
    return services.owner_sign_up(owner, activity, owner.unit_ids[0], seats)[0]


@pytest.fixture
def street(project, homes):
    """Three more households in building 3, to queue for the places."""
    phones = []
    for n, phone in enumerate(["13000000001", "13000000002", "13000000003"], start=1):
        unit = UnitFactory(building=homes.b3, entrance="1", number=f"060{n}")
        OccupancyFactory(unit=unit, customer__project=project, customer__name=f"邻居{n}", customer__phones=[phone])
        phones.append(phone)
    return phones


def test_planning_refuses_impossible_times_in_chinese(manager, project):
    from django.utils import translation

    now = timezone.now()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.save_activity(manager, project, {
            "title": "x", "place": "y", "starts_at": now, "ends_at": now - dt.timedelta(hours=1), "capacity": 0,
            "signup_opens_at": now, "signup_closes_at": now + dt.timedelta(days=1)})
    assert set(refused.value.message_dict) >= {"ends_at", "capacity", "signup_closes_at"}
    assert "结束" in refused.value.message_dict["ends_at"][0]


def test_places_are_confirmed_until_full_then_the_waiting_list_fills(homes, street, manager, project):
    activity = plan(manager, project, capacity=4)
    assert join("13812345678", activity, seats=3).status == "confirmed"
    assert join(street[0], activity, seats=1).status == "confirmed"
    late = join(street[1], activity, seats=2)
    later = join(street[2], activity, seats=1)
    assert (late.status, later.status) == ("waiting", "waiting")
    assert selectors.waiting_position(late) == 1 and selectors.waiting_position(later) == 2
    with pytest.raises(Conflict):
        join("13812345678", activity)  # the same household once
    assert services.confirmed_places(activity) == 4


def test_a_cancellation_moves_the_waiting_list_up_in_order_of_what_fits(homes, street, manager, project):
    activity = plan(manager, project, capacity=4)
    first = join("13812345678", activity, seats=1)
    join(street[0], activity, seats=3)
    big = join(street[1], activity, seats=2)  # waits first, but needs two places
    small = join(street[2], activity, seats=1)
    moved = services.cancel_signup(owner_for_phone("13812345678"), first)
    assert [s.pk for s in moved] == [small.pk]  # one place freed: the 2-place sign-up does not fit, the next does
    big.refresh_from_db()
    small.refresh_from_db()
    assert (big.status, small.status) == ("waiting", "confirmed") and small.promoted_at is not None
    told = Notification.objects.get(event="engage.signup_moved_up")
    assert told.address == street[2] and small.code in told.body_text
    with pytest.raises(Conflict):
        services.cancel_signup(owner_for_phone("13812345678"), first)


def test_sign_up_only_within_the_window_and_the_audience(homes, manager, project, other_project):
    activity = plan(manager, project, buildings=[homes.b5])
    with pytest.raises(ValidationError):
        join("13812345678", activity)  # building 3 is not invited
    assert join("13600005555", activity).status == "confirmed"
    closed = plan(manager, project, signup_opens_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(Conflict):
        join("13812345678", closed)


def test_another_owner_cannot_cancel_my_sign_up(homes, manager, project):
    activity = plan(manager, project)
    mine = join("13812345678", activity)
    with pytest.raises(NotFound):
        services.cancel_signup(owner_for_phone("13700003333"), mine)


def test_at_the_door_by_code_or_phone_once_with_points(homes, street, manager, staff, project):
    activity = plan(manager, project, capacity=3)
    wang = join("13812345678", activity, seats=2)
    neighbour = join(street[0], activity, seats=1)
    waiting = join(street[1], activity, seats=1)
    at_door = activity.starts_at + dt.timedelta(minutes=5)
    assert services.check_in(staff, activity, wang.code, now=at_door).pk == wang.pk
    assert services.check_in(staff, activity, street[0], now=at_door).pk == neighbour.pk
    with pytest.raises(Conflict, match="已于|already"):
        services.check_in(staff, activity, wang.code, now=at_door)
    with pytest.raises(Conflict):
        services.check_in(staff, activity, waiting.code, now=at_door)
    with pytest.raises(NotFound):
        services.check_in(staff, activity, "13999999999", now=at_door)
    earned = PointsEntry.objects.filter(customer=homes.wang, reason="attendance")
    assert [e.amount for e in earned] == [20] and ledger.balance_of(homes.wang) == 20
    with pytest.raises(Conflict):
        services.check_in(staff, activity, wang.code, now=activity.starts_at - dt.timedelta(hours=3))


def test_a_resident_who_did_not_sign_up_is_let_in_while_places_are_free(homes, manager, staff, project):
    activity = plan(manager, project, capacity=2)
    walk_in = services.check_in(staff, activity, "13700003333", now=activity.starts_at)
    assert (walk_in.via, walk_in.status, walk_in.attended_at) == ("door", "confirmed", activity.starts_at)
    assert ledger.balance_of(homes.landlord) == 20


def test_photos_are_re_encoded_and_the_record_is_written_afterwards(homes, manager, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = plan(manager, project)
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 20, 20)).save(out, "PNG")
    (photo,) = services.add_photos(manager, activity, [SimpleUploadedFile("合影.png", out.getvalue())], caption="合影")
    assert photo.image.name.endswith(".jpg") and photo.image.read().startswith(b"\xff\xd8")
    with pytest.raises(ValidationError):
        services.add_photos(manager, activity, [SimpleUploadedFile("x.png", b"not an image")])
    with pytest.raises(Conflict):
        services.record_activity(manager, activity, "很成功")  # not yet held
    services.record_activity(manager, activity, "共 36 户参加，气氛热烈。", now=activity.ends_at)
    activity.refresh_from_db()
    assert activity.status == "finished" and "36" in activity.record


def test_cancelling_tells_everyone_signed_up(homes, manager, project):
    activity = plan(manager, project)
    join("13812345678", activity)
    with pytest.raises(ValidationError):
        services.cancel_activity(manager, activity, " ")
    services.cancel_activity(manager, activity, "暴雨预警")
    assert Notification.objects.get(event="engage.activity_cancelled").address == "13812345678"


def test_only_the_office_plans_activities(homes, project, technician_user, manager):
    with pytest.raises(PermissionDenied):
        plan(technician_user, project)
    activity = plan(manager, project)
    with pytest.raises(PermissionDenied):
        services.check_in(technician_user, activity, "13812345678", now=activity.starts_at)


def test_the_capacity_cannot_drop_below_the_confirmed_places(homes, street, manager, project):
    activity = plan(manager, project, capacity=4)
    join("13812345678", activity, seats=3)
    with pytest.raises(ValidationError):
        services.save_activity(manager, project, {"capacity": 2}, activity=activity)
    assert Signup.objects.get().status == "confirmed"


def test_the_owner_sees_the_activities_open_to_their_home(homes, manager, project):
    for_b5 = plan(manager, project, title="5栋读书会", buildings=[homes.b5])
    for_all = plan(manager, project, title="全体游园会")
    wang = owner_for_phone("13812345678")
    assert [a.pk for a in selectors.activities_for_owner(wang)] == [for_all.pk]
    with pytest.raises(NotFound):
        selectors.get_owner_activity(wang, for_b5.pk)
    assert selectors.get_owner_activity(owner_for_phone("13600005555"), for_b5.pk).pk == for_b5.pk
