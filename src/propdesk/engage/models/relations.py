"""Public relations (公共关系, issue 15 item 6; seed 000: 与政府主管部门、社会服务机构、开发建设单位、施工及监理单位、
新闻媒体等公共关系的处理): the outside bodies a project deals with, their contacts, and the dealings with each."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.org.models import Project


class OutsideBody(models.Model):
    class Kind(models.TextChoices):
        STREET_OFFICE = "street_office", _("Street office")
        RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
        HOUSING_AUTHORITY = "housing_authority", _("Housing authority")
        POLICE = "police", _("Police station")
        FIRE = "fire", _("Fire brigade")
        UTILITY = "utility", _("Utility (water, power, gas, heating, telecom)")
        DEVELOPER = "developer", _("Developer")
        CONTRACTOR = "contractor", _("Contractor or supervisor")
        MEDIA = "media", _("Media")
        OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="outside_bodies")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project_id", "kind", "name"]
        verbose_name = _("outside body")
        verbose_name_plural = _("outside bodies")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="outside_body_name_once")]

    def __str__(self):
        return self.name


class BodyContact(models.Model):
    scope_path = "body__project_id"

    body = models.ForeignKey(OutsideBody, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(pgettext_lazy("job", "position"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["body_id", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


class Dealing(models.Model):
    """One dealing with an outside body — a visit, a letter in or out (the committee's 工作函件 too), an
    inspection, a complaint from them — with its follow-up and due date."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        LETTER_IN = "letter_in", _("Letter received")
        LETTER_OUT = "letter_out", _("Letter sent")
        INSPECTION = "inspection", _("Inspection")
        COMPLAINT = "complaint", _("Complaint from them")
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Phone call")

    class Status(models.TextChoices):
        OPEN = "open", _("Follow-up open")
        DONE = "done", _("Done")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(OutsideBody, on_delete=models.PROTECT, related_name="dealings")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    # A letter's number (函号, e.g. 业委函〔2027〕3号).
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=500, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DONE)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.CharField(_("how it was settled"), max_length=500, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("handled by"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("dealing")
        verbose_name_plural = _("dealings")
        indexes = [models.Index(fields=["project", "status", "due_date"], name="dealing_follow_ups",
                                condition=Q(status="open"))]

    def __str__(self):
        return self.subject
