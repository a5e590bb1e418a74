"""Writes to the FAQ: staff keep the questions and standard answers (PRODUCT.md area 6).

Who may write: front desk, butlers and managers of the project (the roles that keep the archive,
org.access.ARCHIVE_EDITORS); an FAQ for every project (project=None) only a company administrator.
Every change is on the timeline of the FAQ and of its project.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import NotFound
from propdesk.core.timeline import Message
from propdesk.org.access import ADMINS, ARCHIVE_EDITORS, require_project, require_role

from . import search
from .models import Faq

FIELDS = ("category", "question", "answer", "is_published")


def _require_writer(actor, project_id: int | None) -> None:
    if project_id is None:
        require_role(actor, ADMINS)
    else:
        require_project(actor, project_id)
        require_role(actor, ARCHIVE_EDITORS)


def save_faq(actor, project, data: dict, faq: Faq | None = None) -> Faq:
    """Add an FAQ (faq=None) or change one; `project` None means every project (company admins only).

    The project of an existing FAQ is kept: to move one, add it where it belongs and unpublish the old.
    """
    if faq is not None:
        _require_writer(actor, faq.project_id)
    else:
        _require_writer(actor, project.pk if project is not None else None)
        faq = Faq(project=project)
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in FIELDS}
    changes = timeline.diff(faq, data) if faq.pk else {}
    for field, value in data.items():
        setattr(faq, field, value)
    faq.search_text = search.index_text(faq.question, faq.answer)
    faq.updated_at, faq.updated_by = timezone.now(), actor
    faq.full_clean(exclude=["updated_by"])
    created = faq.pk is None
    with transaction.atomic():
        faq.save()
        summary = gettext_noop("FAQ added: %(question)s") if created else gettext_noop("FAQ changed: %(question)s")
        timeline.record(actor, "knowledge.faq_saved", Message(summary, {"question": faq.question}),
                        subjects=[faq, faq.project], changes=changes)
    return faq


def set_faq_published(actor, faq: Faq, published: bool) -> Faq:
    """Publish an FAQ to owners or take it back (it stays visible to staff)."""
    _require_writer(actor, faq.project_id)
    if faq.is_published == published:
        return faq
    with transaction.atomic():
        Faq.objects.filter(pk=faq.pk).update(is_published=published, updated_at=timezone.now(), updated_by=actor)
        faq.is_published = published
        summary = gettext_noop("FAQ published: %(question)s") if published \
            else gettext_noop("FAQ unpublished: %(question)s")
        timeline.record(actor, "knowledge.faq_published", Message(summary, {"question": faq.question}),
                        subjects=[faq, faq.project], changes={"is_published": [not published, published]})
    return faq


def can_write(user, project_id: int | None) -> bool:
    """For pages: whether to show the add/edit/publish buttons (the services decide anyway)."""
    try:
        _require_writer(user, project_id)
    except (PermissionDenied, NotFound):
        return False
    return True
