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
    assert [c.source for c in rows] == [f"affairs.parking:{a.pk}:2027-0{m}" for m in (6, 7, 8)]


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


def test_a_space_is_free_again_the_day_after_its_rental_ends(staff, space, unit, owner, project):
    from propdesk.affairs import tasks

    rent(staff, space, unit, owner, dt.date(2027, 6, 1), dt.date(2027, 6, 30))
    space.refresh_from_db()
    assert space.status == "in_use"
    # The last day of the rental, one minute before midnight in Shanghai: still in use.
    with time_machine.travel(dt.datetime(2027, 6, 30, 15, 59, tzinfo=dt.UTC), tick=False):
        assert selectors.spaces_for(staff).get().state == "in_use"
        assert svc.refresh_space_status() == 0
    # The next day at 00:00 Shanghai: free in the list before any job ran, and the job stores it.
    with time_machine.travel(dt.datetime(2027, 6, 30, 16, 0, tzinfo=dt.UTC), tick=False):
        listed = selectors.spaces_for(staff).get()
        assert listed.state == "available" and listed.get_state_display() == "空闲"
        assert tasks.parking_daily.call() == {"changed": 1, "rents": 0}
    space.refresh_from_db()
    assert space.status == "available"


def test_rent_posts_to_billing_once_per_month_as_each_month_begins(staff, space, unit, owner,
                                                                   django_assert_num_queries):
    from propdesk.affairs import tasks
    from propdesk.billing.models import Bill

    a = rent(staff, space, unit, owner, dt.date(2027, 6, 16), dt.date(2027, 8, 31))
    assert not Bill.objects.exists()          # the rental starts tomorrow
    with time_machine.travel(dt.datetime(2027, 6, 15, 16, 0, tzinfo=dt.UTC), tick=False):   # 6-16 00:00 Shanghai
        assert tasks.parking_daily.call()["rents"] == 1
        assert tasks.parking_daily.call()["rents"] == 0
    june = Bill.objects.get()
    line = june.lines.get()
    assert (june.source, june.total, june.payer, june.unit) == (f"affairs.parking:{a.pk}:2027-06", Decimal("175.00"),
                                                                owner, unit)
    assert line.fee_item.name == "车位租金（租赁协议）" and "B1-023" in line.description
    with time_machine.travel(dt.datetime(2027, 8, 1, 4, 0, tzinfo=dt.UTC), tick=False):
        assert charges.post_parking_rents_due() == 2      # July (a missed month boundary) and August
        with django_assert_num_queries(2):
            assert charges.post_parking_rents_due() == 0
    assert sorted(Bill.objects.values_list("total", flat=True)) == [Decimal("175.00"), Decimal("350.00"),
                                                                      Decimal("350.00")]


def test_a_rental_registered_late_posts_the_months_already_begun(staff, space, unit, owner):
    from propdesk.billing.arrears import card_summary

    rent(staff, space, unit, owner, dt.date(2027, 5, 1), dt.date(2027, 10, 31))
    bills = list(unit.bills.order_by("period"))
    assert [(b.period, b.total) for b in bills] == [(dt.date(2027, 5, 1), Decimal("350.00")),
                                                    (dt.date(2027, 6, 1), Decimal("350.00"))]
    row, = card_summary(unit=unit, today=dt.date(2027, 6, 15))
    assert row["owed"] == Decimal("700.00") and row["overdue"] > 0
