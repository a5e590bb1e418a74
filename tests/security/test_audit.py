"""The security audit log: what is recorded for each sign-in, failure, sign-out and refusal, and its page."""

import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from propdesk.org import audit
from propdesk.org.models import SecurityEvent
from tests.factories import StaffFactory
from tests.portal.conftest import sent_code

PASSWORD = "correct-horse-9"
PHONE = "13812345678"
MASKED = "138****5678"


def _only(**lookup) -> SecurityEvent:
    events = list(SecurityEvent.objects.filter(**lookup))
    assert len(events) == 1, [(e.kind, e.channel, e.username, e.detail) for e in SecurityEvent.objects.all()]
    return events[0]


def _no_password_anywhere(secret: str):
    for event in SecurityEvent.objects.all():
        assert secret not in " ".join([event.username, event.detail, event.path])


# -- console -------------------------------------------------------------------------------------

def test_console_sign_in_and_sign_out_are_recorded(client, staff):
    client.post("/login/", {"username": "desk", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    event = _only(kind="login")
    assert (event.channel, event.user, event.username, event.address, event.path) == (
        "console", staff, "desk", "10.1.2.3", "/login/")
    client.post("/logout/", REMOTE_ADDR="10.1.2.3")
    assert _only(kind="logout").user == staff


def test_a_failed_console_sign_in_is_recorded_without_the_password(client, staff):
    client.post("/login/", {"username": "desk", "password": "Hunter2-secret"}, REMOTE_ADDR="10.1.2.4")
    event = _only(kind="login_failed")
    assert (event.channel, event.username, event.address, event.user) == ("console", "desk", "10.1.2.4", None)
    _no_password_anywhere("Hunter2-secret")


def test_a_throttled_console_sign_in_is_recorded(client, staff, settings):
    settings.LOGIN_RATE_LIMIT = 1
    client.post("/login/", {"username": "desk", "password": "wrong-1"})
    client.post("/login/", {"username": "desk", "password": PASSWORD})
    event = _only(kind="login_throttled")
    assert (event.channel, event.username) == ("console", "desk")
    assert "account" in event.detail


# -- API token -----------------------------------------------------------------------------------

def _token(username, password, address="10.2.0.1"):
    return Client().post("/api/v1/auth/token", json.dumps({"username": username, "password": password}),
                         content_type="application/json", REMOTE_ADDR=address)


def test_api_token_sign_in_failure_and_throttling_are_recorded(staff, settings):
    settings.LOGIN_RATE_LIMIT = 1
    assert _token("desk", PASSWORD).status_code == 200
    login = _only(kind="login")
    assert (login.channel, login.user, login.address, login.path) == ("api", staff, "10.2.0.1", "/api/v1/auth/token")
    SecurityEvent.objects.all().delete()
    settings.LOGIN_RATE_LIMIT = 10
    assert _token("desk", "Api-secret-99").status_code == 401
    failed = _only(kind="login_failed")
    assert (failed.channel, failed.username) == ("api", "desk")
    _no_password_anywhere("Api-secret-99")
    settings.LOGIN_RATE_LIMIT = 1
    assert _token("desk", PASSWORD).status_code == 429
    assert _only(kind="login_throttled").channel == "api"


# -- portal one-time code --------------------------------------------------------------------------

def test_portal_sign_in_failure_throttling_and_sign_out_are_recorded_masked(client, occupancy):
    client.post("/portal/login/", {"phone": PHONE}, REMOTE_ADDR="10.3.0.1")
    code = sent_code(PHONE)
    client.post("/portal/login/", {"phone": PHONE, "code": "000000" if code != "000000" else "111111"},
                REMOTE_ADDR="10.3.0.1")
    failed = _only(kind="login_failed")
    assert (failed.channel, failed.username, failed.address, failed.path) == ("portal", MASKED, "10.3.0.1", "/portal/login/")
    client.post("/portal/login/", {"phone": PHONE}, REMOTE_ADDR="10.3.0.1")  # a second code within the minute
    assert _only(kind="login_throttled").username == MASKED
    client.post("/portal/login/", {"phone": PHONE, "code": code}, REMOTE_ADDR="10.3.0.1")
    assert _only(kind="login").username == MASKED
    client.post("/portal/logout/")
    assert _only(kind="logout").username == MASKED
    assert not SecurityEvent.objects.filter(username__contains=PHONE).exists()


# -- refusals ------------------------------------------------------------------------------------

def test_a_console_refusal_is_recorded(client, staff):
    client.force_login(staff)
    assert client.get("/audit/", REMOTE_ADDR="10.4.0.1").status_code == 403
    event = _only(kind="refused")
    assert (event.channel, event.user, event.path, event.address) == ("console", staff, "/audit/", "10.4.0.1")


def test_an_api_refusal_from_a_role_check_is_recorded(staff, project):
    from tests.api.conftest import Api, token_for

    response = Api(token_for(staff)).patch(f"/projects/{project.pk}", {"name": "改名"})
    assert response.status_code == 403
    event = _only(kind="refused")
    assert (event.channel, event.user, event.path) == ("api", staff, f"/api/v1/projects/{project.pk}")
    assert event.detail


def test_a_portal_refusal_is_recorded(occupancy):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/portal/login/", {"phone": PHONE}).status_code == 403  # no CSRF token
    assert _only(kind="refused").channel == "portal"


def test_a_refusal_inside_a_failing_transaction_is_still_recorded(staff):
    request = HttpRequest()
    request.path = "/x/"
    request.META["REMOTE_ADDR"] = "10.5.0.1"
    request._audit_pending = []
    with pytest.raises(RuntimeError), transaction.atomic():
        staff.first_name = "rolled back"
        staff.save()
        audit.record(audit.Kind.REFUSED, request=request, user=staff, detail="refused mid-transaction")
        raise RuntimeError
    audit._flush(request)  # what the middleware does once the response is made
    staff.refresh_from_db()
    assert staff.first_name != "rolled back"
    assert _only(kind="refused").detail == "refused mid-transaction"


def test_recording_never_raises_even_in_a_broken_transaction(staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        try:
            StaffFactory(username="desk")  # a duplicate username: this transaction is now failing
        except IntegrityError:
            assert transaction.get_connection().needs_rollback
            audit.record(audit.Kind.REFUSED, user=staff)  # logged, not raised
            raise


def test_recording_survives_a_bad_value(db):
    audit.record(audit.Kind.LOGIN_FAILED, username="x" * 1000, address="y" * 1000, detail=object())
    event = _only(kind="login_failed")
    assert len(event.username) == 150 and len(event.address) == 64


# -- the console page ----------------------------------------------------------------------------

@pytest.fixture
def events(db):
    now = timezone.now()
    rows = [("login_failed", "desk", "10.0.0.1", 3), ("login", "desk", "10.0.0.1", 2),
            ("refused", "butler", "10.0.0.2", 1), ("login_failed", MASKED, "192.168.1.9", 40)]
    for kind, username, address, days_ago in rows:
        SecurityEvent.objects.create(kind=kind, username=username, address=address,
                                     at=now - dt.timedelta(days=days_ago), channel="console")


def _rows(client, **query):
    response = client.get("/audit/", query)
    assert response.status_code == 200
    return [(e.kind, e.username) for e in response.context["page"]]


def _sign_in(client, user):
    client.force_login(user)
    SecurityEvent.objects.filter(user=user).delete()  # the test's own sign-in


def test_an_administrator_searches_the_log_newest_first(client, admin_user, events):
    _sign_in(client, admin_user)
    assert _rows(client) == [("refused", "butler"), ("login", "desk"), ("login_failed", "desk"),
                             ("login_failed", MASKED)]
    assert _rows(client, kind="login_failed") == [("login_failed", "desk"), ("login_failed", MASKED)]
    assert _rows(client, who="DES") == [("login", "desk"), ("login_failed", "desk")]
    assert _rows(client, who=PHONE) == [("login_failed", MASKED)]  # a full mobile finds its masked form
    assert _rows(client, address="10.0.0.2") == [("refused", "butler")]
    since = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    until = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    assert _rows(client, date_from=since, date_to=until) == [("login", "desk"), ("login_failed", "desk")]
    assert _rows(client, date_from="not a date") != []  # an invalid filter is ignored, not an error


def test_the_log_page_is_paginated_and_in_chinese(client, admin_user):
    now = timezone.now()
    SecurityEvent.objects.bulk_create(SecurityEvent(kind="login", username=f"u{i}", at=now - dt.timedelta(minutes=i))
                                      for i in range(60))
    _sign_in(client, admin_user)
    first = client.get("/audit/")
    body = first.content.decode()
    with translation.override("zh-hans"):  # the page speaks Chinese (labels through gettext)
        assert gettext("Security log") in body and str(SecurityEvent.Kind.LOGIN_FAILED.label) in body
    assert len(first.context["page"].object_list) == 50 and first.context["page"].has_next()
    assert len(client.get("/audit/", {"page": 2}).context["page"].object_list) == 10


def test_only_administrators_see_the_log_in_the_navigation(client, admin_user, staff):
    client.force_login(admin_user)
    assert 'href="/audit/"' in client.get("/").content.decode()
    client.force_login(staff)
    assert 'href="/audit/"' not in client.get("/").content.decode()


def test_the_log_is_read_only_in_the_django_admin(client, db, events):
    root = StaffFactory(username="root", role="company_admin", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/admin/org/securityevent/").status_code == 200
    assert client.get("/admin/org/securityevent/add/").status_code == 403
    event = SecurityEvent.objects.first()
    page = client.get(f"/admin/org/securityevent/{event.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
