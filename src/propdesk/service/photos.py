"""Photos of a fault, from staff or from owners: checked by content and re-encoded before storage.

What is stored is never the uploaded file itself: JPEG and PNG are recognised by their bytes (not by
the name or the browser's content type), turned upright from their EXIF orientation, scaled down to
at most 2560 px and saved again as JPEG without any metadata, so a phone photo's GPS position (the
owner's home) never reaches the archive or another reader. HEIC, the iPhone's default, is refused with
an explanation the owner can act on.
"""

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 6
MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2560
# Decoded size is what costs memory: a 10 MB PNG of one colour can declare 12,000 × 12,000 pixels (430 MB
# once decoded), and Pillow only refuses past 179 million. Phone cameras stay under 50 megapixels.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85
ACCEPTED_FORMATS = {"JPEG", "PNG"}
# ISO base-media brands of HEIC/HEIF files ("....ftypheic"), which Pillow cannot read.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1", b"avif"}


@dataclass(frozen=True)
class Photo:
    """A photo ready to store: JPEG bytes without metadata and a harmless file name."""

    name: str
    content: bytes
    content_type: str = "image/jpeg"

    @property
    def size(self) -> int:
        return len(self.content)


def _is_heif(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def _refuse(message: str):
    raise ValidationError({"photos": message})


def prepare(upload) -> Photo:
    """Check one upload (JPEG or PNG, at most 10 MB) and re-encode it without EXIF. ValidationError otherwise."""
    name = PurePath(getattr(upload, "name", "") or "photo").name
    if (getattr(upload, "size", None) or 0) > MAX_BYTES:
        _refuse(_("%(name)s is larger than 10 MB. Please send a smaller photo.") % {"name": name})
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        _refuse(_("%(name)s is larger than 10 MB. Please send a smaller photo.") % {"name": name})
    if _is_heif(data[:16]):
        _refuse(_('HEIC photos are not supported yet. In your phone\'s camera settings choose "Most '
                  'Compatible", or take a screenshot and upload that.'))
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise UnidentifiedImageError
            if image.width * image.height > MAX_PIXELS:  # checked from the header, before decoding
                _refuse(_("%(name)s has too many pixels (more than 50 million). Please send a smaller photo.")
                        % {"name": name})
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        _refuse(_("%(name)s is not a JPEG or PNG photo.") % {"name": name})
    return Photo(name=f"{PurePath(name).stem[:90] or 'photo'}.jpg", content=_reencode(upright))


def _reencode(image: Image.Image) -> bytes:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # A fresh image carries no info dict at all: no EXIF, GPS, XMP, ICC comment or thumbnail survives.
    clean = Image.frombytes("RGB", image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def prepare_all(uploads) -> list[Photo]:
    """Up to 6 photos per report; each one as prepare(). All are checked before any is kept."""
    uploads = [u for u in uploads or [] if u]
    if len(uploads) > MAX_PHOTOS:
        _refuse(_("At most %(max)d photos per report.") % {"max": MAX_PHOTOS})
    return [prepare(u) for u in uploads]
