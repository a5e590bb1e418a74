"""Sign-in by mobile and one-time code: expiry, tries, rate limits, and who may sign in at all."""

import datetime as dt

import time_machine
from django.utils import timezone

from propdesk.archive.models import LoginCode
from propdesk.notify.models import Notification
from tests.factories import OccupancyFactory
from tests.portal.conftest import sent_code, sign_in

PHONE = "13812345678"


def test_an_owner_signs_in_with_the_code_sent_by_sms(client, occupancy):
    client.post("/portal/login/", {"phone": "138 1234 5678"})
    sms = Notification.objects.get(event="portal.login_code")
    assert sms.channel == "sms" and sms.address == PHONE
    response = client.post("/portal/login/", {"phone": PHONE, "code": sent_code(PHONE), "next": "/portal/"})
    assert response.status_code == 302
    home = client.get("/portal/").content.decode()
    assert "3栋" in home and "1201" in home


def test_the_code_is_stored_only_as_a_hash(client, occupancy):
    client.post("/portal/login/", {"phone": PHONE})
    code = sent_code(PHONE)
    assert code not in LoginCode.objects.get().digest


def test_a_wrong_code_leaves_tries_and_the_fifth_ends_the_code(client, occupancy):
    client.post("/portal/login/", {"phone": PHONE})
    code = sent_code(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        page = client.post("/portal/login/", {"phone": PHONE, "code": wrong})
        assert page.status_code == 200
    page = client.post("/portal/login/", {"phone": PHONE, "code": code})
    assert page.status_code == 200  # even the right code no longer works
    assert client.get("/portal/").status_code == 302


def test_the_code_expires_after_5_minutes(client, occupancy):
    client.post("/portal/login/", {"phone": PHONE})
    code = sent_code(PHONE)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5, seconds=1)):
        page = client.post("/portal/login/", {"phone": PHONE, "code": code})
    assert page.status_code == 200
    assert client.get("/portal/").status_code == 302


def test_a_code_works_once(client, occupancy):
    sign_in(client, PHONE)
    client.post("/portal/logout/")
    page = client.post("/portal/login/", {"phone": PHONE, "code": sent_code(PHONE)})
    assert page.status_code == 200


def test_codes_are_rate_limited_per_number(client, occupancy):
    client.post("/portal/login/", {"phone": PHONE})
    client.post("/portal/login/", {"phone": PHONE})
    assert Notification.objects.filter(event="portal.login_code").count() == 1


def test_a_stranger_gets_no_sms_and_cannot_sign_in(client, occupancy):
    page = client.post("/portal/login/", {"phone": "13900000000"})
    assert page.status_code == 200
    assert not Notification.objects.filter(event="portal.login_code").exists()
    assert not LoginCode.objects.exists()


def test_a_tenant_and_a_household_member_can_sign_in(client, occupancy):
    OccupancyFactory(unit=occupancy.unit, customer__name="租客", customer__phones=["13700001111"], role="tenant",
                     start_date=dt.date(2025, 1, 1), end_date=dt.date(2099, 1, 1))
    assert sign_in(client, "13700001111").status_code == 302


def test_a_former_tenant_whose_lease_ended_cannot_sign_in(client, occupancy):
    OccupancyFactory(unit=occupancy.unit, customer__name="前租客", customer__phones=["13700002222"], role="tenant",
                     start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1))
    client.post("/portal/login/", {"phone": "13700002222"})
    assert not LoginCode.objects.filter(phone="13700002222").exists()


def test_access_ends_when_the_lease_ends(client, occupancy):
    tenancy = OccupancyFactory(unit=occupancy.unit, customer__name="租客", customer__phones=["13700003333"],
                               role="tenant", start_date=dt.date(2025, 1, 1), end_date=dt.date(2099, 1, 1))
    sign_in(client, "13700003333")
    assert client.get("/portal/").status_code == 200
    tenancy.end_date = timezone.localdate() - dt.timedelta(days=1)
    tenancy.save()
    assert client.get("/portal/").status_code == 302


def test_codes_are_rate_limited_per_address(client, occupancy):
    for i in range(20):
        client.post("/portal/login/", {"phone": f"1390000{i:04d}"})
    page = client.post("/portal/login/", {"phone": PHONE})
    assert page.status_code == 200
    assert not Notification.objects.filter(event="portal.login_code").exists()
    assert "获取验证码过于频繁" in page.content.decode()  # too many codes requested


def _request_code(client, phone, address):
    return client.post("/portal/login/", {"phone": phone}, REMOTE_ADDR=address)


def _try_code(client, phone, code, address):
    return client.post("/portal/login/", {"phone": phone, "code": code}, REMOTE_ADDR=address)


def test_codes_are_rate_limited_per_number_whatever_the_address(client, occupancy):
    _request_code(client, PHONE, "10.5.0.1")
    page = _request_code(client, PHONE, "10.5.0.2")
    assert Notification.objects.filter(event="portal.login_code").count() == 1
    assert "获取验证码过于频繁" in page.content.decode()  # too many codes requested


def test_code_tries_are_rate_limited_per_address(client, occupancy):
    _request_code(client, PHONE, "10.6.0.1")
    code = sent_code(PHONE)
    for i in range(50):  # wrong codes for many numbers from one network
        _try_code(client, f"1390000{i:04d}", "000000", "10.6.6.6")
    page = _try_code(client, PHONE, code, "10.6.6.6")
    assert page.status_code == 200 and "_auth_user_id" not in client.session
    assert LoginCode.objects.get(phone=PHONE).used_at is None  # the right code was not even tried
    assert _try_code(client, PHONE, code, "10.6.6.7").status_code == 302


def test_code_tries_are_rate_limited_per_number_whatever_the_address(client, occupancy):
    for i in range(15):  # 15 tries an hour for one number, from ever-changing addresses
        _try_code(client, PHONE, "000000", f"10.7.0.{i}")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        _request_code(client, PHONE, "10.7.1.1")
        code = sent_code(PHONE)
        page = _try_code(client, PHONE, code, "10.7.1.2")
    assert page.status_code == 200
    assert LoginCode.objects.filter(phone=PHONE, used_at__isnull=False).count() == 0
