"""A project's own KPI targets (考核目标), overriding the defaults of kpis.KPIS."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Project


class KpiTarget(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kpi_targets")
    code = models.CharField(_("KPI"), max_length=40)
    target = models.DecimalField(_("target"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="kpi_target_unique")]

    def __str__(self):
        return f"{self.project} {self.code} {self.target}"


class MonthlyReport(models.Model):
    """The monthly report (月报) of one project and one calendar month, as emailed to its managers.

    One row per project and month (the unique constraint): the monthly send claims the row before it
    mails anything, so two workers, or the task running twice, never send a month twice. `recipients`
    lists the addresses already mailed, so a run that failed half-way resumes with the others only.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="monthly_reports")
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    pdf = models.BinaryField(_("PDF"))
    built_at = models.DateTimeField(_("built"))
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "project"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="monthly_report_unique")]

    def __str__(self):
        return f"{self.project} {self.month:%Y-%m}"



class MonthlyKpi(models.Model):
    """One KPI of one project for one closed calendar month (in the project's time zone): exactly the
    numerator and denominator kpis.compute() gives, kept current by quality.summaries from the timeline.
    `valid_until`: the earliest due time of a limit still running when it was computed (the figure
    changes then without any event), or None."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    code = models.CharField(max_length=40)
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField()
    valid_until = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "month", "code"], name="monthly_kpi_unique")]

    def __str__(self):
        return f"{self.project_id} {self.month:%Y-%m} {self.code}"


class SummaryWatermark(models.Model):
    """How far a project's MonthlyKpi rows have followed the timeline: the last TimelineLink seen."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_link_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.project_id} @{self.last_link_id}"


# The quarterly staff evaluation lives in its own module (quality.evaluation_models).
from .evaluation_models import StaffEvaluation  # noqa: E402, F401
