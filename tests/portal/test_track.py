"""Following a request (the portal issue, items 2 and 4): own requests only, the public timeline,
confirm, not fixed, rate."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from propdesk.archive.owners import owner_for_phone
from propdesk.core import timeline
from propdesk.core.errors import Conflict, NotFound
from propdesk.notify.models import Notification
from propdesk.service import owner_actions, owner_selectors, services, transitions
from tests.factories import OccupancyFactory, UnitFactory
from tests.portal.conftest import english, report, sign_in

INTERNAL = "业主脾气较急，注意沟通方式"


@pytest.fixture
def resolved(owner, desk_staff):
    """The owner's leak, dispatched to 李师傅 of 工程部, responded to and resolved."""
    wo = report(owner)
    wo = transitions.transition(desk_staff.desk, wo, "dispatch", assignee=desk_staff.tech)
    services.add_note(desk_staff.desk, wo, INTERNAL)
    wo = transitions.transition(desk_staff.tech, wo, "respond")
    return transitions.transition(desk_staff.tech, wo, "resolve", note="更换了厨房进水管")


def test_the_list_and_the_page_show_the_owners_request(owner_client, resolved):
    body = owner_client.get("/portal/requests/").content.decode()
    assert resolved.number in body and "厨房水管爆了" in body
    page = owner_client.get(f"/portal/requests/{resolved.pk}/").content.decode()
    assert "工程部 李师傅" in page and "更换了厨房进水管" in page


def test_internal_notes_never_show(owner_client, resolved):
    page = owner_client.get(f"/portal/requests/{resolved.pk}/").content.decode()
    assert INTERNAL not in page
    assert all(INTERNAL not in e.summary for e in owner_selectors.public_timeline(resolved))


def test_the_public_timeline_tells_every_step_in_order(resolved):
    verbs = [e.summary for e in owner_selectors.public_timeline(resolved)]
    assert len(verbs) == 4  # received, dispatched, responded, resolved (the note is internal)
    assert "李师傅" in verbs[1] and "更换了厨房进水管" in verbs[3]


def test_the_owner_confirms(owner, resolved):
    wo = owner_actions.confirm(owner, resolved)
    assert wo.state == "confirmed" and wo.confirmed_at
    event = timeline.events_for(wo).first()
    assert event.verb == "service.confirm" and event.actor is None and not event.internal
    assert event.message == "The owner confirmed it is resolved"


def test_confirm_through_the_page(owner_client, resolved):
    response = owner_client.post(f"/portal/requests/{resolved.pk}/confirm/", {"version": resolved.version})
    assert response.status_code == 302
    resolved.refresh_from_db()
    assert resolved.state == "confirmed"


def test_a_stale_confirm_is_refused(owner_client, resolved):
    owner_client.post(f"/portal/requests/{resolved.pk}/confirm/", {"version": resolved.version})
    owner_client.post(f"/portal/requests/{resolved.pk}/confirm/", {"version": resolved.version})
    resolved.refresh_from_db()
    assert resolved.state == "confirmed" and resolved.version == 5


def test_not_fixed_reopens_and_tells_the_technician(owner, resolved, desk_staff):
    wo = owner_actions.not_fixed(owner, resolved, "还是在滴水")
    assert wo.state == "reopened" and wo.resolved_at is None
    assert Notification.objects.filter(recipient_user=desk_staff.tech, event="work_order.reopen").exists()
    assert "还是在滴水" in owner_selectors.public_timeline(wo)[-1].summary


def test_not_fixed_needs_a_note(owner, resolved):
    with pytest.raises(ValidationError):
        owner_actions.not_fixed(owner, resolved, "  ")


def test_the_owner_cannot_confirm_before_it_is_resolved(owner, desk_staff):
    wo = report(owner)
    with pytest.raises(Conflict):
        owner_actions.confirm(owner, wo)
    with pytest.raises(Conflict):
        owner_actions.rate(owner, wo, 5)


def test_the_owner_rates_once(owner_client, owner, resolved):
    response = owner_client.post(f"/portal/requests/{resolved.pk}/rate/", {"rating": "5", "comment": "师傅很专业"})
    assert response.status_code == 302
    resolved.refresh_from_db()
    assert resolved.owner_rating == 5 and resolved.owner_comment == "师傅很专业" and resolved.rated_at
    assert not resolved.needs_manager_attention
    with pytest.raises(Conflict):
        owner_actions.rate(owner, resolved, 4)


def test_a_rating_of_1_or_2_flags_the_manager(owner, resolved, desk_staff):
    wo = owner_actions.rate(owner, resolved, 2, "等了很久")
    assert wo.needs_manager_attention
    assert Notification.objects.filter(recipient_user=desk_staff.manager, event="work_order.poor_rating").exists()


def test_a_rating_outside_1_to_5_is_refused(owner, resolved):
    for bad in (0, 6, "x", None):
        with pytest.raises(ValidationError):
            owner_actions.rate(owner, resolved, bad)


def test_the_page_offers_only_the_allowed_buttons(owner_client, owner, resolved):
    page = owner_client.get(f"/portal/requests/{resolved.pk}/").content.decode()
    assert 'data-testid="confirm"' in page and 'data-testid="not-fixed"' in page and 'data-testid="rate"' in page
    owner_actions.confirm(owner, resolved)
    owner_actions.rate(owner, resolved, 5)
    page = owner_client.get(f"/portal/requests/{resolved.pk}/").content.decode()
    assert 'data-testid="confirm"' not in page and 'data-testid="rate"' not in page


@pytest.fixture
def landlord(project, occupancy, owner):
    """王建国 also owns 5-1-0802, let to a tenant (13700001111)."""
    let = UnitFactory(building__project=project, building__code="5", building__name="5栋", entrance="1",
                      number="0802", floor=8)
    OccupancyFactory(unit=let, customer=occupancy.customer, role="owner")
    OccupancyFactory(unit=let, customer__name="租客小刘", customer__phones=["13700001111"], role="tenant",
                     start_date=dt.date(2024, 1, 1), end_date=dt.date(2099, 1, 1))
    return owner_for_phone("13812345678"), let


def test_a_tenant_sees_their_units_requests_but_not_the_owners_other_unit(landlord, client):
    owner, let = landlord
    about_let = report(owner, key="a", unit_id=let.pk, description="出租房热水器坏了")
    about_home = report(owner, key="b", unit_id=owner.occupancies[0].unit_id, description="自家阳台门关不上")
    tenant = owner_for_phone("13700001111")
    assert list(owner_selectors.owner_work_orders(tenant)) == [about_let]
    with pytest.raises(NotFound):
        owner_selectors.get_owner_work_order(tenant, about_home.pk)
    sign_in(client, "13700001111")
    assert client.get(f"/portal/requests/{about_let.pk}/").status_code == 200
    assert client.get(f"/portal/requests/{about_home.pk}/").status_code == 404
    assert "自家阳台门关不上" not in client.get("/portal/requests/").content.decode()


def test_a_former_tenant_sees_nothing(landlord):
    owner, let = landlord
    report(owner, key="a", unit_id=let.pk, description="出租房热水器坏了")
    former = OccupancyFactory(unit=let, customer__phones=["13700002222"], role="tenant",
                              start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1))
    assert not owner_selectors.owner_work_orders(owner_for_phone("13700002222")).exists()
    assert former.customer_id  # their archive record stays; their access does not


def test_a_new_occupant_does_not_read_the_previous_occupants_reports(landlord, project):
    owner, let = landlord
    old = report(owner, key="a", unit_id=let.pk, description="出租房热水器坏了")
    old.received_at = timezone.now() - dt.timedelta(days=400)
    old.save()
    OccupancyFactory(unit=let, customer__phones=["13700003333"], role="tenant",
                     start_date=timezone.localdate() - dt.timedelta(days=30), end_date=dt.date(2099, 1, 1))
    assert not owner_selectors.owner_work_orders(owner_for_phone("13700003333")).exists()


def test_the_list_takes_a_fixed_number_of_queries(owner_client, owner, django_assert_max_num_queries):
    for i in range(8):
        report(owner, key=str(i), description=f"第{i}个问题：灯不亮")
    english(owner_client)
    with django_assert_max_num_queries(8):
        assert owner_client.get("/portal/requests/").status_code == 200
