"""Every write of the public relations register (公共关系, issue 15 item 6).

The service centre's office (front desk, butlers, managers) keeps the outside bodies of a project — the
street office and residents' committee, the housing authority, the police station and fire brigade, the
utilities, the developer, contractors, the media, and the owners' committee for its correspondence (工作
函件) — with their contacts, and records each dealing with them. A dealing that asks for something (a
letter to answer, an inspection's findings to put right) has a follow-up with a due date and stays open
until it is settled; the register lists the open ones, the overdue first.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.access import ARCHIVE_EDITORS, has_role, require_project, require_role

from ..idempotency import client_of, create_once
from ..models import BodyContact, Dealing, OutsideBody

BODY_FIELDS = ("kind", "name", "address", "phone", "notes", "is_active")
DEALING_FIELDS = ("kind", "date", "subject", "summary", "reference", "follow_up", "due_date")


def can_keep(user) -> bool:
    return has_role(user, ARCHIVE_EDITORS)


def _strip(data: dict, fields) -> dict:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in fields}


def save_body(actor, project, data: dict, body: OutsideBody | None = None) -> OutsideBody:
    """Add an outside body to the project's register, or change one."""
    require_project(actor, project.pk if body is None else body.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    target = body or OutsideBody(project=project)
    for field, value in _strip(data, BODY_FIELDS).items():
        setattr(target, field, value)
    target.full_clean()
    with transaction.atomic():
        target.save()
        timeline.record(actor, "engage.outside_body", Message(gettext_noop("Outside body saved: %(name)s"),
                                                              {"name": target.name}), subjects=[target.project])
    return target


def add_contact(actor, body: OutsideBody, data: dict) -> BodyContact:
    require_project(actor, body.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    contact = BodyContact(body=body, **_strip(data, ("name", "title", "phone", "email")))
    contact.full_clean(exclude=["body"])
    with transaction.atomic():
        contact.save()
        timeline.record(actor, "engage.body_contact", Message(gettext_noop("Contact of %(body)s added: %(name)s"),
                                                              {"body": body.name, "name": contact.name}),
                        subjects=[body.project])
    return contact


def record_dealing(actor, body: OutsideBody, data: dict, today: dt.date | None = None) -> Dealing:
    """Record a dealing with a body; with a follow-up it stays open until settled, and needs a due date."""
    require_project(actor, body.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    today = today or timezone.localdate()
    dealing = Dealing(project_id=body.project_id, body=body, handled_by=actor, **_strip(data, DEALING_FIELDS))
    errors = {}
    if dealing.date and dealing.date > today:
        errors["date"] = _("The date is in the future.")
    if dealing.follow_up and not dealing.due_date:
        errors["due_date"] = _("A follow-up needs its due date.")
    if dealing.due_date and not dealing.follow_up:
        errors["follow_up"] = _("Say what is to be done by the due date.")
    if dealing.kind in (Dealing.Kind.LETTER_IN, Dealing.Kind.LETTER_OUT) and not dealing.reference:
        errors["reference"] = _("Write the letter's number.")
    try:
        dealing.full_clean(exclude=["handled_by", "body", "project"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    dealing.status = Dealing.Status.OPEN if dealing.follow_up else Dealing.Status.DONE
    with transaction.atomic():
        dealing.save()
        timeline.record(actor, "engage.dealing", Message(gettext_noop("%(kind)s with %(body)s: %(subject)s"), {
            "kind": dealing.get_kind_display(), "body": body.name, "subject": dealing.subject}),
            subjects=[body.project])
    return dealing


def settle(actor, dealing: Dealing, note: str, now: dt.datetime | None = None) -> Dealing:
    """Close a dealing's follow-up, saying how it was settled."""
    require_project(actor, dealing.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"done_note": _("Say how it was settled.")})
    now = now or timezone.now()
    with transaction.atomic():
        if not Dealing.objects.filter(pk=dealing.pk, status=Dealing.Status.OPEN).update(
                status=Dealing.Status.DONE, done_at=now, done_note=note[:500]):
            raise Conflict(_("This follow-up is already settled."), state=Dealing.Status.DONE)
        dealing.refresh_from_db()
        timeline.record(actor, "engage.dealing_settled", Message(gettext_noop("Follow-up settled: %(subject)s"),
                                                                 {"subject": dealing.subject}),
                        subjects=[dealing.body.project])
    return dealing


# -- creates of the API: once per Idempotency-Key (engage.idempotency), returning (object, created) --------


def add_body_once(actor, project, data: dict, idempotency_key: str | None = None) -> tuple[OutsideBody, bool]:
    return create_once(client_of(actor), idempotency_key, OutsideBody, lambda: save_body(actor, project, data))


def add_contact_once(actor, body: OutsideBody, data: dict, idempotency_key: str | None = None):
    return create_once(client_of(actor), idempotency_key, BodyContact, lambda: add_contact(actor, body, data))


def record_dealing_once(actor, body: OutsideBody, data: dict, idempotency_key: str | None = None):
    return create_once(client_of(actor), idempotency_key, Dealing, lambda: record_dealing(actor, body, data))
