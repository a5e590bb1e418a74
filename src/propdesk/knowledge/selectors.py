"""Reads of the FAQ: owners see what is published for their projects, staff what their projects hold."""

from django.db.models import Q

from propdesk.core.errors import NotFound
from propdesk.org.access import visible_project_ids

from . import search
from .models import Faq


def faqs_for_owner(owner, q: str | None = None, category: str | None = None):
    """Published FAQs of the owner's projects and those for every project; searched in Chinese."""
    qs = Faq.objects.filter(Q(project__isnull=True) | Q(project_id__in=owner.project_ids), is_published=True)
    if category:
        qs = qs.filter(category=category)
    return search.search(qs, q) if q else qs


def _staff_faqs(user):
    ids = visible_project_ids(user)
    qs = Faq.objects.select_related("project", "updated_by")
    if ids is None:
        return qs
    return qs.filter(Q(project__isnull=True) | Q(project_id__in=ids))


def faqs_for_staff(user, q: str | None = None, project_id: int | None = None, category: str | None = None):
    """Every FAQ the user may see (published or not): their projects' and those for every project."""
    qs = _staff_faqs(user)
    if project_id:
        qs = qs.filter(Q(project__isnull=True) | Q(project_id=project_id))
    if category:
        qs = qs.filter(category=category)
    return search.search(qs, q) if q else qs


def get_faq_for_staff(user, faq_id: int) -> Faq:
    try:
        return _staff_faqs(user).get(pk=faq_id)
    except Faq.DoesNotExist as exc:
        raise NotFound from exc
