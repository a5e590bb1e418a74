"""The import/export page: template, export (masked or full IDs), import with a report or every error."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from propdesk.core.models import TimelineEvent
from tests.console.conftest import RAW_ID
from tests.factories import StaffFactory

excel = pytest.importorskip("propdesk.archive.excel", reason="archive/excel.py is not written yet")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def manager_client(client, project):
    client.force_login(StaffFactory(username="manager", role="project_manager", projects=[project]))
    return client


def cells(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)


def upload(data: bytes, name="archive.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return file


def test_index_lists_my_projects_and_the_template(desk, archive):
    body = desk.get(reverse("console:transfer")).content.decode()
    assert "阳光花园" in body and "江畔华庭" not in body
    assert reverse("console:transfer_template") in body


def test_template_downloads_as_xlsx(desk, db):
    response = desk.get(reverse("console:transfer_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames


def test_export_masks_id_numbers_by_default(manager_client, archive):
    response = manager_client.post(reverse("console:project_export", args=[archive.project.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    content = cells(response.content)
    assert "王建国" in content and "1101**********1234" in content and RAW_ID not in content


def test_export_with_full_ids_is_offered_to_administrators_and_recorded(client, archive):
    client.force_login(StaffFactory(username="boss", role="company_admin"))
    page = client.get(reverse("console:project_transfer", args=[archive.project.pk])).content.decode()
    assert 'name="reveal_ids"' in page
    response = client.post(reverse("console:project_export", args=[archive.project.pk]), {"reveal_ids": "on"})
    assert RAW_ID in cells(response.content)
    assert TimelineEvent.objects.filter(verb="archive.exported_with_ids").exists()


def test_a_manager_is_not_offered_full_ids_and_is_refused_when_asking(manager_client, archive):
    page = manager_client.get(reverse("console:project_transfer", args=[archive.project.pk])).content.decode()
    assert 'name="reveal_ids"' not in page
    response = manager_client.post(reverse("console:project_export", args=[archive.project.pk]), {"reveal_ids": "on"})
    assert response.status_code == 403
    assert not TimelineEvent.objects.filter(verb="archive.exported_with_ids").exists()


def test_front_desk_may_not_move_the_whole_archive(desk, archive):
    page = desk.get(reverse("console:project_transfer", args=[archive.project.pk])).content.decode()
    assert "disabled" in page
    assert desk.post(reverse("console:project_export", args=[archive.project.pk])).status_code == 403


def test_import_shows_the_report(manager_client, archive):
    exported = manager_client.post(reverse("console:project_export", args=[archive.project.pk])).content
    response = manager_client.post(reverse("console:project_import", args=[archive.project.pk]),
                                   {"file": upload(exported)})
    assert response.status_code == 200
    assert response.context["report_rows"]
    assert "导入完成" in response.content.decode()  # import finished


def test_rejected_import_lists_every_error_and_imports_nothing(manager_client, archive):
    buffer = io.BytesIO()
    Workbook().save(buffer)  # no sheet of the template at all
    response = manager_client.post(reverse("console:project_import", args=[archive.project.pk]),
                                   {"file": upload(buffer.getvalue())})
    assert response.status_code == 400
    errors = response.context["import_errors"]
    assert len(errors) >= 2
    body = response.content.decode()
    assert "未导入任何数据" in body  # nothing was imported
    for error in errors:
        assert str(error.message) in body
    assert not TimelineEvent.objects.filter(verb="archive.imported").exists()


def test_a_file_that_is_not_xlsx_is_refused_by_the_form(manager_client, archive):
    response = manager_client.post(reverse("console:project_import", args=[archive.project.pk]),
                                   {"file": upload(b"name,phone\n", "archive.csv")})
    assert response.status_code == 400
    assert response.context["import_form"].errors["file"]
