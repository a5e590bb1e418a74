"""Income and expense statements (收支报表) published to owners (issue 14, item 7; Civil Code art. 943)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Project

from .base import money_field


class Statement(models.Model):
    """A project's statement for one month: entered (or imported from xlsx) by finance, approved by the
    manager, then published to the project's owners in the portal. Approved statements are not edited."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="statements")
    period = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("note to owners"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-period", "project_id"]
        verbose_name = _("income and expense statement")
        verbose_name_plural = _("income and expense statements")
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="statement_once")]

    def __str__(self):
        return f"{self.project} {self.period:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.period:%Y-%m}"


class StatementLine(models.Model):
    class Side(models.TextChoices):
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    scope_path = "statement__project_id"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    side = models.CharField(_("income or expense"), max_length=10, choices=Side.choices)
    category = models.CharField(_("category"), max_length=60)
    amount = money_field(_("amount"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["statement_id", "side", "sort", "id"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")

    def __str__(self):
        return f"{self.category} {self.amount}"
