"""Move-in (入住) and move-out inspection: a checklist per project, ticked line by line at the handover."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.org.models import Project, Unit


class ChecklistGroup(models.TextChoices):
    KEYS = "keys", _("Keys")
    DOCUMENTS = "documents", _("Documents")
    METERS = "meters", _("Meter readings")
    FITTINGS = "fittings", _("Fittings")
    OTHER = "other", _("Other")


class ChecklistItem(models.Model):
    """One line of a project's handover checklist: a key kind and count, a document, a meter, a fitting."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="handover_checklist")
    group = models.CharField(_("group"), max_length=20, choices=ChecklistGroup.choices)
    name = models.CharField(_("item"), max_length=60)
    # Keys: how many are handed over; documents and fittings: usually 1; meters: none.
    quantity = models.PositiveSmallIntegerField(_("quantity"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["project_id", "position", "id"]
        verbose_name = _("handover checklist item")
        verbose_name_plural = _("handover checklist")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="checklist_item_once")]

    def __str__(self):
        return self.name


class Handover(models.Model):
    """A move-in handover to a new owner, or a move-out inspection compared with the unit's last record."""

    scope_path = "unit__project_id"

    class Kind(models.TextChoices):
        MOVE_IN = "move_in", _("Move-in handover")
        MOVE_OUT = "move_out", _("Move-out inspection")

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        SIGNED = "signed", _("Signed")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="handovers")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="handovers")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MOVE_IN)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    date = models.DateField(_("handover date"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("handled by"))
    signed_by = models.CharField(_("signed by"), max_length=50, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        indexes = [models.Index(fields=["unit", "kind", "-date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.unit_id} {self.date}"


class HandoverLine(models.Model):
    """One checklist line at one handover: ticked, or defective with a photo (then a warranty work order)."""

    scope_path = "handover__unit__project_id"

    class Status(models.TextChoices):
        PENDING = "pending", _("Not checked")
        OK = "ok", _("OK")
        DEFECTIVE = "defective", _("Defective")
        MISSING = "missing", _("Missing")

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="lines")
    group = models.CharField(_("group"), max_length=20, choices=ChecklistGroup.choices)
    name = models.CharField(_("item"), max_length=60)
    expected_quantity = models.PositiveSmallIntegerField(_("expected"), null=True, blank=True)
    quantity = models.PositiveSmallIntegerField(_("handed over"), null=True, blank=True)
    reading = models.DecimalField(_("meter reading"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(_("note"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # A defect becomes a warranty work order (保修) of the service desk; its state is the defect's state.
    work_order = models.OneToOneField("service.WorkOrder", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="handover_defect")

    class Meta:
        ordering = ["handover_id", "position", "id"]
        verbose_name = _("handover line")
        verbose_name_plural = _("handover lines")

    def __str__(self):
        return self.name
