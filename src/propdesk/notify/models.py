"""One table for every notification: in-app messages to staff, emails and SMS (PRODUCT.md areas 2 and 5).

A row is both the message and its delivery record, so the desk can see exactly what an owner was told
and when, whatever the channel.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Project


class Notification(models.Model):
    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        # A template message through the service account (openid as the address), see notify.wechat.
        WECHAT = "wechat", _("WeChat")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        # Claimed by one delivery run; the conditional UPDATE that sets it is what prevents a double send.
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # A message with a once_key whose worker died while sending: never sent again (it may have arrived).
        INTERRUPTED = "interrupted", _("Interrupted (may not have arrived)")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="notifications")
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="notifications", verbose_name=_("staff recipient"),
    )
    # A customer of the archive. Deliberately no foreign key: notify sits below archive in the layers,
    # and the caller passes the contact details it wants used (see services.Contact).
    recipient_customer_id = models.BigIntegerField(_("customer recipient"), null=True, blank=True)
    recipient_name = models.CharField(_("recipient name"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Email address or phone number (digits only); blank for in-app.
    address = models.CharField(_("address"), max_length=254, blank=True)
    # Plain text, or an English msgid when `params` has an entry for the field (translated when read).
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    params = models.JSONField(default=dict, blank=True)
    # The secrets the message carries (core.sensitive.Secret: a sign-in code, a link's token), sealed with
    # the data key (core.crypto.seal) until delivery and wiped once it is sent or given up; `params` holds
    # only their masked form.
    sealed = models.TextField(blank=True, default="")
    link = models.CharField(_("link"), max_length=200, blank=True)
    # Machine verb of what happened, e.g. "work_order.dispatched".
    event = models.CharField(_("event"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The provider's message id(s): the SMTP Message-ID, or one SMS gateway id per part sent.
    provider_ref = models.CharField(_("provider reference"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set by a caller that sends in bulk (a notice to every household): the one message per key that may
    # ever exist, e.g. "notice:<dispatch>:<unit>:sms". A second insert with the key is ignored, and a
    # keyed message is sent at most once (services.retry_failed never resends an interrupted one).
    once_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # The caller's batch (e.g. "notice:12"), to count a bulk send's deliveries by status.
    batch = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # A staff member's notification list, newest first.
            models.Index(fields=["recipient_user", "-created_at"], name="notify_user_created"),
            # The unread badge: a partial index holding only unread in-app rows stays small.
            models.Index(fields=["recipient_user"], name="notify_user_unread",
                         condition=Q(channel="in_app", read_at__isnull=True)),
            # The delivery sweep (retry_failed) only ever looks at undelivered rows.
            models.Index(fields=["status", "created_at"], name="notify_undelivered",
                         condition=Q(status__in=["pending", "sending", "failed"])),
            # The outbox of what customers of a project were told.
            models.Index(fields=["project", "-created_at"], name="notify_project_created"),
            # A bulk send's progress (only rows that belong to a batch are in it).
            models.Index(fields=["batch", "status"], name="notify_batch_status", condition=~Q(batch="")),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient_name or self.address}: {self.subject_text}"

    @property
    def subject_text(self) -> str:
        """The subject in the current language (any secret masked)."""
        return _render(self.subject, self.params.get("subject"))

    @property
    def body_text(self) -> str:
        """The body in the current language (any secret masked)."""
        return _render(self.body, self.params.get("body"))

    def text_for_delivery(self, field: str, secrets: dict) -> str:
        """`field` ("subject" or "body") with the clear secrets in place of their masks: for the one
        send that needs them, never to be stored or shown."""
        params = self.params.get(field)
        if params is None:
            return self.subject if field == "subject" else self.body
        return _render(getattr(self, field), {**params, **secrets.get(field, {})})

    @property
    def is_unread(self) -> bool:
        return self.channel == self.Channel.IN_APP and self.read_at is None


def _render(text: str, params: dict | None) -> str:
    if params is None:  # plain text typed or composed by the caller
        return text
    try:
        return gettext(text) % params if params else gettext(text)
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return text % params if params else text
