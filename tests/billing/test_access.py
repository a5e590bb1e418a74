"""Every fees page of the console, called as the wrong person, reveals and changes nothing (issue 14).

Staff of another project get 403/404 for 阳光花园's objects and lists without 阳光花园 in them; roles that
do not handle fees (technicians, guards, cleaners) get 403; a butler reads fees but takes no money and
changes nothing; a clerk does not approve; signed-out visitors are sent to sign in.
"""

import re

import pytest
from django.urls import reverse

from tests.billing import matrix
from tests.billing.world import SECRETS, snapshot
from tests.console.test_access_matrix import _request
from tests.factories import StaffFactory

OBJ, LIST, ACTION = matrix.OBJ, matrix.LIST, matrix.ACTION
CONSOLE = matrix.CONSOLE


def _value(world, value):
    """A callable makes the value (an upload); "<attr>" anywhere in a text is that attribute's pk."""
    if callable(value):
        return value()
    return re.sub(r"<(\w+)>", lambda m: str(getattr(world, m.group(1)).pk), value) if isinstance(value, str) else value


def calls(name, world):
    kind, methods, kwargs, data = CONSOLE[name]
    url = reverse(f"console:{name}", kwargs={
        k: attr[1:] if attr.startswith("=") else getattr(world, attr).pk for k, attr in kwargs.items()})
    for method in methods:
        for payload in data if isinstance(data, list) else [data]:
            yield method, url, {k: _value(world, v) for k, v in payload.items()}


@pytest.mark.parametrize("name", sorted(CONSOLE))
def test_staff_of_another_project_get_nothing(client, fee_world, outsider, name):
    before = snapshot(fee_world.project)
    client.force_login(outsider)
    kind = CONSOLE[name][0]
    for method, url, payload in calls(name, fee_world):
        response = _request(client, method, url, payload)
        if kind == OBJ:
            assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
        elif kind == LIST:
            assert response.status_code == 200, f"{method} {url} answered {response.status_code}"
        else:
            assert response.status_code in (200, 302), f"{method} {url} answered {response.status_code}"
        body = response.content.decode(errors="replace")
        leaked = [s for s in SECRETS if s in body]
        assert not leaked, f"{method} {url} shows {leaked}"
    assert snapshot(fee_world.project) == before


def test_the_outsider_does_see_their_own_fees(client, fee_world, outsider):
    """Guards the test above against pages that show nothing to anybody."""
    client.force_login(outsider)
    assert "江畔物业费" in client.get(reverse("console:fee_items")).content.decode()
    assert "江畔住户" in client.get(reverse("console:receipts")).content.decode()
    assert client.get(reverse("console:unit_fees", args=[fee_world.other_unit.pk])).status_code == 200


@pytest.mark.parametrize("role", ["technician", "security", "cleaning"])
@pytest.mark.parametrize("name", sorted(CONSOLE))
def test_roles_without_fees_are_refused(client, fee_world, role, name):
    before = snapshot(fee_world.project)
    user = StaffFactory(username=f"no-fees-{role}", role=role, projects=[fee_world.project])
    client.force_login(user)
    for method, url, payload in calls(name, fee_world):
        response = _request(client, method, url, payload)
        assert response.status_code == 403, f"{role}: {method} {url} answered {response.status_code}"
    assert snapshot(fee_world.project) == before


WRITES = sorted(name for name, (_kind, methods, _kw, _data) in CONSOLE.items() if "POST" in methods
                and name not in ("daily_close",))


@pytest.mark.parametrize("name", WRITES)
def test_a_butler_reads_fees_but_changes_nothing(client, fee_world, name):
    before = snapshot(fee_world.project)
    butler = StaffFactory(username="butler", role="butler", projects=[fee_world.project])
    client.force_login(butler)
    for method, url, payload in calls(name, fee_world):
        if method != "POST":
            continue
        response = _request(client, method, url, payload)
        assert response.status_code == 403, f"butler: {method} {url} answered {response.status_code}"
    assert snapshot(fee_world.project) == before


def test_a_butler_does_read_a_units_fees(client, fee_world):
    butler = StaffFactory(username="butler", role="butler", projects=[fee_world.project])
    client.force_login(butler)
    body = client.get(reverse("console:unit_fees", args=[fee_world.unit.pk])).content.decode()
    assert "阳光物业服务费" in body and "data-pay-form" not in body


def test_a_clerk_does_not_approve(client, fee_world):
    before = snapshot(fee_world.project)
    client.force_login(fee_world.clerk)
    url = reverse("console:fee_decide", args=["adjustment", fee_world.adjustment.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    assert snapshot(fee_world.project) == before


@pytest.mark.parametrize("name", sorted(CONSOLE))
def test_anonymous_visitors_are_sent_to_login(client, fee_world, name):
    for method, url, payload in calls(name, fee_world):
        response = _request(client, method, url, payload)
        assert response.status_code == 302, f"{method} {url} answered {response.status_code}"
        assert response["Location"].startswith(reverse("console:login"))
