"""Every console page of public affairs as staff of another project, as the wrong role, and anonymously."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from propdesk.affairs.models import ReleaseEntry, Renovation
from tests.console.test_access_matrix import _request
from tests.factories import StaffFactory

from . import world as affairs_world
from .matrix import CONSOLE, LIST, OBJ, REGISTERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(project, unit, owner, staff):
    return affairs_world.build(project, unit, owner, staff)


def _value(world, v):
    if isinstance(v, str) and v.startswith("<") and v.endswith(">"):
        obj, _dot, field = v[1:-1].partition(".")
        target = getattr(world, obj)
        return getattr(target, field) if field else target.pk
    return v


def calls(name, world):
    _kind, methods, kwargs, data = CONSOLE[name]
    url = reverse(f"console:{name}", kwargs={
        k: attr[1:] if attr.startswith("=") else getattr(world, attr).pk for k, attr in kwargs.items()})
    for method in methods:
        for payload in data if isinstance(data, list) else [data]:
            yield method, url, {k: _value(world, v) for k, v in payload.items()}


@pytest.mark.parametrize("name", sorted(CONSOLE))
def test_staff_of_another_project_gets_nothing(client, world, outsider, name):
    client.force_login(outsider)
    for method, url, payload in calls(name, world):
        response = _request(client, method, url, payload)
        if CONSOLE[name][0] == OBJ:
            assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
        else:
            assert response.status_code == 200, f"{method} {url} answered {response.status_code}"
        body = response.content.decode(errors="replace")
        leaked = [s for s in affairs_world.SECRETS if s in body]
        assert not leaked, f"{method} {url} shows {leaked}"
    world.renovation.refresh_from_db()
    assert world.renovation.status == Renovation.Status.ACTIVE and world.renovation.refund_amount is None
    world.release_pass.refresh_from_db()
    assert world.release_pass.status == "awaiting" and not ReleaseEntry.objects.exists()
    world.found_item.refresh_from_db()
    assert world.found_item.status == "held" and world.found_item.contents == "笔记本电脑"
    assert world.handover.lines.filter(name="外人").count() == 0 and world.handover.status == "open"


@pytest.mark.parametrize("register", REGISTERS)
def test_every_register_export_of_an_outsider_is_empty(client, world, outsider, register):
    client.force_login(outsider)
    response = client.get(reverse("console:affairs_export", args=[register]), {"project": world.project.pk})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row == 1  # the header only


@pytest.mark.parametrize("name", sorted(n for n, e in CONSOLE.items() if e[0] in (OBJ, LIST)))
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name):
    for method, url, payload in calls(name, world):
        response = _request(client, method, url, payload)
        assert response.status_code == 302 and "/login/" in response["Location"], f"{method} {url}"


# -- the wrong role in the right project ------------------------------------------------------------

WRONG_ROLE = [
    ("cleaning", "affairs_renovation_review", {"decision": "approve"}),
    ("front_desk", "affairs_renovation_refund", {"voucher": "x"}),
    ("cleaning", "gate_release", {}),
    ("security", "affairs_pass_authorise", {"owner": "<owner>", "id_last4": "1234", "phone": "13812345678",
                                           "granted": "on"}),
    ("cleaning", "affairs_handover_sign", {"signed_by": "x"}),
    ("cleaning", "affairs_found_dispose", {"note": "x"}),
    ("front_desk", "affairs_patrol", {"result": "ok"}),
    ("front_desk", "affairs_settings", {"project": "<project>", "patrol_interval_days": "5",
                                        "unclaimed_notice_days": "3", "disposal_days": "60"}),
]


@pytest.mark.parametrize(("role", "name", "data"), WRONG_ROLE)
def test_a_role_the_rule_excludes_is_refused(client, world, role, name, data):
    user = StaffFactory(username=f"same-{role}", role=role, projects=[world.project])
    client.force_login(user)
    kwargs = {k: getattr(world, attr).pk for k, attr in CONSOLE[name][2].items()}
    response = client.post(reverse(f"console:{name}", kwargs=kwargs), {k: _value(world, v) for k, v in data.items()})
    assert response.status_code == 403
