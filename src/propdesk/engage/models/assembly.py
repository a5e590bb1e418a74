"""The owners' assembly and committee (业主大会 / 业主委员会, issue 15 item 5): meetings with agenda, sign-in and
minutes, reports published to owners, the rules of procedure, and votes counted by Civil Code art. 278."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.org.models import Project, Unit


class Meeting(models.Model):
    class Body(models.TextChoices):
        ASSEMBLY = "assembly", _("Owners' assembly")
        COMMITTEE = "committee", _("Owners' committee")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="meetings")
    body = models.CharField(_("body"), max_length=10, choices=Body.choices, default=Body.COMMITTEE)
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=100)
    agenda = models.TextField(_("agenda"), max_length=4000)
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """One person signed in at a meeting (签到): an owner of the archive, or anyone by name."""

    class Capacity(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Committee member")
        PROXY = "proxy", _("Proxy of an owner")
        STAFF = "staff", _("Property staff")
        GUEST = "guest", _("Guest (street office, residents' committee…)")

    scope_path = "meeting__project_id"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.CharField(_("as"), max_length=10, choices=Capacity.choices, default=Capacity.OWNER)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(_("signed in"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["meeting_id", "signed_at", "id"]
        verbose_name = _("meeting sign-in")
        verbose_name_plural = _("meeting sign-ins")
        constraints = [models.UniqueConstraint(fields=["meeting", "customer"], condition=Q(customer__isnull=False),
                                               name="attendance_once")]

    def __str__(self):
        return self.name


def report_path(report, filename: str) -> str:
    return f"reports/{report.project_id}/{filename}"


class Report(models.Model):
    """A report published to the owners (定期公布管理工作报告、财务收支报表): text, and a file if any."""

    class Kind(models.TextChoices):
        WORK = "work", _("Management work report")
        ACCOUNTS = "accounts", _("Income and expense statement")
        FUND = "fund", _("Use of the maintenance fund")
        COMMITTEE = "committee", _("Committee work report")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    period = models.CharField(_("period"), max_length=30, blank=True)
    body = models.TextField(_("text"), blank=True, max_length=20000)
    attachment = models.FileField(_("file"), upload_to=report_path, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return self.title


class NonVoters(models.TextChoices):
    """How the rules of procedure (议事规则) treat the owners who did not vote (LAW.md: left to them)."""

    NOT_COUNTED = "not_counted", _("Not counted as taking part")
    ABSTAIN = "abstain", _("Counted as taking part, agreeing to nothing")
    WITH_MAJORITY = "with_majority", _("Counted as taking part, with the majority of the votes cast")


class RulesOfProcedure(models.Model):
    """The project's rules of procedure as far as counting is concerned (a stored setting)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="rules_of_procedure")
    non_voters = models.CharField(_("owners who did not vote"), max_length=15, choices=NonVoters.choices,
                                  default=NonVoters.NOT_COUNTED)
    reference = models.CharField(_("adopted by"), max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rules of procedure")
        verbose_name_plural = _("rules of procedure")

    def __str__(self):
        return str(self.project)
