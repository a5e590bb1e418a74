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
