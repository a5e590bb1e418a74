"""Archive writes: validation, one transaction, and the timeline with old and new values."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from propdesk.archive import services
from propdesk.archive.models import Customer, CustomerPhone, Occupancy
from propdesk.core import timeline
from propdesk.core.errors import NotFound
from propdesk.core.models import TimelineEvent
from tests.factories import StaffFactory, UnitFactory


def test_customer_change_is_recorded_with_old_and_new_values(occupancy, staff):
    customer = occupancy.customer
    services.update_customer(staff, customer, {"hometown": "湖南长沙", "household_size": 4})
    event = timeline.events_for(customer).first()
    assert event.actor == staff
    assert event.changes == {"hometown": ["", "湖南长沙"], "household_size": [None, 4]}


def test_changing_nothing_records_nothing(occupancy, staff):
    before = TimelineEvent.objects.count()
    assert services.update_customer(staff, occupancy.customer, {"name": occupancy.customer.name}) == {}
    assert TimelineEvent.objects.count() == before


def test_id_number_change_is_recorded_masked(occupancy, staff):
    services.update_customer(staff, occupancy.customer, {"id_number": "440301198506061111"})
    event = timeline.events_for(occupancy.customer).first()
    assert event.changes["id_number"] == ["1101**********1234", "4403**********1111"]
    assert "440301198506061111" not in str(event.changes)


def test_bad_phone_writes_nothing(project, staff):
    with pytest.raises(ValidationError) as err:
        services.create_customer(staff, project=project, name="赵六", phones=["13800000000", "123"])
    assert "phones" in err.value.message_dict
    assert not Customer.objects.filter(name="赵六").exists()


def test_customer_gets_a_number_and_phones(project, staff):
    c = services.create_customer(staff, project=project, name="钱七", phones=["138 0000 0001", "13800000001"])
    assert c.code.startswith("C")
    assert list(c.phones.values_list("number", flat=True)) == ["13800000001"]
    assert timeline.events_for(c).first().verb == "archive.customer.created"


def test_replacing_phones_is_recorded(occupancy, staff):
    services.update_customer(staff, occupancy.customer, {}, phones=["13912345678"])
    assert list(CustomerPhone.objects.filter(customer=occupancy.customer).values_list("number", flat=True)) == [
        "13912345678"]
    assert timeline.events_for(occupancy.customer).first().changes["phones"] == ["13812345678", "13912345678"]


def test_staff_cannot_write_into_another_project(occupancy, outsider):
    with pytest.raises(NotFound):
        services.update_customer(outsider, occupancy.customer, {"hometown": "x"})


def test_technician_cannot_edit_customers(occupancy, project):
    tech = StaffFactory(role="technician", projects=[project])
    with pytest.raises(PermissionDenied):
        services.update_customer(tech, occupancy.customer, {"hometown": "x"})


def test_tenancy_needs_a_lease_end(occupancy, staff):
    tenant = services.create_customer(staff, project=occupancy.unit.project, name="孙租", phones=["13700000000"])
    with pytest.raises(ValidationError) as err:
        services.add_occupancy(staff, unit=occupancy.unit, customer=tenant, role="tenant",
                               start_date=dt.date(2025, 1, 1))
    assert "end_date" in err.value.message_dict


def test_occupancy_end_before_start_is_refused(occupancy, staff):
    with pytest.raises(ValidationError):
        services.add_occupancy(staff, unit=occupancy.unit, customer=occupancy.customer, role="member",
                               start_date=dt.date(2025, 1, 1), end_date=dt.date(2024, 1, 1))


def test_occupancy_shows_on_unit_and_customer_cards(occupancy, staff):
    tenant = services.create_customer(staff, project=occupancy.unit.project, name="孙租", phones=["13700000000"])
    occ = services.add_occupancy(staff, unit=occupancy.unit, customer=tenant, role="tenant",
                                 start_date=dt.date(2025, 1, 1), end_date=dt.date(2026, 12, 31))
    assert timeline.events_for(occ.unit).first().verb == "archive.occupancy.created"
    assert timeline.events_for(tenant).first().verb == "archive.occupancy.created"


def test_one_person_can_own_several_units_and_a_unit_several_owners(occupancy, staff):
    unit2 = UnitFactory(building=occupancy.unit.building, number="1202", floor=12)
    services.add_occupancy(staff, unit=unit2, customer=occupancy.customer, role="owner", start_date=dt.date(2021, 1, 1))
    spouse = services.create_customer(staff, project=occupancy.unit.project, name="刘芳", phones=["13600000000"])
    services.add_occupancy(staff, unit=occupancy.unit, customer=spouse, role="owner", start_date=dt.date(2020, 1, 1))
    assert Occupancy.objects.filter(customer=occupancy.customer, role="owner").count() == 2
    assert Occupancy.objects.filter(unit=occupancy.unit, role="owner").count() == 2


def test_customer_of_another_projects_archive_cannot_occupy(occupancy, staff, other_project, admin_user):
    stranger = services.create_customer(admin_user, project=other_project, name="外人", phones=["13500000000"])
    with pytest.raises(ValidationError):
        services.add_occupancy(admin_user, unit=occupancy.unit, customer=stranger, role="owner",
                               start_date=dt.date(2020, 1, 1))


def test_reveal_is_allowed_to_front_desk_and_recorded(occupancy, staff):
    assert services.reveal_id_number(staff, occupancy.customer) == "110101199001011234"
    event = timeline.events_for(occupancy.customer).first()
    assert event.verb == "archive.customer.id_revealed" and event.actor == staff


def test_reveal_is_refused_to_a_technician_and_not_recorded(occupancy, project):
    tech = StaffFactory(role="technician", projects=[project])
    with pytest.raises(PermissionDenied):
        services.reveal_id_number(tech, occupancy.customer)
    assert not timeline.events_for(occupancy.customer).filter(verb="archive.customer.id_revealed").exists()


def test_confirming_a_record_takes_it_off_the_review_list(occupancy, staff):
    from django.utils import timezone

    from propdesk.archive.selectors import customers_due_review

    Customer.objects.filter(pk=occupancy.customer.pk).update(
        last_confirmed_at=timezone.now() - dt.timedelta(days=91))
    assert list(customers_due_review(staff)) == [occupancy.customer]
    services.confirm_customer(staff, Customer.objects.get(pk=occupancy.customer.pk))
    assert list(customers_due_review(staff)) == []


def test_a_record_confirmed_89_days_ago_is_not_due(occupancy, staff):
    from django.utils import timezone

    from propdesk.archive.selectors import customers_due_review

    Customer.objects.filter(pk=occupancy.customer.pk).update(
        last_confirmed_at=timezone.now() - dt.timedelta(days=89))
    assert list(customers_due_review(staff)) == []
