"""Reads of the public relations register (scoped through org.access), and its .xlsx."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from propdesk.org.access import get_scoped, scope

from ..models import Dealing, OutsideBody

LETTERS = (Dealing.Kind.LETTER_IN, Dealing.Kind.LETTER_OUT)


def bodies_for(user, kind: str | None = None):
    qs = scope(OutsideBody.objects.select_related("project"), user).annotate(
        open_follow_ups=Count("dealings", filter=Q(dealings__status=Dealing.Status.OPEN)))
    return (qs.filter(kind=kind) if kind else qs).order_by("project_id", "kind", "name")


def get_body(user, body_id: int) -> OutsideBody:
    return get_scoped(OutsideBody.objects.select_related("project"), user, pk=body_id)


def dealings_of(body: OutsideBody):
    return body.dealings.select_related("handled_by").order_by("-date", "-id")


def get_dealing(user, dealing_id: int) -> Dealing:
    return get_scoped(Dealing.objects.select_related("body__project"), user, pk=dealing_id)


def follow_ups(user, today: dt.date | None = None):
    """The open follow-ups of the user's projects, the most urgent first; `overdue` marks the late ones."""
    today = today or timezone.localdate()
    rows = list(scope(Dealing.objects.filter(status=Dealing.Status.OPEN).select_related("body", "handled_by"), user)
                .order_by("due_date", "id")[:200])
    for row in rows:
        row.overdue = row.due_date is not None and row.due_date < today
    return rows


def letters(user, project_id: int | None = None):
    """The owners' committee's correspondence register (工作函件): letters in and out, newest first."""
    qs = scope(Dealing.objects.filter(kind__in=LETTERS, body__kind=OutsideBody.Kind.OWNERS_COMMITTEE), user)
    if project_id:
        qs = qs.filter(project_id=project_id)
    return qs.select_related("body", "handled_by").order_by("-date", "-id")


def register_xlsx(user, letters_only: bool = False) -> bytes:
    from django.utils.translation import gettext as _

    from ..exports import workbook

    qs = letters(user) if letters_only else scope(Dealing.objects.select_related("body", "handled_by"), user)
    rows = ([d.date, d.body.name, d.body.get_kind_display(), d.get_kind_display(), d.reference, d.subject, d.summary,
             d.follow_up, d.due_date, d.get_status_display(), d.done_note, d.handled_by.display_name if d.handled_by else ""]
            for d in qs.order_by("-date", "-id").iterator(chunk_size=2000))
    title = _("Committee correspondence") if letters_only else _("Public relations")
    return workbook(title, [_("Date"), _("Body"), _("Kind of body"), _("Dealing"), _("Reference"), _("Subject"),
                            _("Summary"), _("Follow-up"), _("Due"), _("Status"), _("How it was settled"),
                            _("Handled by")], rows)
