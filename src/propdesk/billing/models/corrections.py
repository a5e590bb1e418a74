"""Corrections and money held: adjustments and credit notes, refunds of prepayment, deposits (items 2, 3).

Each is requested with a reason and takes effect only when another person with a manager's role
approves it: the request row is never edited, its one decision is claimed by a conditional UPDATE.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.archive.models import Customer
from propdesk.org.models import Project, Unit

from .base import PostedRow, money_field
from .bills import ChargeLine
from .payments import Method, Payment
from .standards import FeeItem


class Decision(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Approvable(PostedRow):
    """A request (reason, who asked) and its one decision (who approved or rejected, when)."""

    DERIVED_FIELDS = frozenset({"status", "decided_by", "decided_at", "decision_note"})

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    amount = money_field(_("amount"))
    reason = models.CharField(_("reason"), max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("approver"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        abstract = True


class Adjustment(Approvable):
    """A correction of posted charges: a credit note (减免) lowering one line, or a further charge."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Credit note (reduces a charge)")
        CHARGE = "charge", _("Additional charge")
        WAIVER = "waiver", _("Late fee waived")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    line = models.ForeignKey(ChargeLine, null=True, blank=True, on_delete=models.PROTECT, related_name="credits")
    fee_item = models.ForeignKey(FeeItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="adjustment_amount_positive")]
        indexes = [models.Index(fields=["project", "status"], name="adjustment_status")]

    def __str__(self):
        return f"{self.get_kind_display()} ¥{self.amount}"


class Refund(Approvable):
    """Prepayment paid back to the payer (退预存款): drawn from the unit's unallocated payments."""

    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.BANK)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self):
        return f"{self.unit} ¥{self.amount}"


class RefundPart(PostedRow):
    """How much of one payment's prepayment an approved refund paid back."""

    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, related_name="parts")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refund_parts")
    amount = money_field(_("amount"))

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_part_positive")]


class Deposit(models.Model):
    """A deposit (押金: renovation, parking card…): demanded, then held as a liability once paid, never
    income; released only by approved DepositRelease rows (refunded, or kept with a reason)."""

    class Status(models.TextChoices):
        DUE = "due", _("To be paid")
        HELD = "held", pgettext_lazy("deposit", "Held")
        RELEASED = "released", pgettext_lazy("deposit", "Released")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="deposits")
    payer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="deposits")
    fee_item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="+")
    amount = money_field(_("amount"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="deposit")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("billing", "deposit")
        verbose_name_plural = _("deposits")
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="deposit_source_once", condition=~Q(source="")),
            models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_amount_positive"),
        ]

    def __str__(self):
        return f"{self.fee_item} ¥{self.amount}"


class DepositRelease(Approvable):
    """A deposit refunded to the payer, or kept (forfeited, e.g. for damage) with the reason: approved."""

    class Kind(models.TextChoices):
        REFUND = "refund", pgettext_lazy("billing", "Refunded")
        FORFEIT = "forfeit", _("Kept (forfeited)")

    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="releases")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REFUND)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.BANK)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("deposit release")
        verbose_name_plural = _("deposit releases")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_release_positive")]

    def __str__(self):
        return f"{self.deposit_id} {self.kind} ¥{self.amount}"
