"""One timeline for every module: record events and read a subject's history.

Callers record inside their own transaction, so the event exists exactly when the change does.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .models import TimelineEvent, TimelineLink


def _plain(value):
    """A JSON-safe, human-readable form of a field value for the change log."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (Decimal, float)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def diff(instance: models.Model, changes: dict) -> dict:
    """Return {field: [old, new]} for the fields of `changes` whose value really differs."""
    out = {}
    for name, new in changes.items():
        old = getattr(instance, name)
        if old != new:
            out[name] = [_plain(old), _plain(new)]
    return out


@dataclass(frozen=True)
class Message:
    """A summary kept language-neutral: an English msgid and its parameters, translated when read.

    Mark the msgid with gettext_noop() so makemessages extracts it:
    Message(gettext_noop("Customer %(name)s changed"), {"name": customer.name}).
    """

    msgid: str
    params: dict = field(default_factory=dict)


def new_event(
    actor,
    verb: str,
    summary: "Message | str",
    changes: dict | None = None,
    at: datetime | None = None,
    internal: bool = False,
) -> TimelineEvent:
    """An event not yet stored, for record_many(): build it before the transaction, store it inside."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    message = summary if isinstance(summary, Message) else Message(str(summary))
    return TimelineEvent(
        at=at or timezone.now(), actor=actor, verb=verb, message=message.msgid[:500],
        params={k: _plain(v) for k, v in message.params.items()}, changes=changes or {},
        internal=internal,
    )


def record_many(entries: Iterable[tuple[TimelineEvent, Iterable[models.Model]]]) -> list[TimelineEvent]:
    """Store events (from new_event()) with their subjects in two statements, whatever their number:
    one insert for the events, one for all their links. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("timeline.record() must be called inside the transaction of the change it records")
    entries = [(event, list(subjects)) for event, subjects in entries]
    events = TimelineEvent.objects.bulk_create([event for event, _subjects in entries])
    links = []
    for event, subjects in entries:
        seen = set()
        for subject in subjects:
            if subject is None:
                continue
            ct = ContentType.objects.get_for_model(subject, for_concrete_model=True)
            key = (ct.pk, subject.pk)
            if key in seen:
                continue
            seen.add(key)
            links.append(TimelineLink(event=event, subject_type=ct, subject_id=subject.pk, at=event.at))
    TimelineLink.objects.bulk_create(links)
    return events


def record(
    actor,
    verb: str,
    summary: "Message | str",
    subjects: Iterable[models.Model],
    changes: dict | None = None,
    at: datetime | None = None,
    internal: bool = False,
) -> TimelineEvent:
    """Write one event and link it to every subject's card. Must run inside the caller's transaction.

    `summary` is a Message (translated for each reader) or free text typed by a person.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("timeline.record() must be called inside the transaction of the change it records")
    event = new_event(actor, verb, summary, changes=changes, at=at, internal=internal)
    return record_many([(event, subjects)])[0]


def events_for(subject: models.Model):
    """A subject's events, newest first, with their actors (a queryset: slice or paginate it)."""
    ct = ContentType.objects.get_for_model(subject, for_concrete_model=True)
    return (
        TimelineEvent.objects.filter(links__subject_type=ct, links__subject_id=subject.pk)
        .select_related("actor")
        .order_by("-at", "-id")
    )
