"""Secrets a message carries (sign-in codes, survey link tokens) are never kept in clear (issue 12, items 1–3).

Every notification event that carries a secret (`core.sensitive.Secret` in its message) has a scenario
below that makes it happen and delivers it (SMS to the simulated handset, email over a real local SMTP
server). The test then proves that the secret reached the owner — and nowhere else: no column of any
table, no log line, no console page (outbox and notifications, as every staff role that may open them),
no Django-admin page, no API response holds it. `test_every_event_with_a_secret_has_a_scenario` reads the
source for messages carrying a Secret, so a new one (a payment link, a visitor code) fails until it is
walked here too.
"""

import email
import email.policy
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from propdesk.archive import owners
from propdesk.notify.models import Notification
from propdesk.notify.services import deliver
from propdesk.surveys import services as surveys
from tests.archive.test_id_at_rest import raw_database_text
from tests.factories import StaffFactory
from tests.handset import received

SRC = Path(__file__).resolve().parents[2] / "src" / "propdesk"
PHONE = "13812345678"
CODE = "905217"  # the code the scenario's generator draws (one that appears nowhere else in the data)


def _standalone(value: str) -> re.Pattern:
    return re.compile(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])")


def _email_text(raw: bytes) -> str:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return message.get_body(("plain",)).get_content()


def _deliver_all():
    for pk in Notification.objects.filter(status__in=["pending", "failed"]).values_list("pk", flat=True):
        deliver(pk)


def login_code(world, monkeypatch) -> list[str]:
    """An owner asks for a sign-in code on the portal's page."""
    monkeypatch.setattr(owners.secrets, "randbelow", lambda n: int(CODE))
    world.client.post(reverse("portal:login"), {"phone": PHONE})
    text = received(PHONE)
    assert CODE in text  # it did reach the phone
    return [CODE]


def survey_link(world, monkeypatch) -> list[str]:
    """A manager sends a survey: every household gets its link by SMS."""
    survey = surveys.save_survey(world.manager, world.project, {"title": "满意度调查", "roles": ["owner"]},
                                 questions=[{"kind": "rating", "text": "您满意吗"}])
    token = surveys.send_survey(world.manager, survey)[0].token
    _deliver_all()
    assert token in received(PHONE)
    # Emails (none carry this link today) must not hold it either: they leave the building, but a copy of
    # a staff member's email would be a copy outside the owner's phone.
    assert not any(token in _email_text(m.content) for m in world.smtp.messages)
    return [token]


SCENARIOS = {"portal.login_code": login_code, "surveys.invitation": survey_link}


def test_every_event_with_a_secret_has_a_scenario():
    """Files that put a Secret in a message, and the events they send, are all walked by this module."""
    events = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "Secret(" in text and path.name != "sensitive.py":
            events |= set(re.findall(r'event="([\w.]+)"', text))
    assert events and events <= set(SCENARIOS), f"events carrying a secret without a scenario: {events - set(SCENARIOS)}"


@pytest.fixture
def world(client, project, occupancy, smtp_server):
    occupancy.customer.email = "wang@example.com"
    occupancy.customer.save()
    world = type("World", (), {})()
    world.client, world.project, world.smtp = client, project, smtp_server
    world.manager = StaffFactory(username="pm", role="project_manager", projects=[project])
    world.staff = [StaffFactory(username=f"s-{role}", role=role, projects=[project])
                   for role in ("front_desk", "butler", "technician", "security", "cleaning")]
    world.admin = StaffFactory(username="root", role="company_admin", is_staff=True, is_superuser=True)
    return world


def _pages(client, world) -> list[tuple[str, str]]:
    """Every page and API response where a staff member could read a message: (label, body)."""
    seen = []
    for user in [world.manager, world.admin, *world.staff]:
        client.force_login(user)
        for query in ({}, {"tab": "outbox"}):
            response = client.get(reverse("console:notifications"), query)
            seen.append((f"{user.role} notifications {query}", response.content.decode()))
        seen.append((f"{user.role} API work orders", client.get("/api/v1/work-orders").content.decode()))
    client.force_login(world.admin)
    seen.append(("admin changelist", client.get("/admin/notify/notification/").content.decode()))
    for pk in Notification.objects.values_list("pk", flat=True):
        response = client.get(f"/admin/notify/notification/{pk}/change/")
        assert response.status_code == 200
        seen.append((f"admin notification {pk}", response.content.decode()))
    return seen


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("event", sorted(SCENARIOS))
def test_a_delivered_secret_is_nowhere_but_on_the_phone(event, world, monkeypatch, caplog, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    caplog.set_level(logging.DEBUG)
    secrets = SCENARIOS[event](world, monkeypatch)
    rows = Notification.objects.filter(event=event)
    assert rows.exists() and all(n.status == "sent" for n in rows)

    patterns = [_standalone(s) for s in secrets]
    database = raw_database_text()
    assert not [p.pattern for p in patterns if p.search(database)], "a secret is stored in clear"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not [p.pattern for p in patterns if p.search(logged)], "a secret was logged"
    for label, body in _pages(world.client, world):
        assert not [p.pattern for p in patterns if p.search(body)], f"a secret shows on {label}"
    # What the desk does see is the masked message, so it can still tell the owner what was sent.
    world.client.force_login(world.manager)
    outbox = world.client.get(reverse("console:notifications"), {"tab": "outbox"}).content.decode()
    assert "******" in outbox


@pytest.mark.django_db(transaction=True)
def test_a_code_read_by_nobody_but_the_owner_signs_in_once(world, monkeypatch):
    """The only copy of a code is the owner's phone: it works once, and no staff page offers it."""
    codes = login_code(world, monkeypatch)
    staff_view = "\n".join(body for _label, body in _pages(world.client, world))
    assert CODE not in staff_view
    world.client.logout()
    response = world.client.post(reverse("portal:login"), {"phone": PHONE, "code": codes[0]})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    world.client.post(reverse("portal:logout"))
    again = world.client.post(reverse("portal:login"), {"phone": PHONE, "code": codes[0]})
    assert again.status_code == 200 and 'class="error"' in again.content.decode()
    assert owners.SESSION_KEY not in world.client.session


def test_production_settings_never_show_the_code_on_the_page(tmp_path):
    """The demo's "SMS shown on the sign-in page" exists in settings.dev only: production turns it off and
    refuses the demo handset, whatever the environment says."""
    from tests.security.conftest import PROD_ENV

    probe = ("from django.conf import settings; import django; django.setup(); "
             "print(settings.PORTAL_DEMO_SHOW_CODE, settings.NOTIFY_SMS_BACKEND)")
    env = {**PROD_ENV, "PROPDESK_VAR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "propdesk.settings.prod",
           "PATH": "/usr/bin:/bin", "PYTHONPATH": str(SRC.parent)}
    shown = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    flag, backend = shown.stdout.split()
    assert flag == "False" and not backend.endswith("DemoHandsetSmsBackend")
    demo = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                          env={**env, "NOTIFY_SMS_BACKEND": "propdesk.notify.backends.DemoHandsetSmsBackend"})
    assert demo.returncode != 0 and "demo handset" in demo.stderr


@pytest.mark.django_db
def test_the_sign_in_page_shows_no_code_without_the_demo_setting(client, occupancy, settings):
    settings.PORTAL_DEMO_SHOW_CODE = False
    page = client.post(reverse("portal:login"), {"phone": PHONE}).content.decode()
    assert 'data-testid="demo-sms"' not in page and "data-testid=demo-sms" not in page
    assert received(PHONE)  # the code was sent, to the phone only
