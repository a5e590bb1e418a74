"""The shared kernel's tables: the one timeline every module writes to."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class TimelineEvent(models.Model):
    """Something that happened, once, with who and when.

    An event concerns one or more subjects (a unit, a customer, later a work order), linked through
    TimelineLink, so the same event shows on every card it belongs to without being copied.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Machine-readable kind, e.g. "archive.customer.changed"; the summary is what a person reads.
    verb = models.CharField(_("event"), max_length=64)
    # What a person reads: an English msgid rendered in the reader's language with `params`
    # (see timeline.Message), or free text typed by staff (params empty).
    message = models.CharField(_("summary"), max_length=500)
    params = models.JSONField(default=dict, blank=True)
    # {"field": [old, new], ...} for changes; free-form details otherwise.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # Internal events (staff notes, escalations) are never shown to owners.
    internal = models.BooleanField(_("internal"), default=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"

    @property
    def summary(self) -> str:
        """The event in the current language: translated when it was recorded as a msgid."""
        if not self.params:
            return gettext(self.message)
        try:
            return gettext(self.message) % self.params
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
            return self.message % self.params


class TimelineLink(models.Model):
    """Attaches an event to one subject's card."""

    # Both keys are the first column of an index below, so neither has an index of its own; the subject's
    # type is not checked by the database either (content types are never deleted, and the subject id
    # beside it cannot be checked anyway): a bill run of 100,000 units writes 200,000 links.
    event = models.ForeignKey(TimelineEvent, on_delete=models.CASCADE, related_name="links", db_index=False)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False,
                                     db_constraint=False)
    subject_id = models.BigIntegerField()
    # Copied from the event so a card's timeline is one index range scan.
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id", "-at"], name="timeline_subject_at")]
        constraints = [
            models.UniqueConstraint(fields=["event", "subject_type", "subject_id"], name="timeline_link_once")
        ]

    def __str__(self):
        return f"{self.event_id} → {self.subject_type_id}:{self.subject_id}"
