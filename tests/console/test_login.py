"""Login, logout, login throttling and CSRF on the console."""

import pytest
from django.test import Client
from django.urls import reverse

LOGIN = reverse("console:login")


def _login(client, username="desk", password="correct-horse-9", address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_every_console_page_needs_login(client, db):
    response = client.get(reverse("console:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_login_page_has_csrf_token_and_language_switch(client, db):
    body = client.get(LOGIN).content.decode()
    assert "csrfmiddlewaretoken" in body
    assert reverse("set_language") in body


def test_staff_logs_in_and_lands_on_the_desk(client, staff):
    response = _login(client)
    assert response.status_code == 302 and response["Location"] == reverse("console:home")
    assert _logged_in(client)
    home = client.get(reverse("console:home"))
    assert 'id="lookup-q"' in home.content.decode() and "autofocus" in home.content.decode()


def test_wrong_password_is_refused(client, staff):
    response = _login(client, password="wrong-password")
    assert response.status_code == 200
    assert not _logged_in(client)
    assert response.context["form"].errors


def test_too_many_attempts_for_one_account_block_even_the_right_password(client, staff, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for _ in range(3):
        _login(client, password="wrong-password")
    response = _login(client)
    assert not _logged_in(client)
    assert [e.code for e in response.context["form"].errors.as_data()["__all__"]] == ["rate_limited"]
    assert "登录尝试次数过多" in response.content.decode()  # too many login attempts


def test_too_many_attempts_from_one_address_block_other_accounts(client, staff, settings):
    settings.LOGIN_RATE_LIMIT = 2  # an address may try 5 × the per-account limit
    for n in range(10):
        _login(client, username=f"guess{n}", password="x", address="10.9.9.9")
    _login(client, address="10.9.9.9")
    assert not _logged_in(client)
    _login(client, address="10.1.1.1")
    assert _logged_in(client)


def test_one_account_tried_from_many_addresses_is_blocked(client, staff, settings):
    settings.LOGIN_RATE_LIMIT = 3  # per account, whatever the address
    for n in range(3):
        _login(client, password="wrong-password", address=f"10.2.0.{n}")
    response = _login(client, address="10.2.0.99")
    assert not _logged_in(client)
    assert [e.code for e in response.context["form"].errors.as_data()["__all__"]] == ["rate_limited"]


def test_logout_is_a_post(client, staff):
    client.force_login(staff)
    assert client.get(reverse("console:logout")).status_code == 405
    response = client.post(reverse("console:logout"))
    assert response.status_code == 302
    assert not _logged_in(client)


@pytest.mark.parametrize("with_token", [False, True])
def test_csrf_is_enforced_on_posts(staff, archive, with_token):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    url = reverse("console:customer_confirm", args=[archive.owner.pk])
    data = {}
    if with_token:
        client.get(reverse("console:customer_detail", args=[archive.owner.pk]))
        data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    response = client.post(url, data)
    assert response.status_code == (302 if with_token else 403)
