"""The quarterly staff evaluation (季度考核, PRODUCT.md area 7): a manager's comment on one staff member's
quarter, made final once. The figures are not stored: they are computed (quality.evaluation)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Project


class StaffEvaluation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="staff_evaluations")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations",
                              verbose_name=_("staff member"))
    quarter = models.CharField(_("quarter"), max_length=6)  # "2026Q4"
    manager_comment = models.TextField(_("manager's comment"), blank=True)
    final = models.BooleanField(_("final"), default=False)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("finalised by"))
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)

    class Meta:
        app_label = "quality"
        verbose_name = _("staff evaluation")
        verbose_name_plural = _("staff evaluations")
        constraints = [models.UniqueConstraint(fields=["project", "staff", "quarter"],
                                               name="staff_evaluation_unique")]

    def __str__(self):
        return f"{self.project} {self.staff} {self.quarter}"
