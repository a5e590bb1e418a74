"""Lost and found: registration that tells the desk and the post, claims, notice board, disposal (item 6)."""

import base64
import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from propdesk.affairs import lost_found as svc
from propdesk.affairs.models import AffairsSettings, FoundItem
from propdesk.core.errors import Conflict
from propdesk.notify.models import Notification
from tests.factories import StaffFactory

from .conftest import png

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 9, 1, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(NOW, tick=False):
        yield


def signature() -> str:
    buf = io.BytesIO()
    Image.new("RGB", (60, 20), (255, 255, 255)).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


@pytest.fixture
def item(guard, project, unit):
    return svc.register_item(guard, project, description="黑色双肩包", contents="笔记本电脑一台、工牌", building=unit.building,
                             floor="1", place="大堂休息区", found_at=timezone.now(), kept_at="3栋秩序部岗亭",
                             finder_name="保洁员刘阿姨", finder_phone="13800001234", photos=[png()])


def test_registering_tells_the_desk_and_the_security_post_at_once(staff, guard, item, project):
    cleaner = StaffFactory(role="cleaning", projects=[project])
    told = set(Notification.objects.filter(event="affairs.found_item").values_list("recipient_user", flat=True))
    assert {staff.pk, guard.pk} <= told and cleaner.pk not in told
    assert item.number.startswith("SW270901-")


def test_a_claim_records_contents_id_masked_comparer_and_signature_and_clears_the_finder(item, staff):
    claim = svc.claim_item(staff, item, claimant_name="周失主", id_type="resident_id", id_number="44030119850606111X",
                           described_contents="里面有一台笔记本电脑和工牌", signature=signature())
    item.refresh_from_db()
    assert item.status == "claimed" and item.finder_name == "" and item.finder_phone == ""
    assert claim.id_number_mask == "4403**********111X" and claim.compared_by == staff
    assert claim.signature.name.endswith(".png")


def test_a_claim_needs_a_signature_or_the_papers_reference(item, staff):
    with pytest.raises(ValidationError) as err:
        svc.claim_item(staff, item, claimant_name="周失主", id_type="resident_id", id_number="44030119850606111X",
                       described_contents="笔记本电脑")
    assert "signature" in err.value.message_dict
    with pytest.raises(ValidationError):
        svc.claim_item(staff, item, claimant_name="周失主", id_type="resident_id", id_number="44030119850606111X",
                       described_contents="笔记本电脑", signature="data:image/png;base64,not-a-png")
    FoundItem.objects.get(pk=item.pk, status="held", finder_name="保洁员刘阿姨")
    claim = svc.claim_item(staff, item, claimant_name="周失主", id_type="passport", id_number="E12345678",
                           described_contents="笔记本电脑", paper_reference="LQ-2027-031")
    assert claim.paper_reference == "LQ-2027-031"
    with pytest.raises(Conflict):
        svc.claim_item(staff, item, claimant_name="别人", id_type="passport", id_number="E1",
                       described_contents="x", paper_reference="y")


def test_unclaimed_items_are_posted_after_the_projects_days(item, project):
    AffairsSettings.objects.create(project=project, unclaimed_notice_days=3)
    assert svc.post_unclaimed(timezone.now() + dt.timedelta(days=2, hours=23)) == 0
    assert svc.post_unclaimed(timezone.now() + dt.timedelta(days=3)) == 1
    assert svc.post_unclaimed(timezone.now() + dt.timedelta(days=4)) == 0


def test_disposal_only_after_the_longer_period_and_by_a_manager(item, manager, staff):
    with pytest.raises(PermissionDenied):
        svc.dispose_item(staff, item, note="移交派出所")
    with pytest.raises(ValidationError):
        svc.dispose_item(manager, item, note="移交派出所", now=timezone.now() + dt.timedelta(days=179))
    svc.dispose_item(manager, item, note="移交派出所", now=timezone.now() + dt.timedelta(days=180))
    item.refresh_from_db()
    assert item.status == "disposed" and item.disposal_note == "移交派出所"


def test_a_found_item_in_the_future_is_refused(guard, project):
    with pytest.raises(ValidationError) as err:
        svc.register_item(guard, project, description="钥匙", place="大堂", kept_at="岗亭",
                          found_at=timezone.now() + dt.timedelta(hours=1))
    assert "found_at" in err.value.message_dict
