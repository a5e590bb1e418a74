"""Online payment orders (支付单) through a provider, and owners' invoice requests (items 3, 6)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.archive.models import Customer
from propdesk.org.models import Project, Unit

from .base import money_field
from .payments import Payment


class PaymentIntent(models.Model):
    """An owner's order to pay online: what for, how much, and what the provider said.

    Created in the portal, sent to the provider's page (the redirect); the provider's signed
    asynchronous notification turns it into a Payment once — the payment is unique on the provider's
    transaction id, so a replayed or duplicated notification records nothing twice."""

    class Status(models.TextChoices):
        CREATED = "created", _("Waiting for payment")
        PAID = "paid", _("Paid")
        CLOSED = "closed", _("Closed")

    class Purpose(models.TextChoices):
        BILLS = "bills", _("Bills")
        PREPAY = "prepay", _("Prepayment")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    payer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(max_length=20)
    provider = models.CharField(_("provider"), max_length=20)
    out_trade_no = models.CharField(_("order number"), max_length=32, unique=True)
    purpose = models.CharField(pgettext_lazy("payment", "purpose"), max_length=10, choices=Purpose.choices)
    amount = money_field(_("amount"))
    # The charge lines the owner chose to pay (empty: oldest first).
    line_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CREATED)
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    provider_txn_id = models.CharField(max_length=64, blank=True)
    payment = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="intent")
    # Notifications that did not verify or did not match, kept for the accountant to look at.
    anomalies = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("online payment order")
        verbose_name_plural = _("online payment orders")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_intent_positive")]

    def __str__(self):
        return self.out_trade_no


class InvoiceRequest(models.Model):
    """An owner asks for a tax invoice (发票) for a payment; issuing it is outside propdesk: a backend
    records the request (billing.invoices)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SENT = "sent", _("Passed to invoicing")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="invoice_requests")
    title = models.CharField(_("invoice title"), max_length=100)
    tax_number = models.CharField(_("taxpayer number"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    backend_ref = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.CharField(max_length=40, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("invoice request")
        verbose_name_plural = _("invoice requests")
        constraints = [models.UniqueConstraint(fields=["payment"], name="invoice_request_once")]

    def __str__(self):
        return self.title
