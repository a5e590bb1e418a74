"""Renovation (装修): application, review, agreement, deposit, hot-work permits, patrols, acceptance, refund."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.org.models import Project, Unit

MONEY = {"max_digits": 12, "decimal_places": 2}


class Renovation(models.Model):
    """One renovation of a unit, from the owner's application to the refund of the deposit."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ACTIVE = "active", _("Works in progress")
        ACCEPTED = "accepted", _("Accepted on completion")
        CLOSED = "closed", _("Deposit settled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        APPROVE_WITH_CONDITIONS = "conditions", _("Approve with conditions")
        REJECT = "reject", _("Reject")

    class Channel(models.TextChoices):
        DESK = "desk", _("At the desk")
        PORTAL = "portal", _("In the portal")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="renovations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="renovations")
    applicant = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="renovations",
                                  verbose_name=_("applicant"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.DESK)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    scope = models.TextField(_("scope of works"))
    contractor = models.CharField(_("contractor"), max_length=100)
    foreman = models.CharField(_("foreman"), max_length=50)
    foreman_phone = models.CharField(_("foreman's phone"), max_length=20)
    workers = models.TextField(_("workers"), blank=True, help_text=_("One per line: name and phone."))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    # For offices and shops: the fire-safety filing (消防报建) reference.
    fire_filing_ref = models.CharField(_("fire-safety filing reference"), max_length=60, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    agreement_signed_by = models.CharField(_("agreement signed by"), max_length=50, blank=True)
    agreement_signed_at = models.DateTimeField(_("agreement signed"), null=True, blank=True)
    deposit = models.DecimalField(_("deposit"), **MONEY, null=True, blank=True)
    deposit_receipt = models.CharField(_("deposit receipt number"), max_length=40, blank=True)
    fee = models.DecimalField(_("management fee"), **MONEY, null=True, blank=True)
    fee_receipt = models.CharField(_("fee receipt number"), max_length=40, blank=True)
    next_patrol_on = models.DateField(_("next patrol due"), null=True, blank=True, db_index=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("accepted by"))
    refund_amount = models.DecimalField(_("deposit refunded"), **MONEY, null=True, blank=True)
    refund_receipt = models.CharField(_("refund voucher number"), max_length=40, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("renovation")
        verbose_name_plural = _("renovations")
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self):
        return f"{self.unit} {self.planned_start}"

    @property
    def deductions_total(self) -> Decimal:
        return sum((d.amount for d in self.deductions.all()), Decimal("0.00"))


class RenovationFile(models.Model):
    """A drawing or other attachment of a renovation application (plans, the contractor's licence…): a PDF
    kept as sent, or a photo re-encoded without its metadata; served only through a scoped URL."""

    scope_path = "renovation__project_id"

    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=100)
    file = models.FileField(upload_to="affairs/renovations/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    # Staff who attached it at the desk; empty when the owner attached it in the portal.
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("attached"))

    class Meta:
        ordering = ["renovation_id", "id"]
        verbose_name = _("renovation drawing or attachment")
        verbose_name_plural = _("renovation drawings and attachments")

    def __str__(self):
        return self.name


class DepositDeduction(models.Model):
    scope_path = "renovation__project_id"

    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="deductions")
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("deposit deduction")
        verbose_name_plural = _("deposit deductions")

    def __str__(self):
        return self.reason


class HotWorkPermit(models.Model):
    """A hot-work permit (动火作业): valid only inside its window; outside it shows as expired."""

    scope_path = "renovation__project_id"

    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="permits")
    number = models.CharField(_("permit number"), max_length=30, unique=True)
    location = models.CharField(_("location"), max_length=100)
    work = models.CharField(_("work"), max_length=100, help_text=_("Welding, cutting, grinding…"))
    starts_at = models.DateTimeField(_("valid from"))
    ends_at = models.DateTimeField(_("valid until"))
    fire_watch = models.CharField(_("fire watch"), max_length=50)
    extinguisher_checked = models.BooleanField(_("extinguisher checked"), default=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued"))

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("hot-work permit")
        verbose_name_plural = _("hot-work permits")
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="permit_ends_after_start")]

    def __str__(self):
        return self.number

    def is_valid(self, now) -> bool:
        return self.starts_at <= now < self.ends_at

    def state(self, now) -> str:
        if now < self.starts_at:
            return "not_yet"
        return "valid" if now < self.ends_at else "expired"


class PatrolInspection(models.Model):
    """A patrol of a renovation site, due at the project's interval, done from a phone."""

    scope_path = "renovation__project_id"

    class Result(models.TextChoices):
        OK = "ok", _("No problem")
        VIOLATION = "violation", _("Violation found")

    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="patrols")
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("inspected"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        ordering = ["-done_at", "-id"]
        verbose_name = _("patrol inspection")
        verbose_name_plural = _("patrol inspections")

    def __str__(self):
        return f"{self.renovation_id} {self.done_at:%Y-%m-%d}"


class Rectification(models.Model):
    """A rectification notice (整改通知) from a patrol finding, with a deadline and a re-check."""

    scope_path = "inspection__renovation__project_id"

    class Recheck(models.TextChoices):
        PENDING = "", _("Awaiting re-check")
        PASSED = "passed", _("Rectified")
        FAILED = "failed", _("Not rectified")

    inspection = models.OneToOneField(PatrolInspection, on_delete=models.CASCADE, related_name="rectification")
    notice = models.TextField(_("what must be rectified"))
    deadline = models.DateField(_("deadline"))
    issued_at = models.DateTimeField(_("issued"))
    recheck = models.CharField(_("re-check"), max_length=10, choices=Recheck.choices, blank=True, default="")
    rechecked_at = models.DateTimeField(_("re-checked"), null=True, blank=True)
    rechecked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    recheck_note = models.CharField(_("re-check note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")

    def __str__(self):
        return self.notice[:40]


class AcceptanceItem(models.Model):
    """One item of the completion acceptance (竣工验收); the move-out inspection compares with these too."""

    scope_path = "renovation__project_id"

    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="acceptance_items")
    name = models.CharField(_("item"), max_length=60)
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["renovation_id", "id"]
        verbose_name = _("acceptance item")
        verbose_name_plural = _("acceptance items")

    def __str__(self):
        return self.name
