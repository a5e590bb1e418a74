"""Parking (停车): spaces, allocations to a unit and customer with plates, rentals and their agreements."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.org.models import Project, Unit

from .renovation import MONEY


class SpaceKind(models.TextChoices):
    OWNED = "owned", _("Owned")
    RENTED = "rented", _("Rented")
    TEMPORARY = "temporary", _("Temporary")
    VISITOR = "visitor", _("Visitor")


class ParkingSpace(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        IN_USE = "in_use", _("In use")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="parking_spaces")
    number = models.CharField(_("space number"), max_length=20)
    zone = models.CharField(_("zone / level"), max_length=30)
    kind = models.CharField(_("kind"), max_length=10, choices=SpaceKind.choices)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.AVAILABLE)

    class Meta:
        ordering = ["project_id", "zone", "number"]
        verbose_name = _("parking space")
        verbose_name_plural = _("parking spaces")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="parking_space_once")]

    def __str__(self):
        return self.number

    @property
    def state(self) -> str:
        """The space's status today (item 4): out of service as set; otherwise in use while an allocation
        is current and free again the day after its end. Read from `current_allocations` (prefetched by
        selectors.spaces_for for the day) when present, else the stored status (kept by the daily job)."""
        if self.status == self.Status.OUT_OF_SERVICE:
            return self.status
        current = getattr(self, "current_allocations", None)
        if current is None:
            return self.status
        return self.Status.IN_USE if current else self.Status.AVAILABLE

    def get_state_display(self) -> str:
        return str(self.Status(self.state).label)


class ParkingAllocation(models.Model):
    """A space allocated to a unit and customer for a period (open-ended for an owned space), with the
    plates that may use it; a rental has a monthly price and an agreement (停车协议)."""

    scope_path = "space__project_id"

    space = models.ForeignKey(ParkingSpace, on_delete=models.PROTECT, related_name="allocations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="parking_allocations")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="parking_allocations")
    kind = models.CharField(_("kind"), max_length=10, choices=SpaceKind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    monthly_price = models.DecimalField(_("monthly price"), **MONEY, null=True, blank=True)
    # Space-separated normalised plates (粤B12345 粤B6789D); searched through `plates__contains`.
    plates = models.CharField(_("plates"), max_length=100)
    agreement_number = models.CharField(_("agreement number"), max_length=30, blank=True)
    receipt = models.CharField(_("receipt number"), max_length=40, blank=True)
    ended_early_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("parking allocation")
        verbose_name_plural = _("parking allocations")
        indexes = [models.Index(fields=["space", "start_date"]), models.Index(fields=["end_date"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
            name="allocation_ends_after_start")]

    def __str__(self):
        return f"{self.space} {self.start_date}"

    def plate_list(self) -> list[str]:
        return self.plates.split()

    def is_current(self, today) -> bool:
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)
