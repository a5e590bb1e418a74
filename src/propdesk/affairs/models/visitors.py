"""Visitors (访客): people registered at the gate, their visits, and visits pre-registered by owners."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.core.idnumbers import EncryptedIdNumber
from propdesk.org.models import Project, Unit


class Visitor(EncryptedIdNumber):
    """A person who has visited a project; recalled by phone or ID number at the next visit.

    The ID number is encrypted at rest and shown masked everywhere (core.idnumbers)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="visitors")
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    id_type = models.CharField(_("ID document type"), max_length=20, choices=Customer.IdType.choices, blank=True)
    plate = models.CharField(_("plate number"), max_length=20, blank=True)
    visits = models.PositiveIntegerField(_("visits"), default=0)
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True)

    class Meta:
        ordering = ["project_id", "-last_visit_at"]
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")

    def __str__(self):
        return self.name


class PreRegistration(models.Model):
    """A visit an owner announced in the portal; the guard enters its short code (or scans its QR)."""

    scope_path = "unit__project_id"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="visitor_preregistrations")
    host = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+", verbose_name=_("host"))
    visitor_name = models.CharField(_("visitor's name"), max_length=50)
    visitor_phone = models.CharField(_("visitor's phone"), max_length=20, blank=True)
    date = models.DateField(_("date of the visit"))
    people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    purpose = models.CharField(_("purpose"), max_length=50, blank=True)
    plate = models.CharField(_("plate number"), max_length=20, blank=True)
    code = models.CharField(_("code"), max_length=8, db_index=True)
    created_at = models.DateTimeField(_("created"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("visitor pre-registration")
        verbose_name_plural = _("visitor pre-registrations")

    def __str__(self):
        return f"{self.visitor_name} {self.date}"


class Visit(models.Model):
    scope_path = "visitor__project_id"

    visitor = models.ForeignKey(Visitor, on_delete=models.PROTECT, related_name="visit_set")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="visits")
    host = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("visiting"))
    purpose = models.CharField(_("purpose"), max_length=50, blank=True)
    plate = models.CharField(_("plate number"), max_length=20, blank=True)
    people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    preregistration = models.OneToOneField(PreRegistration, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="visit")
    checked_in_at = models.DateTimeField(_("arrived"), db_index=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_out_at = models.DateTimeField(_("left"), null=True, blank=True)
    checked_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{self.visitor_id} {self.checked_in_at:%Y-%m-%d %H:%M}"
