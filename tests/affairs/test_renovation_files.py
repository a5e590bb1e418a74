"""Drawings and attachments of a renovation application (issue 13, item 2): recognised by their bytes,
PDFs kept, photos re-encoded, anything else refused with nothing written; the desk or a current owner adds
them until the renovation is closed; every addition is on the unit's and the applicant's timeline."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from propdesk.affairs import attachments, renovation
from propdesk.affairs.models import Renovation, RenovationFile
from propdesk.core.errors import Conflict
from propdesk.core.timeline import events_for

from .conftest import pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_time():
    """Today is read by the test and by the service: pinned, so no run crosses midnight between them."""
    with time_machine.travel(dt.datetime(2027, 4, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def _apply(staff, unit, owner, files=()):
    today = timezone.localdate()
    return renovation.apply(staff, unit=unit, applicant=owner, scope="厨卫改造", contractor="美居装饰",
                            foreman="周工", foreman_phone="13512345678", planned_start=today,
                            planned_end=today + dt.timedelta(days=30), attachments=files)


def test_a_pdf_is_kept_as_sent_and_a_photo_is_re_encoded(staff, unit, owner):
    r = _apply(staff, unit, owner, [pdf("平面图.pdf", b"walls"), png("水电图.png")])
    drawing, photo = r.files.order_by("id")
    assert (drawing.name, drawing.content_type) == ("平面图.pdf", "application/pdf")
    assert drawing.file.open("rb").read() == b"%PDF-1.4\nwalls\n%%EOF\n"
    assert (photo.name, photo.content_type) == ("水电图.jpg", "image/jpeg")
    assert photo.file.open("rb").read()[:3] == b"\xff\xd8\xff"
    assert drawing.uploaded_by == staff


def test_a_file_that_is_neither_pdf_nor_photo_is_refused_and_nothing_is_written(staff, unit, owner):
    exe = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        _apply(staff, unit, owner, [pdf(), exe])
    assert "plan.pdf" in exc.value.message_dict["attachments"][0]
    assert not Renovation.objects.exists() and not RenovationFile.objects.exists()


def test_at_most_ten_files_at_a_time(staff, unit, owner):
    with pytest.raises(ValidationError) as exc:
        _apply(staff, unit, owner, [pdf(f"{n}.pdf") for n in range(11)])
    assert "attachments" in exc.value.message_dict
    assert not Renovation.objects.exists()


def test_the_owner_adds_drawings_later_and_the_timeline_says_so(staff, unit, owner):
    r = _apply(staff, unit, owner)
    rows = attachments.add_files(None, r, [pdf("立面图.pdf")], owner=owner)
    assert [f.name for f in rows] == ["立面图.pdf"] and rows[0].uploaded_by is None
    assert events_for(unit).filter(verb="affairs.renovation.files_added").exists()
    assert events_for(owner).filter(verb="affairs.renovation.files_added").exists()


def test_a_tenant_cannot_add_drawings(staff, unit, owner, tenant):
    r = _apply(staff, unit, owner)
    with pytest.raises(ValidationError):
        attachments.add_files(None, r, [pdf()], owner=tenant)
    assert not r.files.exists()


def test_nothing_is_added_to_a_closed_renovation_nor_an_empty_upload(staff, unit, owner, manager):
    r = _apply(staff, unit, owner)
    with pytest.raises(ValidationError):
        attachments.add_files(staff, r, [])
    renovation.review(manager, r, decision="reject", reason="承重墙")
    with pytest.raises(Conflict):
        attachments.add_files(staff, r, [pdf()])
    assert not r.files.exists()
