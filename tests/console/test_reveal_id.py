"""Full ID numbers: masked on every page, revealed once to permitted roles, and the viewing recorded."""

import pytest
from django.urls import reverse

from propdesk.core.models import TimelineEvent
from tests.console.conftest import RAW_ID


def reveal_url(customer):
    return reverse("console:customer_reveal_id", args=[customer.pk])


def test_raw_id_number_appears_on_no_page(desk, archive):
    owner = archive.owner
    urls = [
        reverse("console:home"),
        reverse("console:lookup") + "?q=王",  # one hit: follows the redirect to the card
        reverse("console:lookup") + "?q=13",  # several customers listed
        reverse("console:project_list"),
        reverse("console:project_detail", args=[archive.project.pk]),
        reverse("console:building_detail", args=[archive.building.pk]),
        reverse("console:unit_detail", args=[archive.unit.pk]),
        reverse("console:customer_detail", args=[owner.pk]),
        reverse("console:customer_edit", args=[owner.pk]),
        reverse("console:review"),
        reverse("console:transfer"),
        reverse("console:project_transfer", args=[archive.project.pk]),
    ]
    for url in urls:
        response = desk.get(url, follow=True)
        assert response.status_code == 200, url
        assert RAW_ID not in response.content.decode(), url
    live = desk.get(reverse("console:lookup"), {"q": "王"}, HTTP_HX_REQUEST="true")
    assert "王建国" in live.content.decode() and RAW_ID not in live.content.decode()


def test_front_desk_sees_the_full_number_once_and_the_view_is_recorded(desk, archive, staff):
    assert "查看完整证件号" in desk.get(reverse("console:customer_detail", args=[archive.owner.pk])).content.decode()
    response = desk.post(reveal_url(archive.owner))
    assert response.status_code == 200
    body = response.content.decode()
    assert RAW_ID in body
    assert "no-store" in response["Cache-Control"]
    event = TimelineEvent.objects.get(verb="archive.customer.id_revealed")
    assert event.actor == staff
    assert RAW_ID not in event.summary
    # Not kept anywhere: the next page shows the masked number again, and who viewed it.
    again = desk.get(reverse("console:customer_detail", args=[archive.owner.pk])).content.decode()
    assert RAW_ID not in again
    assert "已查看王建国的完整证件号" in again  # full ID number viewed


def test_technician_gets_no_button_and_a_403(client, archive, technician):
    client.force_login(technician)
    body = client.get(reverse("console:customer_detail", args=[archive.owner.pk])).content.decode()
    assert "查看完整证件号" not in body  # the reveal button
    response = client.post(reveal_url(archive.owner))
    assert response.status_code == 403
    assert RAW_ID not in response.content.decode()
    assert not TimelineEvent.objects.filter(verb="archive.customer.id_revealed").exists()


def test_reveal_is_post_only(desk, archive):
    assert desk.get(reveal_url(archive.owner)).status_code == 405


@pytest.mark.parametrize("role", ["company_admin", "project_manager"])
def test_other_permitted_roles_may_reveal(client, archive, role):
    from tests.factories import StaffFactory

    user = StaffFactory(role=role, projects=[archive.project])
    client.force_login(user)
    assert RAW_ID in client.post(reveal_url(archive.owner)).content.decode()
