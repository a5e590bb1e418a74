"""Every fees page of the portal, called by another owner with 王建国's ids, reveals and changes nothing
(issue 14, item 6): a neighbour in the same project and an owner of another project get 404 for his
objects and lists without his data; signed-out visitors are sent to sign in; staff sessions are no
portal sessions."""

import re

import pytest
from django.urls import reverse

from tests.billing import matrix
from tests.billing.world import OWNER_SECRETS, SECRETS, snapshot
from tests.portal.conftest import sign_in
from tests.portal.test_access_matrix import _request

OBJ, LIST = matrix.OBJ, matrix.LIST
PORTAL = matrix.PORTAL
# Pages about the project, not the person: a neighbour in the same project may see them.
PROJECT_PAGES = {"fee_standards", "fee_statements", "fee_statement", "fee_statement_xlsx"}


def _key(value):
    return value.out_trade_no if hasattr(value, "out_trade_no") else value.pk


def calls(name, world):
    _kind, methods, kwargs, data = PORTAL[name]
    url = reverse(f"portal:{name}", kwargs={k: _key(getattr(world, attr)) for k, attr in kwargs.items()})
    for method in methods:
        for payload in data if isinstance(data, list) else [data]:
            yield method, url, {k: re.sub(r"<(\w+)>", lambda m: str(getattr(world, m.group(1)).pk), v)
                                for k, v in payload.items()}


@pytest.mark.parametrize("phone,same_project", [("13700001111", True), ("13600000000", False)],
                         ids=["neighbour-same-project", "owner-of-another-project"])
@pytest.mark.parametrize("name", sorted(PORTAL))
def test_another_owner_gets_nothing(client, fee_world, name, phone, same_project):
    before = snapshot(fee_world.project)
    assert sign_in(client, phone).status_code == 302
    kind = PORTAL[name][0]
    secrets = OWNER_SECRETS if same_project and name in PROJECT_PAGES else SECRETS if not same_project else \
        OWNER_SECRETS + ["3-2-1201"]
    for method, url, payload in calls(name, fee_world):
        response = _request(client, method, url, payload)
        if kind == OBJ:
            expected = 200 if same_project and name in PROJECT_PAGES else 404
            assert response.status_code == expected, f"{method} {url} answered {response.status_code}"
        else:
            assert response.status_code in (200, 302), f"{method} {url} answered {response.status_code}"
            if response.status_code == 302:
                assert not response["Location"].startswith("/portal/login"), f"{method} {url} signed out"
        body = response.content.decode(errors="replace")
        leaked = [s for s in secrets if s in body]
        assert not leaked, f"{method} {url} shows {leaked}"
    assert snapshot(fee_world.project) == before


def test_the_first_owner_does_see_his_fees(client, fee_world):
    sign_in(client, "13812345678")
    assert "阳光物业服务费" in client.get(reverse("portal:fees")).content.decode()
    assert client.get(reverse("portal:fee_bill", args=[fee_world.bill.pk])).status_code == 200
    assert client.get(reverse("portal:pay_local", args=[fee_world.intent.out_trade_no])).status_code == 200
    assert fee_world.receipt.code in client.get(reverse("portal:fee_receipts")).content.decode()


@pytest.mark.parametrize("name", sorted(PORTAL))
def test_signed_out_visitors_are_sent_to_sign_in(client, fee_world, name):
    for method, url, payload in calls(name, fee_world):
        response = _request(client, method, url, payload)
        assert response.status_code == 302 and response["Location"].startswith("/portal/login/"), (
            f"{method} {url} answered {response.status_code}")


def test_a_staff_session_is_no_portal_session(client, fee_world):
    client.force_login(fee_world.clerk)
    for name in ("fees", "fee_receipts", "fee_history"):
        response = client.get(reverse(f"portal:{name}"))
        assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
