"""The fan-out of a notice's sending (issue 15 item 1): from the audience to one message per household and
channel, in the queue, at scale, once.

A NoticeDispatch is fanned out by a background task in chunks of CHUNK households. Each chunk inserts the
households' read receipts (NoticeRecipient, unique per notice and unit) and their messages through
notify.send_bulk (unique per dispatch, household and channel: the once_key "notice:<dispatch>:<unit>:
<channel>"), each in its own transaction, and beats the dispatch's heart. A fan-out that dies half-way is
started again by the periodic job (`resume_stalled`) and stores only what is missing: no household is
ever given the same message twice, and the messages already in the queue are not queued again once
sent. An emergency notice's fan-out and messages run at EMERGENCY_PRIORITY, ahead of everything else in
the queue; other notices at BULK_PRIORITY, behind the service desk's own notifications (priority 0), so
an announcement to 100,000 households never delays a work order's SMS.
"""

import datetime as dt
from itertools import batched

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from propdesk.archive.models import CustomerPhone
from propdesk.core import timeline
from propdesk.core.bulk import insert_rows
from propdesk.core.timeline import Message
from propdesk.notify.services import Outgoing, send_bulk, valid_address

from .. import audience as audiences
from ..models import ContactPreference, Notice, NoticeDispatch, NoticeRecipient
from . import tokens

CHUNK = settings.ENGAGE_NOTICE_CHUNK  # households per transaction of the fan-out
EMERGENCY_PRIORITY = 90
BULK_PRIORITY = -10
# A fan-out that has not beaten for this long died (a chunk takes about a second).
STALL = dt.timedelta(minutes=2)
C = Notice.Channel


def priority_of(notice: Notice) -> int:
    return EMERGENCY_PRIORITY if notice.is_emergency else BULK_PRIORITY


def enqueue_fan_out(sending: NoticeDispatch) -> None:
    from ..tasks import fan_out_notice

    fan_out_notice.using(priority=priority_of(sending.notice)).enqueue(sending.pk)


def resume_stalled(now: dt.datetime | None = None) -> int:
    """Re-enqueue the fan-outs whose worker died (no heartbeat for STALL); returns how many."""
    now = now or timezone.now()
    stalled = NoticeDispatch.objects.filter(finished_at__isnull=True).exclude(heartbeat_at__gte=now - STALL).filter(
        created_at__lt=now - STALL).select_related("notice")
    resumed = 0
    for sending in stalled:
        # Claim it for another STALL, so the next sweep does not enqueue it again meanwhile.
        claimed = NoticeDispatch.objects.filter(pk=sending.pk, finished_at__isnull=True).exclude(
            heartbeat_at__gte=now - STALL).update(heartbeat_at=now)
        if claimed:
            enqueue_fan_out(sending)
            resumed += 1
    return resumed


def fan_out(dispatch_id: int, now: dt.datetime | None = None) -> dict:
    """Create the read receipts and the messages of one sending; safe to run again (see the module)."""
    sending = NoticeDispatch.objects.select_related("notice__project").get(pk=dispatch_id)
    notice = sending.notice
    if sending.finished_at is not None:
        return {"households": sending.households, "messages": sending.messages, "again": True}
    now = now or timezone.now()
    channels = [c for c in sending.channels if c in (C.SMS, C.EMAIL, C.WECHAT)]
    households = messages = 0
    if notice.status != Notice.Status.WITHDRAWN:
        if sending.number == 1:
            targets = audiences.households(audiences.Audience.of_notice(notice), timezone.localdate(now))
            for chunk in batched(targets.items(), CHUNK):
                made = _add_recipients(notice, chunk, now)
                rows = _recipients(notice, unit_ids=[unit_id for unit_id, _customer in chunk])
                messages += _send(sending, rows, channels, made)
                households += len(chunk)
                _beat(sending)
        else:
            after = 0
            while True:  # the households that have not read it, a chunk at a time in unit order
                rows = _recipients(notice, unread_after=after)
                if not rows:
                    break
                messages += _send(sending, rows, channels)
                households += len(rows)
                after = rows[-1]["unit_id"]
                _beat(sending)
    _finish(sending, households, messages, now)
    return {"households": households, "messages": messages}


def _add_recipients(notice: Notice, chunk, now) -> dict[str, str]:
    """Insert the chunk's read receipts (one statement); returns {digest: token} of the tokens made. A resumed
    fan-out keeps the receipts (and links) stored first: a row whose digest is not among these is not new."""
    rows, made = [], {}
    for unit_id, customer_id in chunk:
        token, digest, sealed = tokens.new()
        made[digest] = token
        rows.append({"unit_id": unit_id, "customer_id": customer_id, "digest": digest, "sealed_token": sealed})
    with transaction.atomic():
        insert_rows(NoticeRecipient, rows, common={"notice_id": notice.pk, "created_at": now})
    return made


def _recipients(notice: Notice, unit_ids=None, unread_after=None) -> list[dict]:
    qs = NoticeRecipient.objects.filter(notice=notice, customer__isnull=False)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    else:
        qs = qs.filter(read_at__isnull=True, unit_id__gt=unread_after).order_by("unit_id")[:CHUNK]
    return list(qs.values("unit_id", "customer_id", "digest", "sealed_token", "read_at", "customer__name",
                          "customer__email"))


def _contacts(rows: list[dict], channels: list[str]) -> dict[int, dict]:
    """{customer id: {"name", channel: address}} for the channels asked, from the archive (first usable
    mobile, the email, read with the receipts) and the customer's WeChat openid."""
    contacts = {r["customer_id"]: {"name": r["customer__name"], C.EMAIL: r["customer__email"]} for r in rows}
    customer_ids = list(contacts)
    if C.SMS in channels:
        for customer_id, number in (CustomerPhone.objects.filter(customer_id__in=customer_ids).order_by("id")
                                    .values_list("customer_id", "number")):
            entry = contacts.get(customer_id)
            if entry is not None and C.SMS not in entry and valid_address(C.SMS, number):
                entry[C.SMS] = number
    if C.WECHAT in channels:
        for customer_id, openid in (ContactPreference.objects.filter(customer_id__in=customer_ids)
                                    .exclude(wechat_openid="").values_list("customer_id", "wechat_openid")):
            if customer_id in contacts:
                contacts[customer_id][C.WECHAT] = openid
    return contacts


def _send(sending: NoticeDispatch, rows: list[dict], channels: list[str], made: dict | None = None) -> int:
    if not channels or not rows:
        return 0
    made = made or {}
    notice = sending.notice
    contacts = _contacts(rows, channels)
    project = notice.project.name
    urgent = notice.is_emergency
    out = []
    for row in rows:
        contact = contacts.get(row["customer_id"])
        if contact is None or row["read_at"] is not None:
            continue
        token = made.get(row["digest"]) if row["sealed_token"] else None
        link = tokens.link_of(token) if token else tokens.link(row["sealed_token"])
        for channel in channels:
            address = contact.get(channel) or ""
            if not address or (link is None and channel != C.WECHAT):
                continue
            subject, body, path = _texts(notice, project, channel, link, urgent)
            out.append(Outgoing(once_key=f"notice:{sending.pk}:{row['unit_id']}:{channel}", channel=channel,
                                address=address, customer_id=row["customer_id"], name=contact["name"],
                                subject=subject, body=body, link=path))
    return send_bulk(project=notice.project_id, event="engage.notice", batch=sending.batch, messages=out,
                     priority=priority_of(notice))


def _texts(notice: Notice, project: str, channel: str, link, urgent: bool):
    """(subject, body, link path) of one household's message on one channel."""
    subject = Message(gettext_noop("%(project)s notice: %(title)s"), {"project": project, "title": notice.title})
    if channel == C.SMS:
        msgid = (gettext_noop("[%(project)s] URGENT: %(title)s — details: %(link)s") if urgent
                 else gettext_noop("[%(project)s] %(title)s — details: %(link)s"))
        return subject, Message(msgid, {"project": project, "title": notice.title, "link": link}), ""
    if channel == C.EMAIL:
        return subject, Message(gettext_noop("%(text)s\n\nPlease confirm you have read it: %(link)s"),
                                {"text": notice.body, "link": link}), ""
    # WeChat: the template opens the notice in the portal (signed in there, the owner's reading counts too).
    return notice.title, notice.body, f"/portal/notices/{notice.pk}/"


def _beat(sending: NoticeDispatch) -> None:
    NoticeDispatch.objects.filter(pk=sending.pk).update(heartbeat_at=timezone.now())


def _finish(sending: NoticeDispatch, households: int, messages: int, now) -> None:
    notice = sending.notice
    with transaction.atomic():
        if not NoticeDispatch.objects.filter(pk=sending.pk, finished_at__isnull=True).update(
                finished_at=timezone.now(), households=households, messages=messages):
            return  # another run of the same fan-out finished first
        if sending.number == 1:
            Notice.objects.filter(pk=notice.pk, status=Notice.Status.SENDING).update(
                status=Notice.Status.SENT, households=households)
        timeline.record(None, "engage.notice_fanned_out", Message(
            gettext_noop("Notice %(title)s (sending %(number)d) reached %(households)d households: "
                         "%(messages)d messages queued"),
            {"title": notice.title, "number": sending.number, "households": households, "messages": messages}),
            subjects=[notice.project])
