"""Drawings and attachments of a renovation application (issue 13, item 2: "application … with
drawings/attachments").

A file is recognised by its bytes, never by its name or the browser's content type: a PDF (plans,
licences) is kept as sent; a JPEG or PNG (a phone photo of a drawing) is re-encoded without its
metadata by service.photos; anything else is refused. At most 10 files of at most 20 MB each per
upload; all are checked before any is kept. Files are added while the renovation is still open (not
after the deposit is settled, a rejection or a withdrawal), by the desk or by a current owner of the
unit in the portal, and only served through scoped URLs.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.access import require_project, require_role
from propdesk.service import photos

from . import common
from .models import Renovation, RenovationFile
from .roles import DESK

MAX_FILES = 10
MAX_BYTES = 20 * 1024 * 1024
PDF = "application/pdf"
IMAGE_HEADS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
CLOSED = (Renovation.Status.CLOSED, Renovation.Status.REJECTED, Renovation.Status.WITHDRAWN)


@dataclass(frozen=True)
class Prepared:
    name: str
    content: bytes
    content_type: str


def _refuse(message: str):
    raise ValidationError({"attachments": message})


def _prepare_one(upload) -> Prepared:
    name = PurePath(getattr(upload, "name", "") or "file").name
    stem = PurePath(name).stem[:90] or "file"
    if (getattr(upload, "size", None) or 0) > MAX_BYTES:
        _refuse(_("%(name)s is larger than 20 MB.") % {"name": name})
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        _refuse(_("%(name)s is larger than 20 MB.") % {"name": name})
    if data.startswith(b"%PDF-"):
        return Prepared(f"{stem}.pdf", data, PDF)
    upload.seek(0)
    try:
        photo = photos.prepare(upload)
    except ValidationError as exc:
        # A picture photos could not take (HEIC, too many pixels) keeps its explanation.
        if data.startswith(IMAGE_HEADS) or data[4:8] == b"ftyp":
            _refuse(" ".join(exc.messages))
        _refuse(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": name})
    return Prepared(photo.name, photo.content, photo.content_type)


def prepare(uploads) -> list[Prepared]:
    """Check every upload before anything is written: all good, or a ValidationError on `attachments`."""
    uploads = [u for u in uploads or [] if u]
    if len(uploads) > MAX_FILES:
        _refuse(_("At most %(max)d files at a time.") % {"max": MAX_FILES})
    return [_prepare_one(u) for u in uploads]


def store(actor, renovation: Renovation, prepared: list[Prepared], now=None) -> list[RenovationFile]:
    """Keep prepared files of `renovation`; call inside the write's transaction."""
    now = now or timezone.now()
    staff = actor if getattr(actor, "is_authenticated", False) else None
    rows = []
    for item in prepared:
        row = RenovationFile(renovation=renovation, name=item.name[:100], content_type=item.content_type,
                             size=len(item.content), uploaded_by=staff, uploaded_at=now)
        row.file.save(item.name, ContentFile(item.content), save=False)
        row.save()
        rows.append(row)
    return rows


def add_files(actor, renovation: Renovation, uploads, *, owner=None) -> list[RenovationFile]:
    """Attach drawings to a renovation: the desk (`actor`), or in the portal (`actor` None) the applicant
    or another current owner of the unit (`owner`, their archive record)."""
    if actor is not None:
        require_role(actor, DESK)
        require_project(actor, renovation.project_id)
    elif owner is None or common.current_role(owner, renovation.unit) != "owner":
        raise ValidationError({"attachments": _("Only a current owner of the unit may add drawings.")})
    if renovation.status in CLOSED:
        raise Conflict(_("This renovation is closed: no more drawings can be added."), state=renovation.status)
    prepared = prepare(uploads)
    if not prepared:
        _refuse(_("Choose the files to attach."))
    with transaction.atomic():
        rows = store(actor, renovation, prepared)
        timeline.record(actor, "affairs.renovation.files_added", Message(
            gettext_noop("%(count)d drawings or attachments added to the renovation of %(unit)s"),
            {"count": len(rows), "unit": renovation.unit.label}),
            subjects=[renovation, renovation.unit, renovation.applicant])
    return rows
