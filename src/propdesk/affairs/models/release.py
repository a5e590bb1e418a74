"""Goods release (物品放行): passes, the owner's authorisation, the owner's hold, the release register."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer, Occupancy
from propdesk.org.models import Project, Unit


class ReleasePass(models.Model):
    """A release pass: the items a person may carry out of the unit's building on one day."""

    class Status(models.TextChoices):
        AWAITING_OWNER = "awaiting", _("Awaiting the owner's authorisation")
        AUTHORISED = "authorised", _("Authorised")
        REFUSED = "refused", _("Refused by the owner")
        RELEASED = "released", _("Released")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        DESK = "desk", _("At the desk")
        PORTAL = "portal", _("In the portal")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="release_passes")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="release_passes")
    number = models.CharField(_("pass number"), max_length=20, unique=True)
    applicant = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="release_passes",
                                  verbose_name=_("applicant"))
    applicant_role = models.CharField(_("applicant is"), max_length=10, choices=Occupancy.Role.choices)
    carrier = models.CharField(_("carried by"), max_length=50)
    carrier_phone = models.CharField(_("carrier's phone"), max_length=20, blank=True)
    date = models.DateField(_("release date"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.DESK)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("release pass")
        verbose_name_plural = _("release passes")
        indexes = [models.Index(fields=["project", "date"]), models.Index(fields=["unit", "date"])]

    def __str__(self):
        return self.number

    def is_expired(self, today) -> bool:
        """A pass is good until the end of its day (local time)."""
        return today > self.date


class ReleaseItem(models.Model):
    scope_path = "release_pass__project_id"

    release_pass = models.ForeignKey(ReleasePass, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("item"), max_length=60)
    quantity = models.PositiveSmallIntegerField(_("quantity asked"))
    # What the owner authorised (may be fewer than asked; 0 = not this item). An owner's own pass: all.
    authorised = models.PositiveSmallIntegerField(_("quantity authorised"), default=0)
    released = models.PositiveSmallIntegerField(_("quantity released"), default=0)

    class Meta:
        ordering = ["release_pass_id", "id"]
        verbose_name = _("release item")
        verbose_name_plural = _("release items")

    def __str__(self):
        return f"{self.name} × {self.quantity}"

    @property
    def remaining(self) -> int:
        return max(self.authorised - self.released, 0)


class ReleaseAuthorisation(models.Model):
    """The owner's authorisation of a tenant's or household member's pass: in the portal, or by phone
    recorded by the desk after verifying the owner against the archive (who verified, how, when)."""

    scope_path = "release_pass__project_id"

    class Method(models.TextChoices):
        PORTAL = "portal", _("In the portal")
        PHONE = "phone", _("By phone, verified by the desk")

    release_pass = models.OneToOneField(ReleasePass, on_delete=models.CASCADE, related_name="authorisation")
    owner = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    granted = models.BooleanField(_("granted"))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("verified by"))
    verification = models.CharField(_("verification"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("owner's authorisation")
        verbose_name_plural = _("owners' authorisations")

    def __str__(self):
        return f"{self.release_pass} {self.method}"


class HoldFlag(models.Model):
    """An owner's "do not release without me" on their let unit (e.g. rent unpaid); the gate shows it."""

    scope_path = "unit__project_id"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="release_holds")
    owner = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    set_at = models.DateTimeField(_("set"))
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)

    class Meta:
        verbose_name = _("release hold")
        verbose_name_plural = _("release holds")
        constraints = [models.UniqueConstraint(fields=["unit"], condition=models.Q(cleared_at__isnull=True),
                                               name="one_open_hold_per_unit")]

    def __str__(self):
        return f"{self.unit_id} {self.set_at:%Y-%m-%d}"


class ReleaseEntry(models.Model):
    """One line of the release register (物品放行登记表): what passed the gate, under which pass, who let it."""

    scope_path = "release_pass__project_id"

    release_pass = models.ForeignKey(ReleasePass, on_delete=models.PROTECT, related_name="entries")
    item = models.ForeignKey(ReleaseItem, on_delete=models.PROTECT, related_name="entries")
    quantity = models.PositiveSmallIntegerField(_("quantity passed"))
    guard = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("release register entry")
        verbose_name_plural = _("release register")

    def __str__(self):
        return f"{self.release_pass_id} {self.item_id} × {self.quantity}"
