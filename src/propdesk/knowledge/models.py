"""Questions owners ask and the standard answers (标准化话术) staff give (PRODUCT.md area 6)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Project


class Faq(models.Model):
    """One question and its standard answer, for one project or (project=None) for every project.

    `search_text` holds the jieba tokens of question and answer separated by spaces, so that a
    2-character word such as 漏水 is found with a plain `icontains` on any database (see search.py).
    """

    class Category(models.TextChoices):
        RENOVATION = "renovation", _("Renovation")
        FEES = "fees", _("Fees")
        REPAIRS = "repairs", _("Repairs")
        PARKING = "parking", _("Parking")
        MOVE_IN = "move_in", _("Moving in")
        SAFETY = "safety", _("Safety")
        LIVING = "living", _("Daily life")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="faqs",
                                verbose_name=_("project"), help_text=_("Leave empty for every project."))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    question = models.CharField(_("question"), max_length=200)
    answer = models.TextField(_("standard answer"))
    is_published = models.BooleanField(_("published"), default=True)
    search_text = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("updated by"))

    class Meta:
        ordering = ["category", "question", "id"]
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQ")
        indexes = [models.Index(fields=["project", "is_published", "category"], name="faq_browse")]

    def __str__(self):
        return self.question
