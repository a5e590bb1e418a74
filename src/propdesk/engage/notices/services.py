"""Every write of notices (通知/公告, issue 15 item 1; PRODUCT.md area 5): compose, send now or at a time,
re-send to the households that have not read it, withdraw, and the households' read receipts.

Who may do what: the front desk, butlers and managers compose drafts (ARCHIVE_EDITORS); managers send,
schedule and withdraw (MANAGERS); the callers of the service centre (front desk, butlers, managers)
re-send to non-readers. Sending opens a NoticeDispatch and hands its fan-out to the queue (dispatch.py),
so the page answers at once however large the audience; an emergency notice runs ahead of everything
else in the queue. Each write records its event on the project's card; the per-household record is the
read receipt (NoticeRecipient), not a timeline entry per household.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Occupancy
from propdesk.core import timeline
from propdesk.core.errors import Conflict, NotFound
from propdesk.core.timeline import Message
from propdesk.notify.services import cancel_batch
from propdesk.org.access import ARCHIVE_EDITORS, MANAGERS, has_role, require_project, require_role

from .. import audience as audiences
from ..idempotency import client_of, create_once
from ..models import Notice, NoticeDispatch, NoticeRecipient, Segment
from ..services import CALLERS
from . import dispatch, tokens

S = Notice.Status
C = Notice.Channel
OUTBOUND = (C.SMS, C.EMAIL, C.WECHAT)
MAX_BODY = 4000
EDITABLE = {"kind", "title", "body", "roles", "channels", "segment", "scheduled_at", "buildings", "units"}


def can_compose(user) -> bool:
    return has_role(user, ARCHIVE_EDITORS)


def can_send(user) -> bool:
    return has_role(user, MANAGERS)


def can_resend(user) -> bool:
    return has_role(user, CALLERS)


def _check(notice: Notice, buildings, units, segment) -> None:
    errors = {}
    notice.title = (notice.title or "").strip()
    notice.body = (notice.body or "").strip()
    if not notice.body:
        errors["body"] = _("Write the notice.")
    elif len(notice.body) > MAX_BODY:
        errors["body"] = _("At most %(max)d characters.") % {"max": MAX_BODY}
    channels = list(dict.fromkeys(notice.channels or []))
    if not channels:
        errors["channels"] = _("Choose at least one channel.")
    elif any(c not in C.values for c in channels):
        errors["channels"] = _("Select a valid choice.")
    notice.channels = channels
    notice.on_board = C.BOARD in channels
    roles = list(dict.fromkeys(notice.roles or []))
    if any(r not in Occupancy.Role.values for r in roles):
        errors["roles"] = _("Select a valid choice.")
    notice.roles = roles or [Occupancy.Role.OWNER, Occupancy.Role.TENANT]
    if buildings is not None and any(b.project_id != notice.project_id for b in buildings):
        errors["buildings"] = _("Choose buildings of the notice's project.")
    if units is not None and any(u.project_id != notice.project_id for u in units):
        errors["units"] = _("Choose units of the notice's project.")
    if segment is not None and segment.project_id != notice.project_id:
        errors["segment"] = _("Choose a segment of the notice's project.")
    try:
        notice.full_clean(exclude=["created_by", "segment", "buildings", "units", "body"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)


def save_notice(actor, project, data: dict, notice: Notice | None = None, idempotency_key: str | None = None):
    """Create a draft notice (notice=None) or change a draft; `data` holds the fields of EDITABLE.

    Returns (notice, created); a retry with the same idempotency key returns the first draft.
    """
    require_project(actor, project.pk if notice is None else notice.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    if notice is not None and notice.status != S.DRAFT:
        raise Conflict(_("Only a draft notice can be changed."), state=notice.status)
    target = notice or Notice(project=project, created_by=actor)
    for field in EDITABLE - {"buildings", "units"}:
        if field in data:
            setattr(target, field, data[field])
    buildings, units = data.get("buildings"), data.get("units")
    _check(target, buildings, units, target.segment if target.segment_id else None)

    def write():
        with transaction.atomic():
            target.save()
            if buildings is not None:
                target.buildings.set(buildings)
            if units is not None:
                target.units.set(units)
            summary = gettext_noop("Notice drafted: %(title)s") if notice is None else gettext_noop(
                "Notice changed: %(title)s")
            timeline.record(actor, "engage.notice_saved", Message(summary, {"title": target.title}),
                            subjects=[target.project])
        return target

    if notice is not None:
        return write(), False
    return create_once(client_of(actor), idempotency_key, Notice, write)


def send_notice(actor, notice: Notice, now: dt.datetime | None = None) -> Notice:
    """Send a draft now, or schedule it when its `scheduled_at` is still ahead (PRODUCT.md area 5).

    Refused when the audience holds no household. Sending claims the draft (DRAFT → SENDING) so two
    clicks send once, opens dispatch #1 and enqueues its fan-out after the commit, at the emergency
    priority for an emergency notice.
    """
    require_project(actor, notice.project_id)
    require_role(actor, MANAGERS)
    now = now or timezone.now()
    if notice.status != S.DRAFT:
        raise Conflict(_("Only a draft notice can be sent."), state=notice.status)
    if not audiences.occupancies(audiences.Audience.of_notice(notice), timezone.localdate(now)).exists():
        raise ValidationError(_("No household matches the audience."))
    if notice.scheduled_at is not None and notice.scheduled_at > now:
        with transaction.atomic():
            _claim(notice, S.DRAFT, status=S.SCHEDULED)
            timeline.record(actor, "engage.notice_scheduled", Message(
                gettext_noop("Notice scheduled for %(at)s: %(title)s"),
                {"at": timezone.localtime(notice.scheduled_at).strftime("%Y-%m-%d %H:%M"), "title": notice.title}),
                subjects=[notice.project])
        return notice
    return _start(actor, notice, S.DRAFT, now)


def send_due_notices(now: dt.datetime | None = None) -> int:
    """Start the scheduled notices whose time has come (the scheduler's periodic job); returns how many."""
    now = now or timezone.now()
    started = 0
    for notice in Notice.objects.filter(status=S.SCHEDULED, scheduled_at__lte=now).order_by("scheduled_at"):
        try:
            _start(None, notice, S.SCHEDULED, now)
            started += 1
        except Conflict:
            continue  # another run started it, or it was cancelled meanwhile
    return started


def _claim(notice: Notice, expected: str, **changes) -> None:
    if not Notice.objects.filter(pk=notice.pk, status=expected).update(**changes):
        notice.refresh_from_db()
        raise Conflict(_("The notice was changed meanwhile; reload the page."), state=notice.status)
    for field, value in changes.items():
        setattr(notice, field, value)


def _start(actor, notice: Notice, expected: str, now: dt.datetime) -> Notice:
    with transaction.atomic():
        _claim(notice, expected, status=S.SENDING, published_at=now)
        first = NoticeDispatch.objects.create(notice=notice, number=1, channels=notice.channels,
                                              created_by=actor, created_at=now)
        timeline.record(actor, "engage.notice_sent", Message(gettext_noop("Notice sent: %(title)s"),
                                                             {"title": notice.title}), subjects=[notice.project])
        transaction.on_commit(lambda: dispatch.enqueue_fan_out(first))
    return notice


def cancel_schedule(actor, notice: Notice) -> Notice:
    """A scheduled notice goes back to draft (before its time: nothing has been sent)."""
    require_project(actor, notice.project_id)
    require_role(actor, MANAGERS)
    with transaction.atomic():
        _claim(notice, S.SCHEDULED, status=S.DRAFT)
        timeline.record(actor, "engage.notice_unscheduled", Message(
            gettext_noop("Notice schedule cancelled: %(title)s"), {"title": notice.title}), subjects=[notice.project])
    return notice


def resend_to_unread(actor, notice: Notice, channels: list[str], now: dt.datetime | None = None) -> NoticeDispatch:
    """Send the notice again, on `channels` (SMS, email, WeChat), to the households that have not read it.

    Only once the first sending has fanned out (before that nobody could have read it). Each household
    gets each channel at most once per re-send: the messages' once_key names the dispatch.
    """
    require_project(actor, notice.project_id)
    require_role(actor, CALLERS)
    now = now or timezone.now()
    channels = list(dict.fromkeys(channels or []))
    if not channels or any(c not in OUTBOUND for c in channels):
        raise ValidationError({"channels": _("Choose SMS, email or WeChat.")})
    if notice.status != S.SENT:
        raise Conflict(_("The notice can be re-sent once it has been sent to every household."), state=notice.status)
    unread = NoticeRecipient.objects.filter(notice=notice, read_at__isnull=True).count()
    if not unread:
        raise ValidationError(_("Every household has read this notice."))
    with transaction.atomic():
        Notice.objects.select_for_update().filter(pk=notice.pk).first()  # one re-send number at a time
        number = (NoticeDispatch.objects.filter(notice=notice).aggregate(n=Max("number"))["n"] or 0) + 1
        again = NoticeDispatch.objects.create(notice=notice, number=number, only_unread=True, channels=channels,
                                              created_by=actor, created_at=now, households=unread)
        timeline.record(actor, "engage.notice_resent", Message(
            gettext_noop("Notice re-sent to %(count)d households that had not read it: %(title)s"),
            {"count": unread, "title": notice.title}), subjects=[notice.project])
        transaction.on_commit(lambda: dispatch.enqueue_fan_out(again))
    return again


def withdraw_notice(actor, notice: Notice, now: dt.datetime | None = None) -> Notice:
    """Take a sent notice off the board and the portal; messages not yet sent are not sent."""
    require_project(actor, notice.project_id)
    require_role(actor, MANAGERS)
    now = now or timezone.now()
    if notice.status not in (S.SENDING, S.SENT):
        raise Conflict(_("Only a sent notice can be withdrawn."), state=notice.status)
    with transaction.atomic():
        _claim(notice, notice.status, status=S.WITHDRAWN, withdrawn_at=now)
        NoticeRecipient.objects.filter(notice=notice).exclude(sealed_token="").update(sealed_token="")
        for sending in notice.dispatches.all():
            cancel_batch(sending.batch)
        timeline.record(actor, "engage.notice_withdrawn", Message(gettext_noop("Notice withdrawn: %(title)s"),
                                                                  {"title": notice.title}), subjects=[notice.project])
    return notice


# -- read receipts -----------------------------------------------------------------------------------


def _mark(recipients, via: str, now) -> int:
    return recipients.filter(read_at__isnull=True).update(read_at=now, read_via=via, sealed_token="")


def read_by_owner(owner, notice: Notice, now: dt.datetime | None = None) -> int:
    """An owner opened the notice in the portal: each of their current homes it was sent to has read it."""
    return _mark(NoticeRecipient.objects.filter(notice=notice, unit_id__in=owner.unit_ids),
                 NoticeRecipient.ReadVia.PORTAL, now or timezone.now())


def read_by_token(token: str, now: dt.datetime | None = None) -> NoticeRecipient:
    """The household opened the link of its SMS or email: the token is the key (no sign-in). A wrong token,
    or one of a withdrawn notice, is NotFound."""
    recipient = (NoticeRecipient.objects.select_related("notice__project", "unit__building")
                 .filter(digest=tokens.digest(token)).first())
    if recipient is None or recipient.notice.status == S.WITHDRAWN:
        raise NotFound
    if recipient.read_at is None:
        now = now or timezone.now()
        _mark(NoticeRecipient.objects.filter(pk=recipient.pk), NoticeRecipient.ReadVia.LINK, now)
        recipient.read_at, recipient.read_via = now, NoticeRecipient.ReadVia.LINK
    return recipient


# -- saved segments --------------------------------------------------------------------------------


def save_segment(actor, project, name: str, criteria: dict, segment: Segment | None = None) -> Segment:
    """A named segmentation filter of the project's customers (PRODUCT.md area 1), for notices' audiences."""
    require_project(actor, project.pk if segment is None else segment.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    target = segment or Segment(project=project, created_by=actor)
    target.name = (name or "").strip()
    target.criteria = audiences.clean_criteria(criteria or {})
    target.full_clean(exclude=["created_by"])
    with transaction.atomic():
        target.save()
        timeline.record(actor, "engage.segment_saved", Message(gettext_noop("Segment saved: %(name)s"),
                                                               {"name": target.name}), subjects=[target.project])
    return target
