"""Notifications through one interface (PRODUCT.md areas 2 and 5): every write of the notify app.

Callers (the service desk, notices, care) describe *what happened and to whom*; this module turns that
into one row per recipient and channel and hands the rows that leave the building (email, SMS) to the
task queue once the caller's transaction has committed. Delivery runs at least once and sends at most
once per row: a conditional UPDATE claims the row before anything is sent.

Secrets (core.sensitive.Secret in a Message's parameters: a sign-in code, a survey link's token) are
never stored in clear: the row keeps their mask ("******") in `params`, which is all the outbox, admin,
API, logs, timeline, exports and backups can show, and their values sealed with the data key in
`sealed`. `deliver()` opens them for the send only, and wipes them once the message is sent or given
up (after NOTIFY_MAX_ATTEMPTS, or NOTIFY_SECRET_TTL_SECONDS after it was created).

Bulk sends (a notice to every household of a project) go through `send_bulk()`: one row per message
with the caller's `once_key` (unique: a message can exist once, however often the caller retries),
stored in chunks of a few thousand rows and handed to the queue in batches of BATCH ids per task, at
the caller's priority (an emergency notice jumps the queue). A keyed message is sent at most once: if
its worker dies while sending, the sweep marks it interrupted instead of sending it again.
"""

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from itertools import batched

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from propdesk.core import crypto
from propdesk.core.bulk import insert_rows
from propdesk.core.phones import validate_phone
from propdesk.core.sensitive import Secret
from propdesk.core.timeline import Message
from propdesk.org import access

from . import backends, wechat
from .models import Notification

logger = logging.getLogger(__name__)

Channel = Notification.Channel
Status = Notification.Status
RETRY_LIMIT = 5000  # undelivered rows re-enqueued per sweep
# Delivery tasks carry this many notification ids each; bulk sends store this many rows per transaction.
BATCH = 100
BULK_CHUNK = 5000


@dataclass(frozen=True)
class Contact:
    """A customer to tell, with the contact details the caller chose (from the archive)."""

    customer_id: int
    name: str = ""
    phone: str = ""
    email: str = ""


def notify(
    *,
    project,
    event: str,
    subject: "str | Message",
    body: "str | Message",
    link: str = "",
    users: Iterable = (),
    customers: Iterable[Contact] = (),
) -> list[Notification]:
    """Tell staff and customers that `event` happened in `project`; return the rows created.

    - Each staff user gets an in-app notification (delivered at once) and, when
      settings.NOTIFY_STAFF_EMAIL is on and the user has an address, an email. Inactive users and
      users who cannot see the project are skipped: a notification must not leak another project.
    - Each customer gets one message per channel of settings.NOTIFY_CUSTOMER_CHANNELS for which the
      contact has a valid address (SMS to a mainland number, email). The SMS carries the body only.
    - `subject`/`body` may be plain text or a timeline.Message (an English msgid and its parameters):
      a Message is stored language-neutral, shown to staff in their language and sent to customers
      in settings.LANGUAGE_CODE (Simplified Chinese).

    Safe inside the caller's transaction: nothing leaves the building before it commits, and if it
    rolls back nothing is sent at all.
    """
    return send(prepare(project=project, event=event, subject=subject, body=body, link=link, users=users,
                        customers=customers))


def prepare(
    *,
    project,
    event: str,
    subject: "str | Message",
    body: "str | Message",
    link: str = "",
    users: Iterable = (),
    customers: Iterable[Contact] = (),
) -> list[Notification]:
    """The rows `notify()` would store, unsaved: a caller telling many people about many things at once
    (the SLA sweep's batch) prepares them all and stores them with one `send()`. Same rules as notify()."""
    if not event:
        raise ValueError("notify() needs an event verb")
    if link and not link.startswith("/"):
        raise ValueError("link must be a URL path starting with /")
    project_id = getattr(project, "pk", project)
    subject_text, subject_params = _split(subject)
    body_text, body_params = _split(body)
    params = {k: v for k, v in (("subject", subject_params), ("body", body_params)) if v is not None}
    secrets = {k: v for k, v in (("subject", _secrets(subject)), ("body", _secrets(body))) if v}
    sealed = crypto.seal(json.dumps(secrets)) if secrets else ""
    now = timezone.now()
    common = {"project_id": project_id, "event": event, "subject": subject_text[:200], "body": body_text,
              "params": params, "link": link, "created_at": now}
    if secrets and users:
        raise ValueError("a message carrying a secret goes to its customer only, not to staff")

    rows: list[Notification] = []
    seen_users = set()
    for user in users:
        if user is None or user.pk in seen_users or not user.is_active:
            continue
        seen_users.add(user.pk)
        if not access.can_see_project(user, project_id):
            logger.warning("notify: %s cannot see project %s; not told of %s", user.pk, project_id, event)
            continue
        name = user.get_full_name() or user.get_username()
        rows.append(Notification(**common, recipient_user=user, recipient_name=name[:100],
                                 channel=Channel.IN_APP, status=Status.SENT, sent_at=now))
        if settings.NOTIFY_STAFF_EMAIL and _valid_email(user.email):
            rows.append(Notification(**common, recipient_user=user, recipient_name=name[:100],
                                     channel=Channel.EMAIL, address=user.email))

    channels = set(settings.NOTIFY_CUSTOMER_CHANNELS)
    seen_customers = set()
    for contact in customers:
        if contact.customer_id in seen_customers:
            continue
        seen_customers.add(contact.customer_id)
        who = {"recipient_customer_id": contact.customer_id, "recipient_name": contact.name[:100]}
        phone = _valid_phone(contact.phone)
        if Channel.SMS in channels and phone:
            rows.append(Notification(**common, **who, channel=Channel.SMS, address=phone, sealed=sealed))
        if Channel.EMAIL in channels and _valid_email(contact.email):
            rows.append(Notification(**common, **who, channel=Channel.EMAIL, address=contact.email.strip(),
                                     sealed=sealed))
    return rows


def send(rows: list[Notification]) -> list[Notification]:
    """Store prepared rows in one insert and hand the emails and SMS to the queue once the caller's
    transaction commits (nothing leaves if it rolls back); returns the stored rows."""
    if not rows:
        return []
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        outgoing = [n.pk for n in created if n.status == Status.PENDING]
        if outgoing:
            transaction.on_commit(lambda: _enqueue(outgoing))
    return created


@dataclass(frozen=True)
class Outgoing:
    """One message of a bulk send: to which customer, on which channel and address, saying what, once."""

    once_key: str
    channel: str
    address: str
    customer_id: int
    name: str
    subject: "str | Message"
    body: "str | Message"
    link: str = ""


def valid_address(channel: str, value: str) -> str:
    """The address normalised for `channel` (a mainland mobile, an email, an openid), or "" if unusable."""
    if channel == Channel.SMS:
        return _valid_phone(value)
    if channel == Channel.EMAIL:
        return value.strip() if _valid_email(value) else ""
    if channel == Channel.WECHAT:
        return value.strip() if value and len(value.strip()) <= 64 else ""
    return ""


def send_bulk(*, project, event: str, batch: str, messages: Iterable[Outgoing], priority: int = 0) -> int:
    """Store and enqueue many customer messages, each at most once; return how many are waiting to be sent.

    Messages are stored BULK_CHUNK at a time, each chunk in a transaction of its own (a crash loses at
    most the chunk being written; calling again with the same messages stores only what is missing: the
    once_key of a message already stored is ignored). The ids still pending are handed to the queue at
    `priority` once the chunk commits, BATCH ids per task; a message already sent is never enqueued again.
    Messages with an unusable address are skipped.
    """
    project_id = getattr(project, "pk", project)
    common = {"project_id": project_id, "event": event, "batch": batch[:40], "created_at": timezone.now()}
    waiting = 0
    for chunk in batched(messages, BULK_CHUNK):
        rows = []
        for m in chunk:
            address = valid_address(m.channel, m.address)
            if not address:
                continue
            subject_text, subject_params = _split(m.subject)
            body_text, body_params = _split(m.body)
            params = {k: v for k, v in (("subject", subject_params), ("body", body_params)) if v is not None}
            secrets = {k: v for k, v in (("subject", _secrets(m.subject)), ("body", _secrets(m.body))) if v}
            rows.append({"once_key": m.once_key[:100], "recipient_customer_id": m.customer_id,
                         "recipient_name": m.name[:100], "channel": m.channel, "address": address,
                         "subject": subject_text[:200], "body": body_text, "params": params, "link": m.link,
                         "sealed": crypto.seal(json.dumps(secrets)) if secrets else ""})
        if not rows:
            continue
        with transaction.atomic():
            insert_rows(Notification, rows, common=common)  # one statement; a stored once_key is skipped
            ids = list(Notification.objects.filter(once_key__in=[r["once_key"] for r in rows], status=Status.PENDING)
                       .order_by("pk").values_list("pk", flat=True))
            transaction.on_commit(partial(_enqueue, ids, priority, True))
        waiting += len(ids)
    return waiting


def cancel_batch(batch: str) -> int:
    """Give up the messages of a bulk send not yet sent (a withdrawn notice); return how many.

    Only rows still pending or failed are touched: one being sent right now finishes, one sent stays sent."""
    return Notification.objects.filter(batch=batch, status__in=[Status.PENDING, Status.FAILED]).update(
        status=Status.FAILED, attempts=settings.NOTIFY_MAX_ATTEMPTS, sealed="", last_error="cancelled by the sender")


def deliver(notification_id: int) -> str:
    """Send one email or SMS notification through its channel's backend; return its status afterwards.

    The row is first claimed with a conditional UPDATE (pending/failed → sending, attempts + 1), so a
    task that runs twice, or two workers that pick up the same id, send it once: the loser finds
    nothing to claim. A refusal by the provider marks the row failed with the error, for
    retry_failed() to try again.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status__in=[Status.PENDING, Status.FAILED],
        attempts__lt=settings.NOTIFY_MAX_ATTEMPTS,
    ).exclude(channel=Channel.IN_APP).update(status=Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        status = Notification.objects.filter(pk=notification_id).values_list("status", flat=True).first()
        return status or "missing"

    notification = Notification.objects.get(pk=notification_id)
    refs = [r for r in notification.provider_ref.split() if r]
    secrets = json.loads(crypto.unseal(notification.sealed)) if notification.sealed else {}
    clear = [v for values in secrets.values() for v in values.values()]
    try:
        with translation.override(settings.LANGUAGE_CODE):  # customers are written to in Chinese
            if notification.channel == Channel.EMAIL:
                refs = [backends.send_email(
                    notification.address, notification.text_for_delivery("subject", secrets),
                    _email_body(notification, secrets),
                    message_id=backends.message_id("notification", notification.pk,
                                                   f"{notification.created_at:%Y%m%d%H%M%S}"))]
            elif notification.channel == Channel.WECHAT:
                refs = [wechat.get_wechat_backend().send(
                    notification.address, notification.subject_text, notification.text_for_delivery("body", secrets),
                    _site_url(notification.link), shown=notification.body_text)]
            else:
                sms = backends.get_sms_backend()
                field = "body" if notification.body_text else "subject"
                parts = backends.split_sms(notification.text_for_delivery(field, secrets))
                shown = backends.split_sms(getattr(notification, f"{field}_text"))
                # Parts already accepted by the provider on an earlier attempt are not sent again.
                for index in range(len(refs), len(parts)):
                    refs.append(sms.send(notification.address, parts[index],
                                         shown=shown[index] if index < len(shown) else ""))
    except Exception as exc:  # any provider error is recorded, never lost (and never with a secret in it)
        error = _scrub(f"{type(exc).__name__}: {exc}", clear)
        logger.warning("notification %s (%s) failed: %s", notification_id, notification.channel, error)
        given_up = notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            status=Status.FAILED, last_error=error[:2000], provider_ref=" ".join(refs)[:500],
            **({"sealed": ""} if given_up else {}),
        )
        return Status.FAILED
    Notification.objects.filter(pk=notification_id).update(
        status=Status.SENT, sent_at=timezone.now(), last_error="", provider_ref=" ".join(refs)[:500], sealed="",
    )
    return Status.SENT


def retry_failed() -> int:
    """Re-enqueue every undelivered message that may still be sent; return how many (a periodic job).

    Failed rows are retried while attempts < settings.NOTIFY_MAX_ATTEMPTS (5). A row left "sending"
    or "pending" for longer than settings.NOTIFY_STALE_SECONDS lost its worker or its queue entry;
    it is retried too (a worker that died after the provider accepted the message may cause a second
    send: delivery is at-least-once only in that case) — except a message with a once_key, which may
    never reach anybody twice: an interrupted one is marked INTERRUPTED and left for its sender to
    decide (a notice's re-send to the households that have not read it).
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFY_STALE_SECONDS)
    interrupted = Notification.objects.filter(status=Status.SENDING, last_attempt_at__lt=stale)
    interrupted.filter(once_key__isnull=False).update(
        status=Status.INTERRUPTED, sealed="", last_error="interrupted while sending: not sent again")
    interrupted.update(status=Status.FAILED, last_error="interrupted while sending")
    # A secret is not kept for ever: a message still undelivered after NOTIFY_SECRET_TTL_SECONDS is given up.
    Notification.objects.exclude(sealed="").exclude(status=Status.SENDING).filter(
        created_at__lt=now - timedelta(seconds=settings.NOTIFY_SECRET_TTL_SECONDS)).update(
        sealed="", status=Status.FAILED, attempts=settings.NOTIFY_MAX_ATTEMPTS,
        last_error="given up: the secret it carried expired")
    ids = list(
        Notification.objects.filter(
            Q(status=Status.FAILED, attempts__lt=settings.NOTIFY_MAX_ATTEMPTS)
            | Q(status=Status.PENDING, created_at__lt=stale)
        ).exclude(channel=Channel.IN_APP).order_by("created_at").values_list("id", flat=True)[:RETRY_LIMIT]
    )
    _enqueue(ids, in_batches=True)
    return len(ids)


def mark_read(user, notification_id: int) -> Notification:
    """Mark one of the user's own in-app notifications read; another's is reported as not found."""
    from .selectors import notifications_for

    notification = access.get_scoped(notifications_for(user), user, pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(user) -> int:
    """Mark every unread in-app notification of the user read; return how many changed."""
    from .selectors import notifications_for

    return notifications_for(user, unread_only=True).update(read_at=timezone.now())


# -- helpers --------------------------------------------------------------------------------


def _enqueue(ids: list[int], priority: int = 0, in_batches: bool = False) -> None:
    """One task per notification, or per BATCH of them (a bulk send, the retry sweep)."""
    from .tasks import deliver_notification, deliver_notifications

    jobs = ([(deliver_notifications, list(chunk)) for chunk in batched(ids, BATCH)] if in_batches
            else [(deliver_notification, i) for i in ids])
    for job, argument in jobs:
        try:
            (job.using(priority=priority) if priority else job).enqueue(argument)
        except Exception:  # the queue is down: the row stays pending and retry_failed() picks it up
            logger.exception("could not enqueue notification(s) %s", argument)


def _site_url(link: str) -> str:
    return f"{settings.NOTIFY_SITE_URL.rstrip('/')}{link}" if link and settings.NOTIFY_SITE_URL else ""


def _split(text: "str | Message") -> tuple[str, dict | None]:
    """The msgid and its parameters as stored: a Secret becomes its mask (str(Secret))."""
    if isinstance(text, Message):
        return text.msgid, {k: str(v) if not isinstance(v, (int, float)) else v for k, v in text.params.items()}
    return str(text), None


def _secrets(text: "str | Message") -> dict:
    """The clear values of the Secret parameters of a Message, to be sealed."""
    if not isinstance(text, Message):
        return {}
    return {k: v.value for k, v in text.params.items() if isinstance(v, Secret)}


def _scrub(text: str, clear: list[str]) -> str:
    for value in clear:
        if value:
            text = text.replace(value, Secret(value).shown)
    return text


def _email_body(notification: Notification, secrets: dict) -> str:
    body = notification.text_for_delivery("body", secrets)
    if notification.link and settings.NOTIFY_SITE_URL:
        body = f"{body}\n\n{_site_url(notification.link)}"
    return body


def _valid_email(value: str) -> bool:
    if not value:
        return False
    try:
        validate_email(value.strip())
    except ValidationError:
        return False
    return True


def _valid_phone(value: str) -> str:
    if not value:
        return ""
    try:
        return validate_phone(value)
    except ValidationError:
        return ""
