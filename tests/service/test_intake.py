"""Receiving a request: first receiver, triage suggestion and its override, idempotency, validation."""

import pytest
from django.core.exceptions import ValidationError

from propdesk.core import timeline
from propdesk.service import services
from propdesk.service.models import Category, TriageKeyword, WorkOrder
from tests.factories import UnitFactory


@pytest.fixture
def leak_word(db):
    plumbing = Category.objects.get(project=None, code="plumbing")
    return TriageKeyword.objects.create(word="漏水", category=plumbing, emergency=True)


def receive(actor, unit, **kw):
    fields = {"kind": "repair_home", "channel": "hotline", "description": "卫生间天花板漏水", "unit": unit}
    fields.update(kw)
    return services.create_work_order(actor, project=unit.project, **fields)


def test_the_receiver_becomes_the_first_receiver_and_the_triage_sets_priority(occupancy, staff, leak_word):
    wo, created = receive(staff, occupancy.unit)
    assert created and wo.first_receiver == staff
    assert wo.priority == "emergency" and wo.category.code == "plumbing"
    assert wo.suggested_emergency is True
    assert not timeline.events_for(wo).filter(verb="service.triage_overridden").exists()


def test_staff_override_of_the_suggestion_is_recorded(occupancy, staff, leak_word):
    wo, _ = receive(staff, occupancy.unit, priority="normal")
    assert wo.priority == "normal" and wo.suggested_emergency is True
    event = timeline.events_for(wo).get(verb="service.triage_overridden")
    assert event.changes["priority"] == ["emergency", "normal"] and event.internal


def test_a_retried_create_with_the_same_key_makes_one_work_order(occupancy, staff):
    first, created = receive(staff, occupancy.unit, idempotency_key="abc-1")
    again, created_again = receive(staff, occupancy.unit, idempotency_key="abc-1")
    assert (created, created_again) == (True, False) and again.pk == first.pk
    assert WorkOrder.objects.count() == 1
    receive(staff, occupancy.unit, idempotency_key="abc-2")
    assert WorkOrder.objects.count() == 2


def test_a_home_repair_needs_its_unit_and_nothing_is_written(project, staff):
    with pytest.raises(ValidationError) as err:
        services.create_work_order(staff, project=project, kind="repair_home", channel="hotline",
                                   description="漏水")
    assert "unit" in err.value.message_dict
    assert WorkOrder.objects.count() == 0


def test_a_unit_of_another_project_is_refused(project, staff, other_project, admin_user):
    foreign = UnitFactory(building__project=other_project)
    with pytest.raises(ValidationError):
        services.create_work_order(admin_user, project=project, kind="repair_home", channel="hotline",
                                   description="漏水", unit=foreign)
    assert WorkOrder.objects.count() == 0


def test_an_empty_description_is_refused(occupancy, staff):
    with pytest.raises(ValidationError):
        receive(staff, occupancy.unit, description="   ")


def test_work_order_numbers_are_readable(occupancy, staff):
    wo, _ = receive(staff, occupancy.unit)
    assert wo.number == f"GD{wo.pk:08d}"
    assert WorkOrder.id_from_number(wo.number.lower()) == wo.pk
