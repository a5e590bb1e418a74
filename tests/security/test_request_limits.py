"""Over-large bodies, uploads and multipart forms answer 413 with a readable Chinese message (issue 12, item 4)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from propdesk.service.models import WorkOrder
from tests.api.conftest import token_for

MB = 1024 * 1024


@pytest.fixture
def small_limits(settings):
    """Limits small enough to cross quickly; the rule is the same at the real sizes."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1 * MB
    settings.PROPDESK_MAX_UPLOAD_REQUEST = 2 * MB
    return settings


def test_an_over_large_json_body_gets_413_with_a_chinese_detail(client, staff, occupancy, small_limits):
    body = {"project": occupancy.unit.building.project_id, "kind": "repair_home", "channel": "hotline",
            "description": "漏水" * (MB // 2)}
    response = client.post("/api/v1/work-orders", json.dumps(body), content_type="application/json",
                           headers={"Authorization": f"Bearer {token_for(staff)}"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "过大" in response.json()["detail"] and "1 MB" in response.json()["detail"]
    assert not WorkOrder.objects.exists()


def test_a_json_body_under_the_limit_still_goes_through(client, staff, occupancy, small_limits):
    body = {"project": occupancy.unit.building.project_id, "kind": "repair_home", "channel": "hotline",
            "description": "厨房漏水", "unit": occupancy.unit_id}
    response = client.post("/api/v1/work-orders", json.dumps(body), content_type="application/json",
                           headers={"Authorization": f"Bearer {token_for(staff)}"})
    assert response.status_code == 201, response.content


def test_an_over_large_console_form_gets_a_readable_413_page(client, staff, occupancy, small_limits):
    client.force_login(staff)
    response = client.post(reverse("console:intake"), {"project": occupancy.unit.building.project_id,
                                                        "description": "漏" * MB})
    assert response.status_code == 413
    page = response.content.decode()
    assert 'data-testid="too-large"' in page and "过大" in page and "<html" in page
    assert not WorkOrder.objects.exists()


def test_an_over_large_upload_in_the_portal_gets_413(client, occupancy, small_limits):
    from tests.portal.conftest import sign_in

    sign_in(client, "13812345678")
    photo = SimpleUploadedFile("leak.jpg", b"\xff\xd8" + b"0" * (3 * MB), content_type="image/jpeg")
    response = client.post(reverse("portal:report"), {"description": "厨房漏水", "photos": photo})
    assert response.status_code == 413 and "过大" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_a_multipart_form_whose_text_alone_passes_the_limit_gets_413(client, staff, small_limits):
    """Files are counted by the declared length; text fields by what Django reads: both refused the same."""
    client.force_login(staff)
    small = SimpleUploadedFile("a.xlsx", b"PK\x03\x04", content_type="application/octet-stream")
    response = client.post(reverse("console:intake"), {"description": "漏" * (MB // 2) + "x" * (MB // 2),
                                                        "file": small})
    assert response.status_code == 413


def test_too_many_fields_get_413(client, staff, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    client.force_login(staff)
    response = client.post(reverse("console:intake"), {f"f{i}": "x" for i in range(60)})
    assert response.status_code == 413 and 'data-testid="too-large"' in response.content.decode()


def test_the_english_page_speaks_english(client, staff, small_limits):
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(reverse("console:intake"), {"description": "x" * (2 * MB)})
    assert response.status_code == 413 and "too large" in response.content.decode()


def test_a_broken_multipart_body_gets_400_not_a_server_error(client, staff):
    client.force_login(staff)
    response = client.generic("POST", reverse("console:intake"), b"--x\r\nbroken",
                              content_type="multipart/form-data")  # no boundary
    assert response.status_code == 400
    api = client.generic("POST", "/api/v1/work-orders", b"--x\r\nbroken", content_type="multipart/form-data")
    assert api.status_code == 400 and api.json()["detail"]
