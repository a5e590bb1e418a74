"""Tax invoice requests (发票申请; issue 14, "Not in this issue": official invoices are issued outside propdesk).

An owner asks for an invoice for one of their payments from the portal; the request is recorded once per
payment and handed to the configured backend (settings.BILLING_INVOICE_BACKEND). The default backend only
records it for finance (who issue the invoice in the tax system); another backend would call an
e-invoicing service with the same `submit()`.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message

from .models import InvoiceRequest, Payment

# 统一社会信用代码 (18 characters) or an older taxpayer number (15, 17 or 20 characters)
TAX_NUMBER = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-Z]{17,18}$|^[0-9A-Z]{20}$")


@dataclass
class Submitted:
    reference: str
    status: str


class RecordingInvoiceBackend:
    """Keeps the request for finance: nothing leaves propdesk. Its reference names the request."""

    def submit(self, request: InvoiceRequest) -> Submitted:
        return Submitted(reference=f"REC-{request.pk}", status=InvoiceRequest.Status.REQUESTED)


def backend():
    return import_string(settings.BILLING_INVOICE_BACKEND)()


def request_invoice(owner, payment: Payment, *, title: str, tax_number: str = "", email: str = "") -> InvoiceRequest:
    """The owner (already scoped to the payment by owner_selectors) asks for an invoice: a title is needed,
    a taxpayer number is checked when given (companies), an email when given; once per payment."""
    title, tax_number, email = (title or "").strip()[:100], (tax_number or "").strip().upper(), (email or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Enter the invoice title (your name or your company's).")
    if tax_number and not TAX_NUMBER.match(tax_number):
        errors["tax_number"] = _("A taxpayer number has 15 to 20 letters and digits (统一社会信用代码: 18).")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address for the e-invoice.")
    if hasattr(payment, "void"):
        errors["payment"] = _("This payment was voided.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            row = InvoiceRequest.objects.create(project_id=payment.project_id, payment=payment, title=title,
                                                tax_number=tax_number, email=email, requested_by=owner.phone[:40])
            result = backend().submit(row)
            row.backend_ref, row.status = result.reference[:64], result.status
            row.save(update_fields=["backend_ref", "status"])
            timeline.record(None, "billing.invoice_requested", Message(
                gettext_noop("Invoice requested for receipt %(code)s: %(title)s"),
                {"code": payment.receipt.code, "title": title}), subjects=[payment.unit, payment.payer])
    except IntegrityError as exc:
        raise Conflict(_("An invoice was already requested for this payment."), code="invoice_requested") from exc
    return row
