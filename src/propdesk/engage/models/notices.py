"""Notices to households (通知/公告, issue 15 item 1) and the saved segmentation filters that target them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.archive.models import Customer, Occupancy
from propdesk.org.models import Building, Project, Unit


class Segment(models.Model):
    """A saved segmentation filter (客户细分) of a project's customers: external, internal and behavioural
    attributes (PRODUCT.md area 1), the customer value band included (issue 15 item 3).

    `criteria` keys, each optional: customer_type, income_band, gender (lists of choices), age_min,
    age_max (whole years), value_bands (list of "A", "B", "C"). engage.audience reads them.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(_("name"), max_length=50)
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project_id", "name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="segment_name_once")]

    def __str__(self):
        return self.name


class Notice(models.Model):
    """A notice (通知/公告) to the households of an audience, on the channels chosen."""

    class Kind(models.TextChoices):
        SERVICE_TIP = "service_tip", _("Service tip")
        EMERGENCY = "emergency", _("Emergency notice")
        ANNOUNCEMENT = "announcement", _("Major announcement")
        FEE = "fee", _("Fee notice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Channel(models.TextChoices):
        BOARD = "board", _("Portal notice board")
        IN_APP = "in_app", _("In-app message")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")
        WECHAT = "wechat", _("WeChat template message")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SERVICE_TIP)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=4000)
    # The audience: no building and no unit means the whole project.
    buildings = models.ManyToManyField(Building, blank=True, related_name="+", verbose_name=_("buildings"))
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("units"))
    roles = models.JSONField(_("households of"), default=list, blank=True)
    segment = models.ForeignKey(Segment, null=True, blank=True, on_delete=models.PROTECT, related_name="notices",
                                verbose_name=_("segment"))
    channels = models.JSONField(_("channels"), default=list, blank=True)
    # Derived from `channels` by the service: listed on the portal's notice board (an indexed column).
    on_board = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Households the notice reached (set when its first sending has fanned out).
    households = models.PositiveIntegerField(_("households"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["project", "status", "-published_at"], name="notice_board"),
            models.Index(fields=["status", "scheduled_at"], name="notice_due",
                         condition=Q(status="scheduled")),
        ]

    def __str__(self):
        return self.title

    @property
    def is_emergency(self) -> bool:
        return self.kind == self.Kind.EMERGENCY

    @property
    def role_labels(self) -> list[str]:
        return [str(Occupancy.Role(r).label) for r in self.roles if r in Occupancy.Role.values]

    @property
    def channel_labels(self) -> list[str]:
        return [str(self.Channel(c).label) for c in self.channels if c in self.Channel.values]


class NoticeDispatch(models.Model):
    """One sending of a notice: the first one to the whole audience, each re-send to the households that had
    not read it then. Its fan-out (recipients and messages) runs in the background and can be resumed."""

    scope_path = "notice__project_id"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="dispatches")
    number = models.PositiveSmallIntegerField(pgettext_lazy("sending", "number"))
    only_unread = models.BooleanField(_("only households that have not read it"), default=False)
    channels = models.JSONField(_("channels"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    # The fan-out's progress: it beats at every chunk; a dispatch whose heart stopped is resumed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("fanned out"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), default=0)
    messages = models.PositiveIntegerField(_("messages"), default=0)

    class Meta:
        ordering = ["notice_id", "number"]
        verbose_name = _("notice sending")
        verbose_name_plural = _("notice sendings")
        constraints = [models.UniqueConstraint(fields=["notice", "number"], name="notice_dispatch_once")]
        indexes = [models.Index(fields=["finished_at", "heartbeat_at"], name="notice_dispatch_running",
                                condition=Q(finished_at__isnull=True))]

    def __str__(self):
        return f"{self.notice} #{self.number}"

    @property
    def batch(self) -> str:
        """The notify batch of its messages."""
        return f"notice:{self.notice_id}:{self.number}"



class NoticeRecipient(models.Model):
    """A household (unit) a notice was sent to, with its read receipt.

    `digest` is the SHA-256 of the household's link token (/portal/n/<token>/); the token itself is kept
    only sealed with the data key (`sealed_token`, for a re-send to carry the same link) and wiped once
    the household has read the notice or the notice is withdrawn.
    """

    class ReadVia(models.TextChoices):
        PORTAL = "portal", _("Portal")
        LINK = "link", _("Link in the message")

    scope_path = "notice__project_id"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    sealed_token = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_via = models.CharField(_("read via"), max_length=10, choices=ReadVia.choices, blank=True)

    class Meta:
        ordering = ["notice_id", "unit_id"]
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        constraints = [models.UniqueConstraint(fields=["notice", "unit"], name="notice_recipient_once")]
        indexes = [models.Index(fields=["notice", "read_at"], name="notice_recipient_read"),
                   models.Index(fields=["unit", "notice"], name="notice_recipient_unit")]

    def __str__(self):
        return f"{self.notice_id} → {self.unit_id}"
