"""Goods release: passes, the owner's authorisation, the gate and the register (item 3)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from propdesk.affairs import release as svc
from propdesk.affairs import selectors
from propdesk.affairs.models import ReleaseAuthorisation, ReleaseEntry, ReleasePass
from propdesk.core.errors import Conflict

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2027, 5, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
DESKS = [("办公桌", 4), ("办公椅", 6)]


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(DAY, tick=False):
        yield


@pytest.fixture
def tenant_pass(staff, unit, tenant):
    return svc.apply_pass(staff, unit=unit, applicant=tenant, items=DESKS, carrier="搬家师傅老马")


def test_a_pass_for_a_unit_the_applicant_does_not_occupy_is_refused(staff, unit, neighbour):
    with pytest.raises(ValidationError) as err:
        svc.apply_pass(staff, unit=unit, applicant=neighbour, items=DESKS, carrier="老马")
    assert "赵邻居" in str(err.value.message_dict["applicant"])
    assert not ReleasePass.objects.exists()


def test_an_owners_own_pass_is_authorised_as_asked(staff, unit, owner):
    p = svc.apply_pass(staff, unit=unit, applicant=owner, items=DESKS, carrier="王建国")
    assert p.status == "authorised" and [i.authorised for i in p.items.all()] == [4, 6]
    assert p.number.startswith("FX270520-")


def test_a_tenants_pass_waits_and_is_refused_at_the_gate(tenant_pass, guard):
    assert tenant_pass.status == "awaiting"
    verdict = svc.gate_verdict(tenant_pass)
    assert not verdict.can_release and "业主尚未授权" in verdict.reasons[0]
    with pytest.raises(ValidationError):
        svc.release(guard, tenant_pass, quantities={tenant_pass.items.first().pk: 1})
    assert not ReleaseEntry.objects.exists()


def test_a_non_owner_cannot_authorise(tenant_pass, tenant, neighbour):
    for person in (tenant, neighbour):
        with pytest.raises(ValidationError) as err:
            svc.authorise_in_portal(person, tenant_pass)
        assert "owner" in err.value.message_dict


def test_the_owner_may_authorise_fewer_items_and_only_those_pass(tenant_pass, owner, guard):
    desk, chair = tenant_pass.items.all()
    svc.authorise_in_portal(owner, tenant_pass, quantities={desk.pk: 2, chair.pk: 0})
    desk.refresh_from_db()
    assert tenant_pass.status == "authorised" and desk.authorised == 2
    with pytest.raises(ValidationError):
        svc.release(guard, tenant_pass, quantities={desk.pk: 3})
    with pytest.raises(ValidationError):
        svc.release(guard, tenant_pass, quantities={chair.pk: 1})
    with pytest.raises(ValidationError):
        svc.release(guard, tenant_pass, quantities={999999: 1})
    entries = svc.release(guard, tenant_pass, quantities={desk.pk: 2})
    assert [(e.item.name, e.quantity, e.guard) for e in entries] == [("办公桌", 2, guard)]
    tenant_pass.refresh_from_db()
    assert tenant_pass.status == "released"
    row = selectors.register_entries(guard).get()
    assert (row.release_pass.number, row.release_pass.unit.label, row.quantity) == (tenant_pass.number, "3-2-1201", 2)


def test_authorising_more_than_asked_is_refused(tenant_pass, owner):
    desk = tenant_pass.items.first()
    with pytest.raises(ValidationError):
        svc.authorise_in_portal(owner, tenant_pass, quantities={desk.pk: 5})
    assert not ReleaseAuthorisation.objects.exists()


def test_by_phone_only_after_verifying_the_owner_against_the_archive(tenant_pass, owner, staff):
    with pytest.raises(ValidationError) as err:
        svc.authorise_by_phone(staff, tenant_pass, owner=owner, id_last4="9999", phone="13812345678")
    assert "id_last4" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        svc.authorise_by_phone(staff, tenant_pass, owner=owner, id_last4="1234", phone="13000000000")
    assert "phone" in err.value.message_dict
    svc.authorise_by_phone(staff, tenant_pass, owner=owner, id_last4="1234", phone="138 1234 5678")
    auth = tenant_pass.authorisation
    assert auth.method == "phone" and auth.verified_by == staff and auth.at is not None
    assert "1234" not in auth.verification and "138****5678" in auth.verification


def test_a_guard_cannot_record_a_phone_authorisation(tenant_pass, owner, guard):
    with pytest.raises(PermissionDenied):
        svc.authorise_by_phone(guard, tenant_pass, owner=owner, id_last4="1234", phone="13812345678")


def test_a_pass_expires_at_the_end_of_its_day(staff, unit, owner, guard):
    p = svc.apply_pass(staff, unit=unit, applicant=owner, items=DESKS, carrier="王建国")
    with time_machine.travel(dt.datetime(2027, 5, 20, 15, 59, tzinfo=dt.UTC), tick=False):  # 23:59 Shanghai
        assert svc.gate_verdict(p).can_release
    with time_machine.travel(dt.datetime(2027, 5, 20, 16, 0, tzinfo=dt.UTC), tick=False):  # next day 00:00
        verdict = svc.gate_verdict(p)
        assert not verdict.can_release and "失效" in verdict.reasons[0]
        with pytest.raises(ValidationError):
            svc.release(guard, p, quantities={p.items.first().pk: 1})


def test_the_owners_hold_stops_an_earlier_authorised_tenant_pass(tenant_pass, owner, unit, guard):
    svc.authorise_in_portal(owner, tenant_pass)
    with time_machine.travel(DAY + dt.timedelta(minutes=5), tick=False):
        svc.set_hold(owner, unit, reason="租金未付")
        verdict = svc.gate_verdict(tenant_pass)
    assert not verdict.can_release and verdict.hold.reason == "租金未付"
    svc.clear_hold(owner, unit)
    assert svc.gate_verdict(tenant_pass).can_release


def test_a_tenant_cannot_set_a_hold(unit, tenant):
    with pytest.raises(ValidationError):
        svc.set_hold(tenant, unit)


def test_the_gate_without_a_pass_says_who_lives_there_and_what_is_needed(unit, owner, tenant, guard):
    answer = selectors.gate_lookup(guard, "3-2-1201")
    assert answer.verdicts == []
    roles = {c.name: (role, need) for c, role, need in answer.people}
    assert set(roles) == {"王建国", "李租客"}
    assert "业主授权" in roles["李租客"][1] and "申请" in roles["王建国"][1]


def test_the_gate_finds_a_pass_by_its_scanned_number(tenant_pass, guard, outsider):
    assert selectors.gate_lookup(guard, tenant_pass.number.lower()).verdicts[0].release_pass == tenant_pass
    assert selectors.gate_lookup(outsider, tenant_pass.number).verdicts == []


def test_a_cancelled_pass_cannot_be_cancelled_again(tenant_pass, staff):
    svc.cancel_pass(staff, tenant_pass)
    with pytest.raises(Conflict):
        svc.cancel_pass(staff, tenant_pass)
