"""Editing and confirming a customer record through the console."""

from django.urls import reverse

from propdesk.core.models import TimelineEvent
from tests.console.conftest import RAW_ID


def edit_url(customer):
    return reverse("console:customer_edit", args=[customer.pk])


def form_data(customer, **overrides):
    data = {
        "name": customer.name, "kind": customer.kind, "customer_type": customer.customer_type,
        "gender": customer.gender, "birth_date": customer.birth_date or "", "hometown": customer.hometown,
        "hobbies": customer.hobbies, "income_band": customer.income_band,
        "household_size": customer.household_size or "", "id_type": customer.id_type, "email": customer.email,
        "wechat": customer.wechat, "emergency_contact": customer.emergency_contact, "notes": customer.notes,
        "phones": ", ".join(p.number for p in customer.phones.all()), "id_number": "",
    }
    data.update(overrides)
    return data


def test_edit_form_shows_phones_as_one_field_and_not_the_id_number(desk, archive):
    response = desk.get(edit_url(archive.owner))
    body = response.content.decode()
    assert 'value="13812345678"' in body
    assert RAW_ID not in body and "1101**********1234" in body


def test_edit_records_old_and_new_values_on_the_timeline(desk, archive, staff):
    response = desk.post(edit_url(archive.owner), form_data(
        archive.owner, hometown="湖北武汉", phones="13812345678，13988887777"))
    assert response.status_code == 302
    archive.owner.refresh_from_db()
    assert archive.owner.hometown == "湖北武汉"
    assert sorted(p.number for p in archive.owner.phones.all()) == ["13812345678", "13988887777"]
    event = TimelineEvent.objects.get(verb="archive.customer.changed")
    assert event.actor == staff
    assert event.changes["hometown"] == ["湖南长沙", "湖北武汉"]
    assert event.changes["phones"] == ["13812345678", "13812345678, 13988887777"]
    card = desk.get(response["Location"]).content.decode()
    assert "湖南长沙" in card and "湖北武汉" in card


def test_a_new_id_number_replaces_the_old_and_only_masked_forms_are_recorded(desk, archive):
    desk.post(edit_url(archive.owner), form_data(archive.owner, id_number="110101197005011111"))
    archive.owner.refresh_from_db()
    assert archive.owner.id_number == "110101197005011111"
    event = TimelineEvent.objects.get(verb="archive.customer.changed")
    assert event.changes["id_number"] == ["1101**********1234", "1101**********1111"]


def test_blank_id_field_keeps_the_number(desk, archive):
    desk.post(edit_url(archive.owner), form_data(archive.owner, hobbies="太极"))
    archive.owner.refresh_from_db()
    assert archive.owner.id_number == RAW_ID


def test_invalid_phone_is_shown_and_nothing_is_saved(desk, archive):
    response = desk.post(edit_url(archive.owner), form_data(archive.owner, hometown="X", phones="12345"))
    assert response.status_code == 200
    assert response.context["form"].errors["phones"]
    assert "12345" in response.content.decode()
    archive.owner.refresh_from_db()
    assert archive.owner.hometown == "湖南长沙"
    assert not TimelineEvent.objects.filter(verb="archive.customer.changed").exists()


def test_empty_name_is_a_field_error(desk, archive):
    response = desk.post(edit_url(archive.owner), form_data(archive.owner, name=""))
    assert response.status_code == 200
    assert response.context["form"].errors["name"]


def test_technician_may_not_edit(client, archive, technician):
    client.force_login(technician)
    assert client.get(edit_url(archive.owner)).status_code == 403
    assert client.post(edit_url(archive.owner), form_data(archive.owner, hometown="X")).status_code == 403


def test_confirm_button_records_the_review_and_returns_to_the_page(desk, archive, staff):
    archive.owner.last_confirmed_at = None
    archive.owner.save()
    review = reverse("console:review")
    response = desk.post(reverse("console:customer_confirm", args=[archive.owner.pk]), {"next": review})
    assert response.status_code == 302 and response["Location"] == review
    archive.owner.refresh_from_db()
    assert archive.owner.last_confirmed_at is not None
    assert TimelineEvent.objects.get(verb="archive.customer.confirmed").actor == staff


def test_confirm_ignores_an_outside_next_url(desk, archive):
    response = desk.post(reverse("console:customer_confirm", args=[archive.owner.pk]),
                         {"next": "https://evil.example/"})
    assert response["Location"] == reverse("console:customer_detail", args=[archive.owner.pk])
