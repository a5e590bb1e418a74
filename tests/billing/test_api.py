"""The fees API (issue 14, item 9): fee items, bills, payments with Idempotency-Key, receipts; and what
another project's staff, a role without fees and a caller without credentials get from it."""

import pytest

from propdesk.billing.models import Payment, Receipt
from tests.api.conftest import Api, token_for
from tests.billing.matrix import API_LISTS, API_OBJECTS
from tests.billing.world import SECRETS, snapshot
from tests.factories import StaffFactory


def _path(operation) -> str:
    return operation[0].removeprefix("/api/v1")


def leaked(response) -> list:
    body = response.content.decode()
    return [s for s in SECRETS if s in body]


@pytest.mark.parametrize("operation", sorted(API_LISTS), ids=lambda o: o[0])
def test_lists_hold_nothing_of_another_project(fee_world, outsider, operation):
    api = Api(token_for(outsider))
    for params in API_LISTS[operation](fee_world):
        response = api.get(_path(operation), **params)
        assert response.status_code == 200, (params, response.content)
        assert not leaked(response), (params, leaked(response))
    assert api.get(_path(operation)).json()["count"] >= 1  # the outsider's own rows do show


@pytest.mark.parametrize("operation", sorted(API_OBJECTS), ids=lambda o: f"{o[1]} {o[0]}")
def test_objects_of_another_project_are_refused(fee_world, outsider, operation):
    before = snapshot(fee_world.project)
    path, body = API_OBJECTS[operation](fee_world)
    response = Api(token_for(outsider)).call(operation[1], path, body)
    expected = (401,) if path.startswith("/payments/notify") else (403, 404)
    assert response.status_code in expected, response.content
    assert not leaked(response)
    assert snapshot(fee_world.project) == before


@pytest.mark.parametrize("operation", sorted(set(API_OBJECTS) | set(API_LISTS)), ids=lambda o: f"{o[1]} {o[0]}")
def test_a_role_without_fees_and_an_anonymous_caller_get_nothing(fee_world, operation):
    if operation[0].endswith("/notify/{provider}"):
        return
    before = snapshot(fee_world.project)
    path, body = API_OBJECTS[operation](fee_world) if operation in API_OBJECTS else (_path(operation), None)
    technician = StaffFactory(username="tech", role="technician", projects=[fee_world.project])
    assert Api(token_for(technician)).call(operation[1], path, body).status_code == 403
    assert Api().call(operation[1], path, body).status_code == 401
    assert snapshot(fee_world.project) == before


def test_the_desk_reads_items_and_bills_and_takes_a_payment_once(fee_world):
    api = Api(token_for(fee_world.clerk))
    items = api.get("/fee-items", project=fee_world.project.pk).json()["items"]
    prop = next(i for i in items if i["code"] == "property")
    assert prop["standards"][0]["price"] == "2.5000" or prop["standards"][0]["price"] == "2.50"
    bills = api.get("/bills", unit=fee_world.unit.pk, open="true").json()
    assert bills["count"] == 1
    line = bills["items"][0]["lines"][0]
    assert line["amount"] == "223.75" and bills["items"][0]["payer_name"] == "王建国"

    body = {"unit": fee_world.unit.pk, "amount": "20.50", "method": "pos", "lines": [line["id"]],
            "reference": "POS-778"}
    api.headers["idempotency-key"] = "desk-1"
    first = api.post("/payments", body)
    assert first.status_code == 201, first.content
    again = api.post("/payments", body)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"] and first.json()["receipt"].startswith("SJ")
    assert Payment.objects.filter(reference="POS-778").count() == 1
    receipt = Receipt.objects.get(code=first.json()["receipt"])
    assert api.get(f"/receipts/{receipt.pk}").json()["amount_in_words"] == "贰拾元伍角整"


@pytest.mark.parametrize(("amount", "prepay"), [("-5", False), ("abc", False), ("1.005", False),
                                                ("99999", False)])
def test_a_bad_payment_is_a_chinese_422_and_writes_nothing(fee_world, amount, prepay):
    api = Api(token_for(fee_world.clerk))
    count = Payment.objects.count()
    response = api.post("/payments", {"unit": fee_world.unit.pk, "amount": amount, "method": "cash",
                                      "prepay_rest": prepay})
    assert response.status_code == 422, response.content
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"] + str(response.json()["errors"]))
    assert Payment.objects.count() == count


def test_online_is_not_a_desk_method(fee_world):
    api = Api(token_for(fee_world.clerk))
    assert api.post("/payments", {"unit": fee_world.unit.pk, "amount": "1", "method": "online"}).status_code == 422


def test_a_month_is_given_as_year_and_month(fee_world):
    api = Api(token_for(fee_world.clerk))
    assert api.get("/bills", period="2027-03").json()["count"] == 1
    assert api.get("/bills", period="2027-04").json()["count"] == 0
    assert api.get("/bills", period="0").status_code == 422


def test_a_form_body_is_no_provider_notification(fee_world):
    from django.test import Client

    response = Client().post("/api/v1/payments/notify/local", {"out_trade_no": fee_world.intent.out_trade_no})
    assert response.status_code == 401
    assert not Payment.objects.filter(provider="local").exists()
