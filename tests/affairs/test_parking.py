"""Parking: spaces, allocations, plates at the gate, rentals expiring, no double allocation (item 4)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from propdesk.affairs import charges, selectors
from propdesk.affairs import parking as svc
from propdesk.affairs.models import ParkingAllocation
from propdesk.core.errors import Conflict

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2027, 6, 15, 4, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fixed_time():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def space(staff, project):
    return svc.add_space(staff, project, number="B1-023", zone="地下一层B区", kind="rented")


def rent(staff, space, unit, customer, start, end, plates="粤B·12345"):
    return svc.allocate(staff, space, unit=unit, customer=customer, start_date=start, end_date=end,
                        plates=plates, monthly_price="350", receipt="TC-R-01")


def test_a_rental_needs_its_end_and_price(staff, space, unit, owner):
    with pytest.raises(ValidationError) as err:
        svc.allocate(staff, space, unit=unit, customer=owner, start_date=dt.date(2027, 7, 1), plates="粤B12345")
    assert {"end_date", "monthly_price"} <= set(err.value.message_dict)


def test_a_bad_plate_is_refused(staff, space, unit, owner):
    with pytest.raises(ValidationError) as err:
        rent(staff, space, unit, owner, dt.date(2027, 7, 1), dt.date(2027, 12, 31), plates="12")
    assert "plates" in err.value.message_dict


def test_a_space_is_never_allocated_twice_for_overlapping_periods(staff, space, unit, owner, tenant):
    rent(staff, space, unit, owner, dt.date(2027, 7, 1), dt.date(2027, 12, 31))
    with pytest.raises(Conflict) as err:
        rent(staff, space, unit, tenant, dt.date(2027, 12, 31), dt.date(2028, 3, 31), plates="粤B88888")
    assert "3-2-1201" in err.value.message
    assert rent(staff, space, unit, tenant, dt.date(2028, 1, 1), dt.date(2028, 3, 31), plates="粤B88888").pk
    assert ParkingAllocation.objects.count() == 2


def test_a_plate_typed_at_the_gate_finds_space_unit_and_whether_the_rental_is_current(staff, space, unit, owner,
                                                                                        guard):
    rent(staff, space, unit, owner, dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    answer = selectors.plate_lookup(guard, "粤b 12345")
    (allocation, current), = answer.allocations
    assert allocation.space.number == "B1-023" and allocation.unit.label == "3-2-1201" and current
    with time_machine.travel(dt.datetime(2027, 7, 1, 4, tzinfo=dt.UTC), tick=False):
        assert selectors.plate_lookup(guard, "粤B12345").allocations[0][1] is False


def test_an_unknown_plate_gets_a_clear_message(guard, project):
    answer = selectors.plate_lookup(guard, "粤Z99999")
    assert not answer.allocations and "粤Z99999" in answer.message


def test_rentals_expiring_within_30_days_are_listed(staff, project, unit, owner):
    soon = svc.add_space(staff, project, number="B1-001", zone="B1", kind="rented")
    later = svc.add_space(staff, project, number="B1-002", zone="B1", kind="rented")
    a = rent(staff, soon, unit, owner, dt.date(2027, 1, 1), dt.date(2027, 7, 15))
    rent(staff, later, unit, owner, dt.date(2027, 1, 1), dt.date(2027, 7, 16), plates="粤B22222")
    assert list(selectors.rentals_expiring(staff)) == [a]


def test_rent_is_described_per_month_prorated_in_decimal(staff, space, unit, owner):
    a = rent(staff, space, unit, owner, dt.date(2027, 6, 16), dt.date(2027, 8, 31))
    rows = charges.parking_charges(a)
    assert [(c.period_start, c.amount) for c in rows] == [
        (dt.date(2027, 6, 16), Decimal("175.00")), (dt.date(2027, 7, 1), Decimal("350.00")),
        (dt.date(2027, 8, 1), Decimal("350.00"))]
    assert all(c.source == f"affairs.parking_allocation:{a.pk}" for c in rows)


@pytest.mark.django_db(transaction=True)
def test_two_desks_allocating_one_space_at_the_same_moment(staff, space, unit, owner, tenant):
    """Two real threads, two connections: exactly one allocation is stored, the other is refused."""
    from django.db import connection

    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(customer, plate):
        try:
            barrier.wait(timeout=10)
            rent(staff, space, unit, customer, dt.date(2027, 7, 1), dt.date(2027, 12, 31), plates=plate)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(c, p)) for c, p in ((owner, "粤B11111"), (tenant, "粤B22222"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "ok"]
    assert ParkingAllocation.objects.filter(space=space).count() == 1
