"""`manage.py load_demo` and `demo_logins`: a plausible, deterministic demo that loads once."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from propdesk.archive import excel
from propdesk.archive.demo_data import DEMO_PASSWORD
from propdesk.archive.models import Customer, CustomerPhone, Occupancy, Pet, UnitRecord, Vehicle
from propdesk.archive.selectors import customers_due_review
from propdesk.core.phones import validate_phone
from propdesk.org.models import Company, Project, Unit, User
from tests.factories import StaffFactory


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    """The archive part of the demo (the service desk's part is tested in tests/service/test_demo.py)."""
    from propdesk.archive.demo import load_demo

    summary = load_demo()
    assert summary is not None
    return summary


def test_demo_has_two_projects_two_thousand_units_and_three_thousand_customers(demo):
    sunshine, techpark = Project.objects.get(code="sunshine"), Project.objects.get(code="techpark")
    assert (sunshine.name, sunshine.service_mode, techpark.kind, techpark.service_mode) == (
        "阳光花园", "butler", "office", "hotel")
    assert Unit.objects.filter(project=sunshine).count() == 1600
    assert Unit.objects.filter(project=techpark).count() == 400
    assert 2700 <= Customer.objects.count() <= 3300

    let = Unit.objects.filter(project=sunshine, status=Unit.Status.LET).count()
    assert 0.10 <= let / 1600 <= 0.20
    owners = Occupancy.objects.filter(role=Occupancy.Role.OWNER, unit__project=sunshine)
    assert owners.order_by().values("unit").distinct().count() < owners.count()  # some units are co-owned
    assert owners.order_by().values("customer").distinct().count() < owners.count()  # some owners have two homes
    assert Occupancy.objects.filter(role=Occupancy.Role.TENANT, end_date__isnull=True).count() == 0
    former = Occupancy.objects.filter(role=Occupancy.Role.TENANT, end_date__lt=timezone.localdate())
    assert 0 < former.count() < let
    assert set(Occupancy.objects.exclude(relation="").values_list("relation", flat=True)) == {"配偶", "子女", "父母"}
    assert Customer.objects.filter(project=techpark, customer_type="enterprise").count() > 100
    assert Vehicle.objects.exists() and Pet.objects.exists()
    assert UnitRecord.objects.filter(kind="warranty", status="open").exists()


def test_demo_numbers_are_valid_and_unique(demo):
    numbers = list(CustomerPhone.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) > 3000
    assert all(validate_phone(n) == n for n in numbers)
    ids = [(c.id_number, c.birth_date, c.gender) for c in Customer.objects.filter(id_type="resident_id")]
    for number, born, gender in ids:
        assert re.fullmatch(r"\d{17}[\dX]", number) and number[6:14] == f"{born:%Y%m%d}"
        assert int(number[16]) % 2 == (1 if gender == "male" else 0)


def test_every_role_has_a_demo_login_and_the_admin_sees_everything(demo):
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
    admin = User.objects.get(username="admin")
    assert admin.check_password(DEMO_PASSWORD) and admin.is_company_admin
    assert list(User.objects.get(username="desk").projects.values_list("code", flat=True)) == ["sunshine"]
    assert list(User.objects.get(username="desk2").projects.values_list("code", flat=True)) == ["techpark"]

    due = customers_due_review(admin).count()
    assert 0 < due < Customer.objects.count()  # some records are due for the quarterly review

    table = run("demo_logins")
    assert re.search(r"admin\s+公司管理员.*全部 all\s+propdesk-demo", table)
    assert re.search(r"manager2\s+项目经理.*科技园写字楼\s+propdesk-demo", table)


def test_demo_is_deterministic_and_loads_only_once(demo):
    first = Customer.objects.get(project__code="sunshine", code="C000001")
    assert first.name == "梁健旭"
    assert list(first.phones.values_list("number", flat=True)) == ["13378437643"]

    counts = (Customer.objects.count(), Unit.objects.count(), User.objects.count())
    assert "already loaded" in run("load_demo")
    assert (Customer.objects.count(), Unit.objects.count(), User.objects.count()) == counts
    assert Company.objects.count() == 1


def test_demo_archive_survives_an_excel_round_trip(demo):
    admin, techpark = User.objects.get(username="admin"), Project.objects.get(code="techpark")
    data = excel.export_project(admin, techpark)
    report = excel.import_project(admin, techpark, io.BytesIO(data))
    assert report.created == report.updated == 0


def test_demo_refuses_to_take_over_existing_usernames(db):
    StaffFactory(username="admin", role="company_admin")
    with pytest.raises(CommandError, match="admin"):
        run("load_demo")
    assert not Project.objects.exists() and not Customer.objects.exists()


def test_demo_logins_without_demo_says_how_to_load_it(db):
    assert "load_demo" in run("demo_logins")
