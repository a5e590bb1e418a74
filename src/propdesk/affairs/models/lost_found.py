"""Lost and found (拾遗): found items, their claims, posting on the notice board, disposal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.core.idnumbers import EncryptedIdNumber
from propdesk.org.models import Building, Project


class FoundItem(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Held")
        CLAIMED = "claimed", _("Claimed")
        DISPOSED = "disposed", _("Disposed of")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="found_items")
    number = models.CharField(_("number"), max_length=20, unique=True)
    # What it is as the notice board may say it (黑色双肩包); the contents stay internal.
    description = models.CharField(_("item"), max_length=100)
    contents = models.TextField(_("contents (internal)"), blank=True)
    building = models.ForeignKey(Building, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("building"))
    floor = models.CharField(_("floor"), max_length=10, blank=True)
    place = models.CharField(_("place"), max_length=100)
    found_at = models.DateTimeField(_("found at"))
    finder_name = models.CharField(_("found by"), max_length=50, blank=True)
    finder_phone = models.CharField(_("finder's phone"), max_length=20, blank=True)
    kept_at = models.CharField(_("kept at"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD,
                              db_index=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered"))
    posted_at = models.DateTimeField(_("posted on the notice board"), null=True, blank=True, db_index=True)
    disposed_at = models.DateTimeField(_("disposed of"), null=True, blank=True)
    disposal_note = models.CharField(_("how disposed of"), max_length=200, blank=True)
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    finder_cleared_at = models.DateTimeField(_("finder cleared"), null=True, blank=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("found item")
        verbose_name_plural = _("found items")
        indexes = [models.Index(fields=["project", "status", "found_at"])]

    def __str__(self):
        return self.number


class Claim(EncryptedIdNumber):
    """Who collected a found item: their description of the contents, the ID they showed (masked),
    the staff member who compared, and their signature (drawn on screen or a signed paper's reference)."""

    scope_path = "item__project_id"

    item = models.OneToOneField(FoundItem, on_delete=models.PROTECT, related_name="claim")
    claimant_name = models.CharField(_("claimant"), max_length=50)
    claimant_phone = models.CharField(_("claimant's phone"), max_length=20, blank=True)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    id_type = models.CharField(_("ID document type"), max_length=20, choices=Customer.IdType.choices)
    described_contents = models.TextField(_("contents as described by the claimant"))
    compared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("compared by"))
    signature = models.FileField(_("signature"), upload_to="affairs/signatures/%Y/%m/", blank=True)
    paper_reference = models.CharField(_("signed paper reference"), max_length=40, blank=True)
    claimed_at = models.DateTimeField(_("claimed"))

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self):
        return self.claimant_name
