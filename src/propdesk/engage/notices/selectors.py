"""Reads of notices: the console's lists (scoped through org.access) and the owner's notice board
(scoped through archive.owners: the owner's current homes)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from propdesk.notify.selectors import batch_statuses
from propdesk.org.access import get_scoped, scope
from propdesk.org.models import Unit

from .. import audience as audiences
from ..models import Notice, NoticeDispatch, NoticeRecipient, Segment

S = Notice.Status
PUBLISHED = (S.SENDING, S.SENT)


def notices_for(user, project_id: int | None = None, status: str | None = None):
    qs = scope(Notice.objects.select_related("project", "created_by"), user)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(read=Count("recipients", filter=Q(recipients__read_at__isnull=False))).order_by(
        "-created_at", "-id")


def get_notice(user, notice_id: int) -> Notice:
    return get_scoped(Notice.objects.select_related("project", "segment", "created_by"), user, pk=notice_id)


def segments_for(user, project_id: int | None = None):
    qs = scope(Segment.objects.select_related("project"), user)
    return qs.filter(project_id=project_id) if project_id else qs


def get_segment(user, segment_id: int) -> Segment:
    return get_scoped(Segment.objects.select_related("project"), user, pk=segment_id)


def audience_size(notice: Notice) -> int:
    """How many households the notice would reach if it were sent now."""
    return len(audiences.households(audiences.Audience.of_notice(notice)))


@dataclass(frozen=True)
class ReadRate:
    households: int
    read: int
    via_portal: int
    via_link: int

    @property
    def unread(self) -> int:
        return self.households - self.read

    @property
    def percent(self) -> float:
        return round(100 * self.read / self.households, 1) if self.households else 0.0


def read_rate(notice: Notice) -> ReadRate:
    """The live read rate: households reached, read (through the portal / the message's link)."""
    RV = NoticeRecipient.ReadVia
    row = NoticeRecipient.objects.filter(notice=notice).aggregate(
        households=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)),
        via_portal=Count("id", filter=Q(read_via=RV.PORTAL)), via_link=Count("id", filter=Q(read_via=RV.LINK)))
    return ReadRate(**row)


def dispatches_of(notice: Notice) -> list:
    """The notice's sendings with their messages by channel and status ({channel: {status: n}})."""
    sendings = list(NoticeDispatch.objects.filter(notice=notice).select_related("created_by"))
    statuses = batch_statuses([s.batch for s in sendings])
    for sending in sendings:
        sending.statuses = statuses.get(sending.batch, {})
    return sendings


def recipients_of(notice: Notice, unread_only: bool = False):
    qs = NoticeRecipient.objects.filter(notice=notice).select_related("unit__building", "customer")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("unit__building__code", "unit__entrance", "unit__number")


# -- the owner's notice board ---------------------------------------------------------------------


def _visible_to(owner):
    """Published notices on the board of the owner's buildings, or sent to one of the owner's homes."""
    buildings = list(Unit.objects.filter(pk__in=owner.unit_ids).values_list("building_id", flat=True))
    targeted = Notice.buildings.through.objects.filter(notice_id=OuterRef("pk"))
    picked = Notice.units.through.objects.filter(notice_id=OuterRef("pk"))
    board = Q(on_board=True, project_id__in=owner.project_ids) & (
        (~Exists(targeted) & ~Exists(picked))
        | Exists(targeted.filter(building_id__in=buildings)) | Exists(picked.filter(unit_id__in=owner.unit_ids)))
    sent = Exists(NoticeRecipient.objects.filter(notice_id=OuterRef("pk"), unit_id__in=owner.unit_ids))
    return Notice.objects.filter(status__in=PUBLISHED, published_at__lte=timezone.now()).filter(board | sent)


def notices_for_owner(owner):
    """The owner's notice board, newest first, each with `unread` (sent to their home and not yet read)."""
    unread = NoticeRecipient.objects.filter(notice_id=OuterRef("pk"), unit_id__in=owner.unit_ids,
                                            read_at__isnull=True)
    return (_visible_to(owner).select_related("project").annotate(unread=Exists(unread))
            .order_by("-published_at", "-id"))


def unread_for_owner(owner, limit: int = 20) -> list[Notice]:
    """Notices sent to the owner's homes as in-app messages and not yet read: the portal's banner,
    emergencies first (a handful of rows: the channel is checked on them in Python)."""
    rows = [n for n in notices_for_owner(owner).filter(unread=True)[:limit] if Notice.Channel.IN_APP in n.channels]
    return sorted(rows, key=lambda n: not n.is_emergency)


def get_owner_notice(owner, notice_id: int) -> Notice:
    from propdesk.core.errors import NotFound

    notice = notices_for_owner(owner).filter(pk=notice_id).first()
    if notice is None:
        raise NotFound
    return notice


def recipients_xlsx(notice: Notice) -> bytes:
    """The read receipts: one row per household (unit, person told, when sent, when and how read)."""
    from django.utils.translation import gettext as _

    from ..exports import workbook

    rows = ([r.unit.label, r.customer.name if r.customer else "", r.created_at, r.read_at,
             r.get_read_via_display() if r.read_via else ""] for r in recipients_of(notice).iterator(chunk_size=2000))
    return workbook(_("Read receipts"), [_("Unit"), _("Told"), _("Sent"), _("Read"), _("Read via")], rows)
