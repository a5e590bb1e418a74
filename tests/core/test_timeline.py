import pytest
from django.db import transaction

from propdesk.core import timeline
from propdesk.core.models import TimelineEvent


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction(occupancy, staff):
    with pytest.raises(RuntimeError):
        timeline.record(staff, "test.event", "outside", subjects=[occupancy.unit])


def test_one_event_shows_on_every_card_it_concerns(occupancy, staff):
    with transaction.atomic():
        timeline.record(staff, "test.contact", "电话沟通", subjects=[occupancy.unit, occupancy.customer, occupancy.unit])
    assert TimelineEvent.objects.filter(verb="test.contact").count() == 1
    unit_events = list(timeline.events_for(occupancy.unit))
    customer_events = list(timeline.events_for(occupancy.customer))
    assert [e.summary for e in unit_events] == ["电话沟通"]
    assert [e.summary for e in customer_events] == ["电话沟通"]
    assert unit_events[0].actor == staff


def test_event_is_rolled_back_with_the_change_it_records(occupancy, staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        timeline.record(staff, "test.doomed", "不会留下", subjects=[occupancy.unit])
        raise RuntimeError("the change failed")
    assert not TimelineEvent.objects.filter(verb="test.doomed").exists()


def test_diff_keeps_only_real_changes(occupancy):
    unit = occupancy.unit
    changes = timeline.diff(unit, {"layout": unit.layout, "floor": 13})
    assert changes == {"floor": [12, 13]}
