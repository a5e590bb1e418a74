"""Payments, their allocation to charge lines, receipts with gap-free numbers, voids, daily close (item 3)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.archive.models import Customer
from propdesk.org.models import Project, Unit

from .base import PostedRow, money_field, positive
from .bills import ChargeLine


class Method(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank transfer")
    POS = "pos", _("Card (POS)")
    ONLINE = "online", _("Online")


class Payment(PostedRow):
    """Money received for a unit (收款), with its receipt. Immutable; `unallocated` is the part not yet
    allocated to a charge line: the unit's prepayment (预存), used automatically when bills post.

    A deposit (押金) is a payment of purpose "deposit": a liability held on the Deposit row, never income
    and never allocated to charges."""

    DERIVED_FIELDS = frozenset({"unallocated"})

    class Purpose(models.TextChoices):
        FEES = "fees", _("Fees and prepayment")
        DEPOSIT = "deposit", pgettext_lazy("billing", "Deposit")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="payments")
    payer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    payer_name = models.CharField(_("paid by"), max_length=100)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    purpose = models.CharField(pgettext_lazy("payment", "purpose"), max_length=10, choices=Purpose.choices, default=Purpose.FEES)
    amount = money_field(_("amount"))
    unallocated = money_field(_("held as prepayment"))
    received_at = models.DateTimeField(_("received"))
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("cashier"))
    # The bank's or POS terminal's reference, or the online provider's transaction id.
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            # A provider's transaction is recorded once, however often its notification arrives.
            models.UniqueConstraint(fields=["provider", "reference"], name="payment_provider_txn_once",
                                    condition=~Q(provider="")),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(unallocated__gte=0) & Q(unallocated__lte=F("amount")),
                                   name="payment_unallocated_range"),
        ]
        indexes = [
            models.Index(fields=["project", "received_at"], name="payment_project_day"),
            models.Index(fields=["unit", "received_at"], name="payment_unit"),
            models.Index(fields=["unit"], name="payment_prepaid", condition=positive("unallocated")),
        ]

    def __str__(self):
        return f"{self.unit} ¥{self.amount}"


class Allocation(PostedRow):
    """An amount of a payment or of a credit note applied to one charge line. A void adds the reversal
    (a negative allocation) instead of removing the row."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(ChargeLine, on_delete=models.PROTECT, related_name="allocations")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations")
    credit = models.ForeignKey("billing.Adjustment", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="allocations")
    amount = money_field(_("amount"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(condition=Q(payment__isnull=False, credit__isnull=True)
                                   | Q(payment__isnull=True, credit__isnull=False), name="allocation_one_source"),
            models.CheckConstraint(condition=~Q(amount=0), name="allocation_not_zero"),
        ]

    def __str__(self):
        return f"{self.line_id} ← {self.amount}"


class ReceiptCounter(models.Model):
    """The last receipt number of a project: locked (SELECT … FOR UPDATE) in the payment's transaction,
    so numbers are gap-free and never reused, even under concurrent payments."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.project_id}: {self.last_number}"


class Receipt(PostedRow):
    """The receipt (收据) of a payment, a frozen copy of what it says. Its number is the project's next
    one; a void keeps the number (PaymentVoid) and the receipt then reads VOID."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveBigIntegerField(_("number"))
    code = models.CharField(_("receipt number"), max_length=24)
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    issued_at = models.DateTimeField(pgettext_lazy("receipt", "issued"))
    amount = money_field(_("amount"))
    amount_in_words = models.CharField(_("amount in words"), max_length=100)
    payer_name = models.CharField(_("paid by"), max_length=100)
    unit_label = models.CharField(_("unit"), max_length=100)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    cashier_name = models.CharField(_("cashier"), max_length=100, blank=True)
    # What was paid: [{"text", "period", "amount"}], as printed.
    items = models.JSONField(default=list)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="receipt_number_once"),
            models.UniqueConstraint(fields=["project", "code"], name="receipt_code_once"),
        ]
        indexes = [models.Index(fields=["project", "issued_at"], name="receipt_project_day")]

    def __str__(self):
        return self.code


class PaymentVoid(PostedRow):
    """A payment voided (作废) with its reason: its allocations are reversed, its receipt keeps its number."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="void")
    reason = models.CharField(_("reason"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("voided payment")
        verbose_name_plural = _("voided payments")

    def __str__(self):
        return f"{self.payment_id}: {self.reason}"


class PaymentKey(models.Model):
    """A client's Idempotency-Key of a payment: a retried create returns the first payment."""

    client = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="billing_payment_key_once")]

    def __str__(self):
        return self.key


class DailyClose(models.Model):
    """A cashier's daily close (日结): the day's payments by method, the cash counted and the difference."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("cashier"))
    day = models.DateField(_("day"))
    # {method: {"count": n, "amount": "123.00"}} at closing time.
    totals = models.JSONField(default=dict)
    expected_cash = money_field(_("cash expected"))
    counted_cash = money_field(_("cash counted"))
    difference = money_field(_("difference"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed"), default=timezone.now)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("daily close")
        verbose_name_plural = _("daily closes")
        constraints = [models.UniqueConstraint(fields=["project", "cashier", "day"], name="daily_close_once")]

    def __str__(self):
        return f"{self.cashier} {self.day}"


# A payment with a part still held as prepayment: the condition of its partial index (see base.positive).
HELD = positive("unallocated")
