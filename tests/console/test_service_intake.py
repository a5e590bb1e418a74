"""Hotline intake: the caller's card from the phone, the live triage hint, one save = one work order."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from propdesk.service.models import WorkOrder

INTAKE = reverse("console:intake")


def _png() -> bytes:
    """A real 1×1 PNG: photos are decoded and re-encoded, so broken bytes are refused (service.photos)."""
    out = io.BytesIO()
    Image.new("RGBA", (1, 1), (0, 0, 0, 255)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def intake_data(sd, form, **extra):
    return {"idempotency_key": form["idempotency_key"].value(), "project": sd.project.pk,
            "contact_phone": "13812345678", "requester": sd.owner.pk, "unit": sd.unit.pk, "kind": "repair_home",
            "channel": "hotline", "description": "3栋1201卫生间天花板漏水，水一直往下滴", **extra}


def test_the_form_starts_on_the_phone_with_a_fresh_idempotency_key(desk_en, service_desk):
    response = desk_en.get(INTAKE)
    body = response.content.decode()
    assert "autofocus" in re.search(r'<input[^>]*id="id_contact_phone"[^>]*>', body).group()
    assert "data-ctrl-enter" in body
    key = response.context["form"]["idempotency_key"].value()
    assert key and key != desk_en.get(INTAKE).context["form"]["idempotency_key"].value()
    # Tab order: phone, caller, unit, kind, description, then the save button before the optional rest.
    order = [body.index(s) for s in ('id="id_contact_phone"', 'id="caller-card"', 'id="id_unit_label"',
                                     'id="id_kind"', 'id="id_description"', 'id="intake-save"', 'id="id_channel"')]
    assert order == sorted(order)


def test_saving_twice_with_the_same_key_creates_one_work_order(desk_en, service_desk):
    form = desk_en.get(INTAKE).context["form"]
    first = desk_en.post(INTAKE, intake_data(service_desk, form))
    second = desk_en.post(INTAKE, intake_data(service_desk, form))
    wo = WorkOrder.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("console:work_order", args=[wo.pk])
    assert wo.priority == "emergency" and wo.first_receiver == service_desk.desk
    assert wo.requester == service_desk.owner and wo.unit == service_desk.unit and wo.category is not None
    assert (wo.next_due_at - wo.received_at).total_seconds() == 30 * 60


def test_a_typed_unit_address_is_found(desk_en, service_desk):
    form = desk_en.get(INTAKE).context["form"]
    data = intake_data(service_desk, form, unit="", requester="", unit_label="3-2-1201", description="灯不亮")
    assert desk_en.post(INTAKE, data).status_code == 302
    assert WorkOrder.objects.get().unit == service_desk.unit


def test_errors_stay_on_the_form(desk_en, service_desk):
    form = desk_en.get(INTAKE).context["form"]
    response = desk_en.post(INTAKE, intake_data(service_desk, form, unit="", description=""))
    assert response.status_code == 200 and not WorkOrder.objects.exists()
    assert response.context["form"].errors


def test_photos_are_attached(desk_en, service_desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = desk_en.get(INTAKE).context["form"]
    photos = [SimpleUploadedFile(f"leak{i}.png", PNG, content_type="image/png") for i in range(2)]
    desk_en.post(INTAKE, {**intake_data(service_desk, form), "photos": photos})
    assert WorkOrder.objects.get().attachments.count() == 2


def test_the_caller_card_pops_up_from_the_phone(desk_en, service_desk):
    body = desk_en.get(reverse("console:intake_caller"), {"contact_phone": "1381234"}).content.decode()
    assert "王建国" in body
    assert f'data-requester="{service_desk.owner.pk}"' in body and f'data-unit="{service_desk.unit.pk}"' in body


def test_the_live_hint_says_emergency_for_a_leak(desk_en, service_desk):
    url = reverse("console:intake_triage")
    body = desk_en.get(url, {"description": "卫生间天花板漏水", "project": service_desk.project.pk}).content.decode()
    assert 'data-emergency="1"' in body and "Emergency: respond within 30 minutes" in body
    assert "给排水" in body
    normal = desk_en.get(url, {"description": "客厅灯不亮", "project": service_desk.project.pk}).content.decode()
    assert 'data-emergency="0"' in normal and "Normal: respond within 2 hours" in normal
    assert desk_en.get(url, {"description": ""}).content.decode().strip() == ""
