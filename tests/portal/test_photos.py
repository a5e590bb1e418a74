"""Photos of a report (the portal issue, item 3): JPEG/PNG by content, at most 6 of at most 10 MB,
re-encoded upright without EXIF — the GPS position of a phone photo never reaches the archive."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext
from PIL import Image

from propdesk.service import photos, services
from propdesk.service.models import WorkOrder
from tests.portal.conftest import english, report

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(40, 20), orientation=None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (28.0, 11.0, 30.0), 3: "E", 4: (112.0, 58.0, 20.0)}
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(30, 30), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (0, 120, 200, 128) if mode == "RGBA" else (0, 120, 200)).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


def test_a_jpeg_with_gps_comes_out_without_any_exif():
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get_ifd(GPS_IFD)  # the input has a position
    photo = photos.prepare(upload(jpeg_with_gps()))
    image = Image.open(io.BytesIO(photo.content))
    assert image.format == "JPEG" and not image.getexif() and "exif" not in image.info
    assert b"Exif" not in photo.content and b"PhoneMaker" not in photo.content


def test_the_exif_orientation_is_applied_before_it_is_removed():
    photo = photos.prepare(upload(jpeg_with_gps(size=(40, 20), orientation=6)))  # rotated 90° on the phone
    assert Image.open(io.BytesIO(photo.content)).size == (20, 40)


def test_large_photos_are_scaled_down():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (10, 10, 10)).save(out, "JPEG")
    image = Image.open(io.BytesIO(photos.prepare(upload(out.getvalue())).content))
    assert max(image.size) == photos.MAX_SIDE


def test_a_png_is_accepted_and_stored_as_jpeg():
    photo = photos.prepare(upload(png(), name="screenshot.png", content_type="image/png"))
    assert photo.name == "screenshot.jpg" and photo.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(photo.content)).mode == "RGB"


def test_heic_is_refused_with_advice():
    with pytest.raises(ValidationError) as exc:
        photos.prepare(upload(HEIC, name="IMG_0001.HEIC", content_type="image/heic"))
    assert "HEIC" in exc.value.message_dict["photos"][0]


def test_the_type_is_read_from_the_bytes_not_the_name_or_content_type():
    with pytest.raises(ValidationError):
        photos.prepare(upload(b"<html>not a photo</html>", name="leak.jpg", content_type="image/jpeg"))
    assert photos.prepare(upload(png(), name="leak.gif", content_type="text/plain")).content


def test_a_gif_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, "GIF")
    with pytest.raises(ValidationError):
        photos.prepare(upload(out.getvalue(), name="a.gif", content_type="image/gif"))


def test_more_than_10_mb_is_refused():
    big = upload(b"\xff\xd8" + b"\x00" * (11 * 1024 * 1024), name="big.jpg")
    with pytest.raises(ValidationError) as exc:
        photos.prepare(big)
    assert "10 MB" in exc.value.message_dict["photos"][0]


def bomb_png(side=9000) -> bytes:
    """A valid greyscale PNG of side × side pixels of one colour: ~80 KB on the wire, 81 MB decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = zlib.compress(b"\x00" * ((side + 1) * side), 9)
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    data = bomb_png()
    assert len(data) < 200_000
    with pytest.raises(ValidationError) as exc:
        photos.prepare(upload(data, name="bomb.png", content_type="image/png"))
    assert "50" in exc.value.message_dict["photos"][0]  # the pixel limit, not "not a photo"


def test_more_than_6_photos_are_refused():
    with pytest.raises(ValidationError):
        photos.prepare_all([upload(png(), name=f"{i}.png") for i in range(7)])
    assert len(photos.prepare_all([upload(png(), name=f"{i}.png") for i in range(6)])) == 6


def test_photos_of_a_report_are_stored_clean(owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wo = report(owner, photos=[upload(jpeg_with_gps()), upload(png(), name="b.png")])
    stored = list(wo.attachments.order_by("id"))
    assert len(stored) == 2 and all(a.content_type == "image/jpeg" for a in stored)
    for a in stored:
        with a.file.open("rb") as f:
            assert not Image.open(f).getexif()


def test_one_bad_photo_rejects_the_report_and_writes_nothing(owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError):
        report(owner, photos=[upload(png(), name="ok.png"), upload(HEIC, name="x.heic")])
    assert not WorkOrder.objects.exists()


def test_the_form_shows_the_heic_message(owner_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    english(owner_client)
    form = owner_client.get("/portal/report/").context["form"]
    response = owner_client.post("/portal/report/", {
        "place": form.fields["place"].initial, "kind": "repair", "description": "阳台漏水",
        "idempotency_key": form.initial["idempotency_key"], "photos": [upload(HEIC, name="IMG.HEIC")]})
    assert response.status_code == 200 and not WorkOrder.objects.exists()
    assert "HEIC photos are not supported yet" in response.content.decode()


def test_the_form_refuses_7_photos(owner_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = owner_client.get("/portal/report/").context["form"]
    response = owner_client.post("/portal/report/", {
        "place": form.fields["place"].initial, "kind": "repair", "description": "阳台漏水",
        "idempotency_key": form.initial["idempotency_key"],
        "photos": [upload(png(), name=f"{i}.png") for i in range(7)]})
    assert response.status_code == 200 and not WorkOrder.objects.exists()
    assert gettext("At most %(max)d photos per report.") % {"max": 6} in response.content.decode()


def test_staff_photos_are_re_encoded_too(leak_by_phone, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = services.add_attachment(staff, leak_by_phone, upload(jpeg_with_gps()))
    with attachment.file.open("rb") as f:
        assert b"Exif" not in f.read()


@pytest.fixture
def leak_by_phone(occupancy, staff):
    wo, _ = services.create_work_order(staff, project=occupancy.unit.project, kind="repair_home",
                                       channel="hotline", description="漏水", unit=occupancy.unit)
    return wo
