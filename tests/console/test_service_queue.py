"""The queue: most urgent first, coloured by time left, filtered, paged without N+1."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from propdesk.service import transitions
from propdesk.service.models import SlaTimer
from tests.console.conftest import receive
from tests.factories import UnitFactory

QUEUE = reverse("console:queue")


def numbers(response):
    return [wo.number for wo, _u in response.context["rows"]]


def test_emergency_goes_to_the_top_with_a_countdown(desk_en, service_desk):
    normal = receive(service_desk.desk, service_desk.unit, "客厅灯不亮")
    leak = receive(service_desk.desk, service_desk.unit, "3栋1201卫生间天花板漏水，水一直往下滴")
    response = desk_en.get(QUEUE)
    assert numbers(response) == [leak.number, normal.number]
    body = response.content.decode()
    assert 'class="prio prio-emergency"' in body
    assert f'data-due="{timezone.localtime(leak.next_due_at).isoformat()}"' in body


def test_rows_are_green_amber_or_red_by_their_limit(desk_en, service_desk):
    ok = receive(service_desk.desk, service_desk.unit, "门锁坏了")
    warned = receive(service_desk.desk, service_desk.unit, "窗户关不上")
    late = receive(service_desk.desk, service_desk.unit, "水龙头滴水")
    SlaTimer.objects.filter(work_order=warned).update(warned_at=timezone.now())
    past = timezone.now() - timedelta(minutes=5)
    SlaTimer.objects.filter(work_order=late).update(due_at=past, warn_at=past - timedelta(minutes=10))
    late.next_due_at = past
    late.save(update_fields=["next_due_at"])
    levels = {wo.number: u.level for wo, u in desk_en.get(QUEUE).context["rows"]}
    assert levels == {ok.number: "ok", warned.number: "warned", late.number: "late"}
    body = desk_en.get(QUEUE).content.decode()
    assert "countdown lv-late" in body and "countdown lv-warned" in body and "countdown lv-ok" in body


def test_a_timer_past_its_warning_time_is_amber_even_before_the_sweep(desk_en, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "门锁坏了")
    SlaTimer.objects.filter(work_order=wo).update(warn_at=timezone.now() - timedelta(seconds=1))
    assert [u.level for _wo, u in desk_en.get(QUEUE).context["rows"]] == ["warned"]


def test_filters_by_kind_priority_building_and_assignee(desk_en, service_desk):
    leak = receive(service_desk.desk, service_desk.unit, "卫生间漏水")
    complaint = receive(service_desk.desk, service_desk.unit, "楼上装修太吵", kind="complaint")
    elsewhere = UnitFactory(building__project=service_desk.project, building__code="5", building__name="5栋")
    other = receive(service_desk.desk, elsewhere, "门禁坏了")
    transitions.transition(service_desk.desk, other, "dispatch", assignee=service_desk.tech)
    assert numbers(desk_en.get(QUEUE, {"kind": "complaint"})) == [complaint.number]
    assert numbers(desk_en.get(QUEUE, {"priority": "emergency"})) == [leak.number]
    assert numbers(desk_en.get(QUEUE, {"building": elsewhere.building_id})) == [other.number]
    assert numbers(desk_en.get(QUEUE, {"assignee": service_desk.tech.pk})) == [other.number]
    assert numbers(desk_en.get(QUEUE, {"category": leak.category_id})) == [leak.number]
    assert numbers(desk_en.get(QUEUE, {"state": "dispatched"})) == [other.number]
    assert len(numbers(desk_en.get(QUEUE, {"kind": "nonsense"}))) == 3  # a bad filter is ignored


def test_tabs_mine_and_my_team(client, service_desk):
    mine = receive(service_desk.desk, service_desk.unit, "灯不亮")
    transitions.transition(service_desk.desk, mine, "dispatch", assignee=service_desk.tech)
    receive(service_desk.desk, service_desk.unit, "门坏了")
    client.force_login(service_desk.tech)
    assert numbers(client.get(QUEUE)) == [mine.number]  # a technician starts on "mine"
    assert numbers(client.get(QUEUE, {"tab": "team"})) == [mine.number]
    assert len(numbers(client.get(QUEUE, {"tab": "project"}))) == 2


def test_closed_ones_show_only_when_asked(desk_en, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "灯不亮")
    transitions.transition(service_desk.desk, wo, "cancel", note="业主自己修好了")
    assert numbers(desk_en.get(QUEUE)) == []
    assert numbers(desk_en.get(QUEUE, {"all": "on", "unit": service_desk.unit.pk})) == [wo.number]


def test_manager_flags(desk_en, service_desk):
    wo = receive(service_desk.desk, service_desk.unit, "灯不亮")
    for action, params in [("resolve", {"note": "换了灯泡"}), ("callback", {"rating": 1, "note": "太慢"})]:
        wo = transitions.transition(service_desk.desk, wo, action, **params)
    assert numbers(desk_en.get(QUEUE, {"flag": "manager"})) == [wo.number]


def test_the_queue_pages_without_counting_and_without_n_plus_1(desk_en, service_desk,
                                                                 django_assert_max_num_queries):
    for i in range(55):
        unit = UnitFactory(building=service_desk.unit.building, number=f"{i + 100}")
        wo = receive(service_desk.desk, unit, f"第{i}号报修")
        if i % 2:
            transitions.transition(service_desk.desk, wo, "dispatch", assignee=service_desk.tech)
    with django_assert_max_num_queries(14):
        response = desk_en.get(QUEUE)
    assert len(response.context["rows"]) == 25 and 'rel="next"' in response.content.decode()
    third = desk_en.get(QUEUE, {"page": 3})
    assert len(third.context["rows"]) == 5 and 'rel="prev"' in third.content.decode()
