"""Satisfaction surveys (满意度调查, PRODUCT.md area 5): a questionnaire sent to the households of a project.

A household is a unit: each targeted unit gets one Invitation, carrying a random token (only its
SHA-256 digest is stored) that is the key to the public answer page /s/<token>/. One Response per
invitation, editable until the survey closes.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.org.models import Building, Project, Unit


def token_digest(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


class Survey(models.Model):
    """A questionnaire (问卷) with its target: buildings, occupancy roles and segmentation attributes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("title"), max_length=100)
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # Target: no building means every building of the project.
    buildings = models.ManyToManyField(Building, blank=True, related_name="+", verbose_name=_("buildings"))
    # Occupancy roles (owner/tenant/member) whose households are asked.
    roles = models.JSONField(_("roles"), default=list, blank=True)
    # Saved filter on the archive's segmentation attributes: customer_type, income_band, gender,
    # age_min, age_max (each optional).
    segment = models.JSONField(_("segmentation filter"), default=dict, blank=True)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("previous survey"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")

    def __str__(self):
        return self.title

    def is_accepting(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and (self.closes_at is None or self.closes_at > now)


class Question(models.Model):
    scope_path = "survey__project_id"

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating 1–5")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey_id", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text


class Invitation(models.Model):
    """One household (unit) asked to answer; `digest` is the SHA-256 of the token sent in the SMS link."""

    scope_path = "survey__project_id"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.SET_NULL, null=True, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["survey_id", "unit_id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="survey_invitation_per_unit")]

    def __str__(self):
        return f"{self.survey} / {self.unit}"


class Response(models.Model):
    """A household's answers: {question id: value} (int for rating, str, list of str, text)."""

    scope_path = "invitation__survey__project_id"

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["invitation_id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return str(self.invitation)
