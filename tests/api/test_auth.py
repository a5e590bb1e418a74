"""POST /auth/token, bearer tokens and session authentication."""

import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from propdesk.org.models import ApiToken
from tests.api.conftest import PASSWORD, Api


def test_token_is_issued_for_the_right_password_and_opens_the_api(staff, project):
    response = Api().post("/auth/token", {"username": "desk", "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert body["token"] and body["expires_at"]
    listing = Api(body["token"]).get("/projects")
    assert listing.status_code == 200
    assert [p["name"] for p in listing.json()["items"]] == ["阳光花园"]


def test_wrong_password_is_401_in_the_requests_language(staff):
    english = Api(language="en").post("/auth/token", {"username": "desk", "password": "nope"})
    chinese = Api().post("/auth/token", {"username": "desk", "password": "nope"})

    assert english.status_code == chinese.status_code == 401
    assert english.json() == {"detail": "Wrong username or password."}
    with translation.override("zh-hans"):
        assert chinese.json() == {"detail": gettext("Wrong username or password.")}


def test_too_many_attempts_are_refused_with_429_even_with_the_right_password(staff, settings):
    settings.LOGIN_RATE_LIMIT = 3
    api = Api(language="en")
    for _ in range(3):
        assert api.post("/auth/token", {"username": "desk", "password": "nope"}).status_code == 401

    response = api.post("/auth/token", {"username": "desk", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many login attempts" in response.json()["detail"]


def _token(username, password, address):
    return Client().post("/api/v1/auth/token", json.dumps({"username": username, "password": password}),
                         content_type="application/json", REMOTE_ADDR=address)


def test_one_account_tried_from_many_addresses_is_refused_with_429(staff, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for n in range(3):
        assert _token("desk", "nope", f"10.3.0.{n}").status_code == 401
    assert _token("desk", PASSWORD, "10.3.0.99").status_code == 429


def test_many_accounts_tried_from_one_address_are_refused_with_429(staff, settings):
    settings.LOGIN_RATE_LIMIT = 2  # an address may try 5 × the per-account limit
    for n in range(10):
        assert _token(f"guess{n}", "nope", "10.4.4.4").status_code == 401
    assert _token("desk", PASSWORD, "10.4.4.4").status_code == 429
    assert _token("desk", PASSWORD, "10.4.4.5").status_code == 200


def test_token_request_without_password_is_422(staff):
    response = Api(language="en").post("/auth/token", {"username": "desk"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"password": ["This field is required."]}


def test_no_credentials_is_401_with_a_bearer_challenge(db):
    response = Api(language="en").get("/projects")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


def test_unknown_and_expired_tokens_are_401(staff, desk_api):
    assert Api("not-a-token").get("/projects").status_code == 401
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert desk_api.get("/projects").status_code == 401


def test_inactive_staff_lose_access_with_their_token(staff, desk_api):
    staff.is_active = False
    staff.save()
    assert desk_api.get("/projects").status_code == 401


def test_console_session_reads_without_csrf_but_writes_only_with_it(staff, project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    api = Api(client=client)
    assert api.get("/projects").status_code == 200

    refused = api.post("/buildings", {"project": project.pk, "code": "9", "name": "9栋"})
    assert refused.status_code == 403

    client.get("/api/v1/docs")  # any page that sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    api.headers["x-csrftoken"] = token
    accepted = api.post("/buildings", {"project": project.pk, "code": "9", "name": "9栋"})
    assert accepted.status_code == 201, accepted.content


def test_anonymous_write_is_401_not_a_csrf_error(db):
    api = Api(client=Client(enforce_csrf_checks=True))
    assert api.post("/buildings", {"project": 1, "code": "9", "name": "9栋"}).status_code == 401


def test_chinese_stays_readable_in_the_json(desk_api, project):
    response = desk_api.get("/projects")

    assert "阳光花园".encode() in response.content
    assert b"\\u" not in response.content
    assert response["Content-Type"].startswith("application/json")
