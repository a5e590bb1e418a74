"""Archive import/export as one Excel workbook: all-or-nothing imports, round trips, masking, scoping."""

import datetime as dt
import io
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook, load_workbook

from propdesk.archive import excel
from propdesk.archive.excel_format import SHEETS
from propdesk.archive.models import Customer, CustomerPhone, Occupancy
from propdesk.core import timeline
from propdesk.core.errors import NotFound
from propdesk.core.models import TimelineEvent
from propdesk.org.models import Building, Unit
from tests.factories import CustomerFactory, OccupancyFactory, StaffFactory, UnitFactory


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted by their English text; one test below checks the Chinese default."""
    with translation.override("en"):
        yield

BUILDINGS = [["1", "1栋", 18], ["2", "2栋", 25]]
UNITS = [
    ["1", "1", "101", 1, 89.5, "三室两厅", "自住"],
    ["1", "1", "102", 1, 120, "四室两厅", "出租"],
    ["2", None, "2501", 25, "76.25", None, None],
]
CUSTOMERS = [
    ["C000001", "王建国", "个人", "男", dt.date(1975, 3, 8), "湖南长沙", "书法", "中高", 3, "居民身份证",
     "430102197503081234", "13812345678；020-88886666", "wang@example.com", "wjg1975", "李芳 13900000000", None],
    ["C000002", "李芳", None, "女", "1978/5/1", None, None, None, None, None, None, "13900000000", None, None,
     None, None],
    ["C000003", "深圳市华信科技有限公司", "企业", None, None, None, None, None, None, "营业执照",
     "91440300MA5F000000", "0755-88881234, 13700000001", None, None, None, "租 102"],
]
OCCUPANCIES = [
    ["1", "1", "101", "C000001", "业主", None, dt.date(2018, 6, 1), None],
    ["1", "1", "101", "C000002", "住户", "配偶", dt.date(2018, 6, 1), None],
    ["1", "1", "102", "C000003", "租户", None, dt.date(2024, 1, 1), dt.date(2026, 12, 31)],
]


def workbook(buildings=BUILDINGS, units=UNITS, customers=CUSTOMERS, occupancies=OCCUPANCIES, drop=None):
    """An import file built the way a person would fill in the template."""
    wb = Workbook()
    wb.remove(wb.active)
    for (sheet, columns), rows in zip(SHEETS.items(), (buildings, units, customers, occupancies), strict=True):
        if sheet == drop:
            continue
        ws = wb.create_sheet(sheet)
        ws.append([c.header for c in columns])
        for row in rows:
            ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def replace(rows, index, column, value):
    rows = [list(r) for r in rows]
    rows[index][column] = value
    return rows


def db_counts():
    return tuple(m.objects.count() for m in (Building, Unit, Customer, CustomerPhone, Occupancy, TimelineEvent))


def sheet_values(data: bytes) -> dict:
    wb = load_workbook(io.BytesIO(data))
    return {name: [list(r) for r in wb[name].iter_rows(values_only=True)] for name in SHEETS}


@pytest.fixture
def manager(project):
    return StaffFactory(username="manager", role="project_manager", projects=[project])


def test_template_opens_with_headers_notes_and_frozen_header(db):
    wb = load_workbook(io.BytesIO(excel.build_template()))
    for sheet, columns in SHEETS.items():
        ws = wb[sheet]
        assert [c.value for c in ws[1]] == [c.header for c in columns]
        assert ws.freeze_panes == "A2"
        assert ws.max_row == 1
    assert wb["客户"]["L1"].comment.text.startswith("多个号码")


def test_import_creates_the_archive_with_one_summary_event(project, manager):
    events = TimelineEvent.objects.count()
    report = excel.import_project(manager, project, workbook())

    assert (report.buildings.created, report.units.created, report.customers.created,
            report.occupancies.created) == (2, 3, 3, 3)
    assert TimelineEvent.objects.count() == events + 1
    assert timeline.events_for(project).first().verb == "archive.imported"
    unit = Unit.objects.get(building__code="1", number="101")
    assert unit.area == Decimal("89.50") and unit.status == Unit.Status.OCCUPIED
    assert Unit.objects.get(number="2501").status == Unit.Status.VACANT
    wang = Customer.objects.get(code="C000001")
    assert list(wang.phones.values_list("number", flat=True)) == ["13812345678", "02088886666"]
    assert wang.income_band == "upper_middle" and wang.birth_date == dt.date(1975, 3, 8)
    company = Customer.objects.get(code="C000003")
    assert company.kind == Customer.Kind.ORGANISATION and company.id_type == Customer.IdType.BUSINESS_LICENSE
    assert Customer.objects.get(code="C000002").birth_date == dt.date(1978, 5, 1)
    tenancy = Occupancy.objects.get(role=Occupancy.Role.TENANT)
    assert tenancy.end_date == dt.date(2026, 12, 31) and tenancy.customer == company
    assert report.customers.created == 3


BAD_FILES = {
    "unknown building": (dict(units=replace(UNITS, 2, 0, "9")), "房屋", 4, "unknown building “9”"),
    "area not a number": (dict(units=replace(UNITS, 0, 4, "八十")), "房屋", 2, "is not a number"),
    "area zero": (dict(units=replace(UNITS, 1, 4, 0)), "房屋", 3, "greater than zero"),
    "duplicate unit": (dict(units=UNITS + [UNITS[0]]), "房屋", 5, "more than once in the file (first on row 2)"),
    "invalid phone": (dict(customers=replace(CUSTOMERS, 1, 11, "1390000")), "客户", 3, "not a valid phone"),
    "end before start": (dict(occupancies=replace(OCCUPANCIES, 2, 7, dt.date(2023, 1, 1))), "入住关系", 4,
                         "end date is before the start date"),
    "tenant without end": (dict(occupancies=replace(OCCUPANCIES, 2, 7, None)), "入住关系", 4,
                           "needs its lease end date"),
    "unknown customer": (dict(occupancies=replace(OCCUPANCIES, 1, 3, "C999999")), "入住关系", 3,
                         "unknown customer number “C999999”"),
    "unknown unit": (dict(occupancies=replace(OCCUPANCIES, 0, 2, "909")), "入住关系", 2, "unknown unit 1-1-909"),
    "bad date": (dict(customers=replace(CUSTOMERS, 1, 4, "1978-13-40")), "客户", 3, "is not a date"),
    "missing name": (dict(customers=replace(CUSTOMERS, 0, 1, None)), "客户", 2, "this cell is required"),
    "unknown role": (dict(occupancies=replace(OCCUPANCIES, 0, 4, "房东")), "入住关系", 2, "“房东” is not one of"),
    "unknown status": (dict(units=replace(UNITS, 0, 6, "出售")), "房屋", 2, "“出售” is not one of"),
    "bad email": (dict(customers=replace(CUSTOMERS, 0, 12, "wang@")), "客户", 2, "not a valid email"),
    "bad resident id": (dict(customers=replace(CUSTOMERS, 0, 10, "4301021975")), "客户", 2,
                        "not a valid resident ID"),
    "floor not whole": (dict(units=replace(UNITS, 0, 3, 1.5)), "房屋", 2, "is not a whole number"),
    "missing sheet": (dict(drop="入住关系"), "入住关系", 0, "Sheet “入住关系” is missing"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_row_rejects_the_whole_file_and_writes_nothing(project, manager, case):
    changes, sheet, row, message = BAD_FILES[case]
    before = db_counts()
    with pytest.raises(excel.ImportRejected) as rejected:
        excel.import_project(manager, project, workbook(**changes))
    assert db_counts() == before
    assert [(e.sheet, e.row) for e in rejected.value.errors] == [(sheet, row)], rejected.value.errors
    assert message in rejected.value.errors[0].message


def test_rejections_are_explained_in_chinese_by_default(project, manager):
    with translation.override("zh-hans"), pytest.raises(excel.ImportRejected) as rejected:
        excel.import_project(manager, project, workbook(units=replace(UNITS, 2, 0, "9")))
    assert rejected.value.errors[0].message == "第4行：未知楼栋“9”。"


def test_every_error_of_every_sheet_is_reported_at_once(project, manager):
    units = replace(replace(UNITS, 0, 4, -3), 2, 0, "7")
    customers = replace(CUSTOMERS, 2, 11, "12345")
    occupancies = replace(OCCUPANCIES, 2, 7, None)
    with pytest.raises(excel.ImportRejected) as rejected:
        excel.import_project(manager, project, workbook(units=units, customers=customers, occupancies=occupancies))
    assert [(e.sheet, e.row) for e in rejected.value.errors] == [("房屋", 2), ("房屋", 4), ("客户", 4), ("入住关系", 4)]
    assert Unit.objects.count() == 0


def test_a_wrong_header_or_a_non_excel_file_is_rejected(project, manager):
    wb = load_workbook(workbook())
    wb["房屋"]["E1"] = "面积"
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with pytest.raises(excel.ImportRejected) as rejected:
        excel.import_project(manager, project, buffer)
    assert [(e.sheet, e.row) for e in rejected.value.errors] == [("房屋", 1)]
    assert "建筑面积(㎡)" in rejected.value.errors[0].message

    with pytest.raises(excel.ImportRejected) as rejected:
        excel.import_project(manager, project, io.BytesIO(b"name,phone\n"))
    assert "not an Excel workbook" in rejected.value.errors[0].message


def test_blank_rows_are_skipped_and_row_numbers_stay_those_excel_shows(project, manager):
    units = [UNITS[0], [None] * 7, [None] * 7, replace(UNITS, 2, 0, "9")[2]]
    with pytest.raises(excel.ImportRejected) as rejected:
        excel.import_project(manager, project, workbook(units=units, occupancies=OCCUPANCIES[:2]))
    assert [(e.sheet, e.row) for e in rejected.value.errors] == [("房屋", 5)]


def test_rows_referring_to_a_refused_row_are_not_reported_twice(project, manager):
    with pytest.raises(excel.ImportRejected) as rejected:
        excel.import_project(manager, project, workbook(buildings=replace(BUILDINGS, 0, 1, None)))
    assert [(e.sheet, e.row) for e in rejected.value.errors] == [("楼栋", 2)]


@pytest.fixture
def archive(project):
    """A small archive made through the factories, with every kind of cell filled somewhere."""
    unit = UnitFactory(building__project=project, building__code="3", building__name="3栋", entrance="2",
                       number="1201", floor=12, area=Decimal("101.35"), status=Unit.Status.LET)
    UnitFactory(building=unit.building, project=project, entrance="", number="B101", floor=-1,
                area=Decimal("30.00"), layout="")
    owner = CustomerFactory(project=project, code="C000001", name="王建国", gender="male", hometown="湖南长沙",
                            birth_date=dt.date(1970, 1, 2), income_band="high", household_size=4,
                            phones=["13812345678", "02088886666"], notes="第一行\n第二行")
    tenant = CustomerFactory(project=project, code="C000002", name="刘洋", id_type="", id_number="", phones=[])
    OccupancyFactory(unit=unit, customer=owner, start_date=dt.date(2019, 5, 1))
    OccupancyFactory(unit=unit, customer=tenant, role=Occupancy.Role.TENANT, start_date=dt.date(2024, 3, 1),
                     end_date=dt.date(2025, 2, 28))
    return project


def test_export_import_export_round_trip_gives_identical_sheets(archive, other_project, admin_user):
    first = excel.export_project(admin_user, archive, reveal_ids=True)
    report = excel.import_project(admin_user, other_project, io.BytesIO(first))
    assert report.units.created == 2 and report.occupancies.created == 2
    assert sheet_values(excel.export_project(admin_user, other_project, reveal_ids=True)) == sheet_values(first)
    assert Customer.objects.get(project=other_project, code="C000001").id_number == "110101199001011234"


def test_reimporting_an_export_changes_nothing(archive, manager):
    data = excel.export_project(manager, archive)
    customers = list(Customer.objects.order_by("id").values())
    phones = list(CustomerPhone.objects.order_by("id").values())
    report = excel.import_project(manager, archive, io.BytesIO(data))
    assert report.created == report.updated == 0
    assert report.customers.unchanged == 2 and report.occupancies.unchanged == 2
    assert list(Customer.objects.order_by("id").values()) == customers
    assert list(CustomerPhone.objects.order_by("id").values()) == phones


def test_a_masked_id_number_never_overwrites_the_stored_one(archive, manager):
    data = excel.export_project(manager, archive)
    assert sheet_values(data)["客户"][1][10] == "1101**********1234"
    wb = load_workbook(io.BytesIO(data))
    wb["客户"]["B2"] = "王建国（已更名）"
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    report = excel.import_project(manager, archive, buffer)
    assert report.customers.updated == 1
    owner = Customer.objects.get(code="C000001")
    assert owner.name == "王建国（已更名）" and owner.id_number == "110101199001011234"


def test_a_masked_id_number_cannot_create_a_customer(archive, other_project, admin_user):
    data = excel.export_project(admin_user, archive)
    with pytest.raises(excel.ImportRejected) as rejected:
        excel.import_project(admin_user, other_project, io.BytesIO(data))
    assert [(e.sheet, e.row) for e in rejected.value.errors] == [("客户", 2)]
    assert not Customer.objects.filter(project=other_project).exists()


def test_changed_cells_update_the_matching_records(archive, manager):
    wb = load_workbook(io.BytesIO(excel.export_project(manager, archive)))
    row = next(r for r in wb["房屋"].iter_rows(min_row=2) if r[2].value == "1201")
    row[4].value = 102
    wb["客户"]["L3"] = "13911112222"
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    report = excel.import_project(manager, archive, buffer)
    assert (report.units.updated, report.customers.updated, report.created) == (1, 1, 0)
    assert Unit.objects.get(number="1201").area == Decimal("102.00")
    assert list(Customer.objects.get(code="C000002").phones.values_list("number", flat=True)) == ["13911112222"]


def test_full_id_numbers_are_for_administrators_and_are_recorded(archive, manager, admin_user):
    excel.export_project(admin_user, archive, reveal_ids=True)
    event = timeline.events_for(archive).first()
    assert event.verb == "archive.exported_with_ids" and event.actor == admin_user
    assert timeline.events_for(Customer.objects.get(code="C000001")).first() == event

    # A project manager may see a number on a card (ID_REVEAL_ROLES) but not export them all.
    with pytest.raises(PermissionDenied):
        excel.export_project(manager, archive, reveal_ids=True)


def test_another_projects_staff_get_not_found(archive, outsider):
    with pytest.raises(NotFound):
        excel.export_project(outsider, archive)
    with pytest.raises(NotFound):
        excel.import_project(outsider, archive, workbook())
    assert Building.objects.filter(project=archive).count() == 1


def test_front_desk_cannot_move_the_whole_archive(archive, staff):
    with pytest.raises(PermissionDenied):
        excel.export_project(staff, archive)
    with pytest.raises(PermissionDenied):
        excel.import_project(staff, archive, workbook())


def test_a_two_thousand_unit_import_takes_seconds(project, manager):
    buildings = [[str(b), f"{b}栋", 25] for b in range(1, 21)]
    units, customers, occupancies = [], [], []
    for b in range(1, 21):
        for floor in range(1, 26):
            for n in range(1, 5):
                units.append([str(b), "1", f"{floor}{n:02d}", floor, 88.5, "三室两厅", "自住"])
    for i, unit in enumerate(units + units[:1000]):
        code = f"C{i + 1:06d}"
        customers.append([code, f"客户{i}", "个人", "男", None, None, None, None, None, None, None,
                          f"138{i:08d}", None, None, None, None])
        occupancies.append([*unit[:3], code, "业主" if i < len(units) else "住户", None, dt.date(2020, 1, 1), None])
    data = workbook(buildings, units, customers, occupancies)

    started = time.perf_counter()
    report = excel.import_project(manager, project, data)
    elapsed = time.perf_counter() - started
    assert (report.units.created, report.customers.created) == (2000, 3000)
    assert elapsed < 20, f"import took {elapsed:.1f}s"

    data.seek(0)
    started = time.perf_counter()
    assert excel.import_project(manager, project, data).updated == 0
    assert time.perf_counter() - started < 20
