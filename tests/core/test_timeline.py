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


def test_summary_is_read_in_the_readers_language(occupancy, staff):
    from django.utils import translation
    from django.utils.translation import gettext_noop

    with translation.override("zh-hans"), transaction.atomic():
        timeline.record(staff, "test.confirmed", timeline.Message(
            gettext_noop("Archive record of %(name)s confirmed"), {"name": "王建国"}), subjects=[occupancy.customer])
    event = timeline.events_for(occupancy.customer).first()
    with translation.override("en"):
        assert event.summary == "Archive record of 王建国 confirmed"
    with translation.override("zh-hans"):
        assert event.summary == "王建国的档案已确认"


def test_free_text_is_kept_as_typed(occupancy, staff):
    with transaction.atomic():
        timeline.record(staff, "test.note", "业主来电询问停车位 100% 满意", subjects=[occupancy.customer])
    assert timeline.events_for(occupancy.customer).first().summary == "业主来电询问停车位 100% 满意"
