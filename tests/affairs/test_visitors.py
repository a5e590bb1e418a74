"""Visitors at the gate: registration, recall, pre-registration, check-out; ID numbers masked (item 5)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from propdesk.affairs import selectors
from propdesk.affairs import visitors as svc
from propdesk.affairs.models import Visitor
from propdesk.core.errors import Conflict

pytestmark = pytest.mark.django_db
ID = "440301198506061117"


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(dt.datetime(2027, 8, 3, 6, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_a_new_visitor_by_unit_address(guard, project, unit, owner):
    visit = svc.register_visit(guard, project, unit_text="3-2-1201", name="孙来访", id_number=ID,
                               phone="13311112222", purpose="探亲", plate="粤B 7777A", people=2)
    v = visit.visitor
    assert (visit.unit, visit.people, visit.plate, v.visits) == (unit, 2, "粤B7777A", 1)
    assert v.id_number_mask == "4403**********1117" and ID not in v.id_number_encrypted


def test_the_unit_by_a_residents_name(guard, project, unit, owner):
    visit = svc.register_visit(guard, project, unit_text="王建国", name="孙来访", phone="13311112222")
    assert visit.unit == unit and visit.host == owner


def test_a_frequent_visitor_is_recalled_by_phone_or_id(guard, project, unit, owner):
    svc.register_visit(guard, project, unit_text="3-2-1201", name="孙来访", id_number=ID, phone="13311112222")
    again = svc.register_visit(guard, project, unit_text="3-2-1201", phone="13311112222")
    assert again.visitor.name == "孙来访" and again.visitor.visits == 2
    assert svc.recall(project.pk, ID).pk == again.visitor_id
    assert svc.recall(project.pk, ID[:-2]) is None
    assert Visitor.objects.count() == 1


def test_an_unknown_unit_or_a_missing_name_is_explained(guard, project, unit):
    with pytest.raises(ValidationError) as err:
        svc.register_visit(guard, project, unit_text="9-9-9999", name="孙来访")
    assert "9-9-9999" in str(err.value)
    with pytest.raises(ValidationError) as err:
        svc.register_visit(guard, project, unit_text="3-2-1201")
    assert "name" in err.value.message_dict


def test_a_cleaner_cannot_register_visitors(project, unit):
    from tests.factories import StaffFactory

    cleaner = StaffFactory(role="cleaning", projects=[project])
    with pytest.raises(PermissionDenied):
        svc.register_visit(cleaner, project, unit_text="3-2-1201", name="孙来访")


def test_a_preregistered_visit_is_found_by_its_code_once(guard, project, unit, owner):
    pre = svc.pre_register(owner, unit, visitor_name="钱朋友", date=dt.date(2027, 8, 3), people=3, purpose="聚餐")
    assert len(pre.code) == 6 and pre.code.isdigit()
    visit = svc.register_visit(guard, project, unit_text="", code=pre.code)
    assert (visit.unit, visit.host, visit.visitor.name, visit.people) == (unit, owner, "钱朋友", 3)
    with pytest.raises(ValidationError):
        svc.register_visit(guard, project, unit_text="", code=pre.code)


def test_only_occupants_preregister_and_not_in_the_past(unit, owner, neighbour):
    with pytest.raises(ValidationError):
        svc.pre_register(neighbour, unit, visitor_name="钱朋友", date=dt.date(2027, 8, 3))
    with pytest.raises(ValidationError):
        svc.pre_register(owner, unit, visitor_name="钱朋友", date=dt.date(2027, 8, 2))


def test_check_out_once(guard, project, unit):
    visit = svc.register_visit(guard, project, unit_text="3-2-1201", name="孙来访")
    assert list(selectors.visits_for(guard, on_site_only=True)) == [visit]
    svc.check_out(guard, visit)
    assert list(selectors.visits_for(guard, on_site_only=True)) == []
    with pytest.raises(Conflict):
        svc.check_out(guard, visit)
