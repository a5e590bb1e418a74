"""ID document numbers at rest (PIPL): encrypted in the database, found only by exact keyed hash, masked
everywhere they are shown, revealed or exported in clear only on purpose and on the record."""

import copy
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from propdesk.archive import excel, selectors, services
from propdesk.archive.models import Customer
from propdesk.core import crypto
from propdesk.core.models import TimelineEvent
from tests.factories import CustomerFactory, StaffFactory

RAW_ID = "110101199001011234"  # the factory's default number (王建国 of the `occupancy` fixture)
NEW_ID = "44030119850606111X"
IMPORTED_ID = "320102198803034567"
ALL_CLEAR = (RAW_ID, NEW_ID, IMPORTED_ID, NEW_ID.lower(), RAW_ID[2:-2], NEW_ID[:-1], IMPORTED_ID[2:-2])


@pytest.fixture
def owner(occupancy):
    return occupancy.customer


@pytest.fixture
def manager(project):
    return StaffFactory(username="manager", role="project_manager", projects=[project])


def raw_database_text(connection=connection) -> str:
    """Every value of every column of every table (the timeline's included), read past the ORM."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("utf-8", "replace")
                    parts.append(str(value))
    return "\n".join(parts)


def workbook_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)


def with_customer_row(data: bytes, code: str, name: str, id_number: str) -> io.BytesIO:
    """An exported workbook with one more customer row, as a person would add it."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["客户"]
    ws.append([code, name, "个人", None, None, None, None, None, None, "居民身份证", id_number])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


# -- storage ---------------------------------------------------------------------------------------

def test_no_id_number_is_stored_in_clear_anywhere(client, project, owner, staff, manager, admin_user):
    # created (the fixture), imported from Excel, edited, revealed, exported masked and in clear
    exported = excel.export_project(manager, project)
    excel.import_project(manager, project, with_customer_row(exported, "C000900", "钱进口", IMPORTED_ID))
    services.update_customer(staff, owner, {"id_number": NEW_ID.lower()})
    client.force_login(staff)
    page = client.post(reverse("console:customer_reveal_id", args=[owner.pk])).content.decode()
    assert NEW_ID in page
    assert IMPORTED_ID in workbook_text(excel.export_project(admin_user, project, reveal_ids=True))
    assert NEW_ID not in workbook_text(excel.export_project(manager, project))

    stored = raw_database_text()
    for clear in ALL_CLEAR:
        assert clear not in stored, f"{clear} found in the database"
    # …yet every number is there, encrypted, and reads back through the model.
    assert Customer.objects.get(pk=owner.pk).id_number == NEW_ID
    assert Customer.objects.get(code="C000900").id_number == IMPORTED_ID
    assert Customer.objects.get(pk=owner.pk).id_number_mask == "4403**********111X"


def test_each_write_encrypts_afresh_and_the_hash_is_keyed(owner):
    other = CustomerFactory(project=owner.project, name="同号", id_number=RAW_ID)
    assert owner.id_number_encrypted != other.id_number_encrypted  # random nonce
    assert owner.id_number_hash == other.id_number_hash == crypto.blind_index(RAW_ID)
    import hashlib

    assert owner.id_number_hash != hashlib.sha256(RAW_ID.encode()).hexdigest()  # not a plain hash


def test_numbers_are_normalised_before_storing_and_hashing(project, staff):
    customer = services.create_customer(staff, project=project, name="空格", id_number=" 4403 0119 8506 06111x ")
    customer = Customer.objects.get(pk=customer.pk)
    assert customer.id_number == NEW_ID
    assert list(Customer.objects.with_id_number(NEW_ID.lower())) == [customer]


def test_a_pickled_customer_carries_no_clear_number(owner):
    import pickle

    assert owner.id_number == RAW_ID  # decrypted and held in memory
    data = pickle.dumps(owner)
    assert RAW_ID.encode() not in data
    assert pickle.loads(data).id_number == RAW_ID


def test_a_wrong_key_cannot_decrypt_and_says_so(owner):
    with override_settings(PROPDESK_DATA_KEY="another-key-that-is-long-enough-to-be-accepted-0000"):
        customer = Customer.objects.get(pk=owner.pk)
        with pytest.raises(crypto.DataKeyError, match="PROPDESK_DATA_KEY is not the key"):
            customer.id_number  # noqa: B018
        assert not Customer.objects.with_id_number(RAW_ID).exists()
    assert Customer.objects.get(pk=owner.pk).id_number == RAW_ID


def test_a_missing_key_is_a_configuration_error(owner):
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(PROPDESK_DATA_KEY=""):
        with pytest.raises(ImproperlyConfigured, match="PROPDESK_DATA_KEY"):
            Customer.objects.get(pk=owner.pk).id_number  # noqa: B018


# -- finding by ID number --------------------------------------------------------------------------

def test_exact_match_finds_the_customer_and_partial_does_not(staff, owner, other_project):
    CustomerFactory(project=other_project, name="外人", id_number=RAW_ID)
    assert list(selectors.customers_with_id_number(staff, RAW_ID)) == [owner]  # scoped: the outsider's not
    assert [c.pk for c in selectors.lookup(staff, RAW_ID).customers] == [owner.pk]
    for part in (RAW_ID[:-1], RAW_ID[2:], RAW_ID[6:14], RAW_ID[:6], "1101**********1234"):
        assert not selectors.customers_with_id_number(staff, part).exists()
        assert owner.pk not in [c.pk for c in selectors.lookup(staff, part).customers]


def test_lookup_by_an_id_number_with_a_lower_case_x(staff, project):
    customer = CustomerFactory(project=project, name="艾克斯", id_number=NEW_ID, phones=[])
    assert [c.pk for c in selectors.lookup(staff, NEW_ID.lower()).customers] == [customer.pk]


# -- masked wherever shown -------------------------------------------------------------------------

def test_masked_in_api_console_pages_and_lookup(client, staff, owner):
    CustomerFactory(project=owner.project, name="同号人", id_number=RAW_ID)  # two hits: a result list
    client.force_login(staff)
    responses = [
        client.get(f"/api/v1/customers/{owner.pk}"),
        client.get("/api/v1/customers", {"project": owner.project_id}),
        client.get(reverse("console:customer_detail", args=[owner.pk])),
        client.get(reverse("console:customer_edit", args=[owner.pk])),
        # the live results (the full page also repeats the query the operator typed, as typed)
        client.get(reverse("console:lookup"), {"q": RAW_ID}, headers={"HX-Request": "true"}),
    ]
    for response in responses:
        body = response.content.decode().replace(f"?q={RAW_ID}", "")  # the "show all" link repeats the query
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert RAW_ID not in body, response.request["PATH_INFO"]
    assert responses[0].json()["id_number_masked"] == "1101**********1234"
    # found by the full number, listed masked
    assert responses[4].content.decode().count("1101**********1234") == 2


def test_the_timeline_keeps_only_masked_numbers(staff, owner):
    services.update_customer(staff, owner, {"id_number": NEW_ID})
    services.reveal_id_number(staff, owner)
    events = TimelineEvent.objects.filter(verb__startswith="archive.customer")
    assert events.get(verb="archive.customer.changed").changes["id_number"] == [
        "1101**********1234", "4403**********111X"]
    assert events.filter(verb="archive.customer.id_revealed", actor=staff).count() == 1
    assert all(NEW_ID not in str(e.changes) + str(e.params) for e in events)


def test_the_generic_update_helper_masks_id_numbers_too():
    from propdesk.core.sensitive import mask_changes

    assert mask_changes({"id_number": ["", RAW_ID], "name": ["a", "b"]}) == {
        "id_number": ["", "1101**********1234"], "name": ["a", "b"]}


@pytest.fixture
def superuser(db):
    return StaffFactory(username="root", role="company_admin", is_staff=True, is_superuser=True)


def test_admin_pages_show_no_number(client, superuser, owner):
    client.force_login(superuser)
    for url in (reverse("admin:archive_customer_changelist"),
                reverse("admin:archive_customer_change", args=[owner.pk])):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200 and "王建国" in body
        assert RAW_ID not in body and owner.id_number_encrypted not in body and owner.id_number_hash not in body
    assert "1101**********1234" in client.get(reverse("admin:archive_customer_changelist")).content.decode()


def test_admin_search_finds_a_full_number_only(client, superuser, owner):
    client.force_login(superuser)
    url = reverse("admin:archive_customer_changelist")
    assert "王建国" in client.get(url, {"q": RAW_ID}).content.decode()
    assert "王建国" not in client.get(url, {"q": RAW_ID[:10]}).content.decode()


# -- exports and imports ---------------------------------------------------------------------------

def test_administrator_clear_export_is_recorded_with_who_and_how_many(project, owner, admin_user):
    CustomerFactory(project=project, name="无证件", id_number="", phones=[])
    data = excel.export_project(admin_user, project, reveal_ids=True)
    assert RAW_ID in workbook_text(data)
    event = TimelineEvent.objects.get(verb="archive.exported_with_ids")
    assert event.actor == admin_user and event.at is not None
    assert event.params == {"count": 1} and RAW_ID not in str(event.changes)


@pytest.mark.parametrize("role", ["project_manager", "front_desk", "butler"])
def test_others_asking_for_clear_numbers_are_refused(project, owner, role, settings):
    settings.ID_REVEAL_ROLES = ("company_admin", "project_manager", "front_desk", "butler")
    user = StaffFactory(username=f"u-{role}", role=role, projects=[project])
    with pytest.raises(PermissionDenied):
        excel.export_project(user, project, reveal_ids=True)
    assert not TimelineEvent.objects.filter(verb="archive.exported_with_ids").exists()


def test_reimporting_a_masked_export_keeps_the_numbers(project, owner, manager):
    before = Customer.objects.values_list("id_number_encrypted", "id_number_hash").get(pk=owner.pk)
    report = excel.import_project(manager, project, io.BytesIO(excel.export_project(manager, project)))
    assert report.customers.updated == 0 and report.customers.unchanged == 1
    assert Customer.objects.values_list("id_number_encrypted", "id_number_hash").get(pk=owner.pk) == before


def test_a_masked_number_that_is_not_the_stored_ones_mask_is_refused(project, owner, manager):
    wb = load_workbook(io.BytesIO(excel.export_project(manager, project)))
    wb["客户"]["K2"] = "4403**********1111"
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with pytest.raises(excel.ImportRejected):
        excel.import_project(manager, project, buffer)
    assert Customer.objects.get(pk=owner.pk).id_number == RAW_ID


def test_importing_a_clear_number_stores_it_encrypted(project, owner, manager):
    wb = load_workbook(io.BytesIO(excel.export_project(manager, project)))
    wb["客户"]["K2"] = NEW_ID
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    assert excel.import_project(manager, project, buffer).customers.updated == 1
    customer = Customer.objects.get(pk=owner.pk)
    assert customer.id_number == NEW_ID and customer.id_number_hash == crypto.blind_index(NEW_ID)
    assert NEW_ID not in customer.id_number_encrypted


# -- production settings ---------------------------------------------------------------------------

def _start_prod(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("PROPDESK_DATA_KEY", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="propdesk.settings.prod", SECRET_KEY="s" * 60, EMAIL_HOST="mail.invalid",
               PROPDESK_VAR=str(tmp_path), **extra)
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("key", [None, "too-short"])
def test_production_refuses_to_start_without_a_data_key(tmp_path, key):
    result = _start_prod(tmp_path, **({"PROPDESK_DATA_KEY": key} if key else {}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PROPDESK_DATA_KEY must be set" in result.stderr and "secrets.token_urlsafe" in result.stderr


def test_production_accepts_a_proper_data_key(tmp_path):
    result = _start_prod(tmp_path, PROPDESK_DATA_KEY="k" * 48)
    assert "PROPDESK_DATA_KEY" not in result.stderr


# -- the data migration ----------------------------------------------------------------------------

@contextmanager
def scratch_database():
    """A connection to an empty database of the suite's engine, dropped afterwards: the data migration is
    replayed there alone (unapplying every later app's migrations on the suite's database takes minutes)."""
    alias = "migration_scratch"
    config = copy.deepcopy(connections.settings["default"])
    vendor = connection.vendor
    if vendor == "sqlite":
        config["NAME"] = str(Path(tempfile.mkdtemp()) / "scratch.sqlite3")
    else:
        config["NAME"] = f"propdesk_scratch_{os.getpid()}"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {config['NAME']}")
            cursor.execute(f"CREATE DATABASE {config['NAME']}")
    # Registered as a dynamically created connection (not in settings), which Django's test case allows.
    scratch = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    setattr(connections._connections, alias, scratch)
    try:
        yield scratch
    finally:
        scratch.close()
        delattr(connections._connections, alias)
        if vendor == "sqlite":
            Path(config["NAME"]).unlink(missing_ok=True)
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {config['NAME']}")


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_can_be_reversed():
    from django.db.migrations.executor import MigrationExecutor

    core = ("core", "0002_timelineevent_internal")
    before, after = [("archive", "0003_login_code"), core], [("archive", "0004_id_number_encrypted")]
    with scratch_database() as scratch:
        executor = MigrationExecutor(scratch)
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        project = old_apps.get_model("org", "Project").objects.using(scratch.alias).create(
            company=old_apps.get_model("org", "Company").objects.using(scratch.alias).create(name="旧公司"),
            name="旧小区", code="OLD")
        OldCustomer = old_apps.get_model("archive", "Customer")
        OldCustomer.objects.using(scratch.alias).create(project=project, code="C000001", name="旧档案",
                                                        id_number=RAW_ID)
        OldCustomer.objects.using(scratch.alias).create(project=project, code="C000002", name="无证件",
                                                        id_number="")
        old_apps.get_model("core", "TimelineEvent").objects.using(scratch.alias).create(
            at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), verb="archive.customer.changed", message="x",
            changes={"id_number": ["", RAW_ID]})

        executor = MigrationExecutor(scratch)
        executor.migrate(after)
        NewCustomer = executor.loader.project_state(after).apps.get_model("archive", "Customer")
        customer = NewCustomer.objects.using(scratch.alias).get(code="C000001")
        assert crypto.decrypt(customer.id_number_encrypted) == RAW_ID
        assert customer.id_number_mask == "1101**********1234"
        assert customer.id_number_hash == crypto.blind_index(RAW_ID)
        assert NewCustomer.objects.using(scratch.alias).get(code="C000002").id_number_encrypted == ""
        assert RAW_ID not in raw_database_text(scratch)

        executor = MigrationExecutor(scratch)
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        restored = old_apps.get_model("archive", "Customer").objects.using(scratch.alias).get(code="C000001")
        assert restored.id_number == RAW_ID
