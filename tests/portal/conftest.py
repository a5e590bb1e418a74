import re
from types import SimpleNamespace

import pytest

from propdesk.notify.models import Notification
from tests.handset import received


def sent_code(phone: str) -> str:
    """The code in the latest SMS that reached `phone` (the simulated handset of the test settings):
    the database holds it only masked."""
    assert Notification.objects.filter(address=phone, event="portal.login_code").exists()
    return re.search(r"\d{6}", received(phone)).group(0)


def sign_in(client, phone: str):
    client.post("/portal/login/", {"phone": phone})
    return client.post("/portal/login/", {"phone": phone, "code": sent_code(phone)})


@pytest.fixture
def owner_client(client, occupancy):
    """A browser signed in as 王建国, owner of 3-2-1201 (13812345678)."""
    response = sign_in(client, "13812345678")
    assert response.status_code == 302
    return client


# -- requests ------------------------------------------------------------------------------------


@pytest.fixture
def desk_staff(project):
    from propdesk.org.models import Department
    from tests.factories import StaffFactory

    desk = StaffFactory(username="desk", role="front_desk", projects=[project], first_name="张接线")
    tech = StaffFactory(username="tech", role="technician", projects=[project], first_name="李师傅")
    tech.departments.set([Department.objects.create(project=project, code="engineering", name="工程部")])
    manager = StaffFactory(username="pm", role="project_manager", projects=[project], first_name="周经理")
    return SimpleNamespace(desk=desk, tech=tech, manager=manager)


@pytest.fixture
def owner(occupancy):
    """王建国 as the portal sees him (owner of 3-2-1201)."""
    from propdesk.archive.owners import owner_for_phone

    return owner_for_phone("13812345678")


def report(owner, key="k1", description="厨房水管爆了，水漫出来了", **kw):
    from propdesk.service import owner_actions

    fields = {"unit_id": owner.unit_ids[0], "idempotency_key": key, "description": description}
    fields.update(kw)
    return owner_actions.report(owner, **fields)[0]


def english(client):
    """Read pages in English, so assertions do not depend on the Chinese catalogue."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
