"""Documents in Chinese as PDF (WeasyPrint, Noto Sans CJK SC): receipts (收据) and reminder letters (催缴函)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import money
from .models import PaymentVoid, Receipt


def receipt_html(receipt: Receipt) -> str:
    project = receipt.project
    void = PaymentVoid.objects.filter(payment_id=receipt.payment_id).first()
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("billing/receipt.html", {
            "receipt": receipt, "project": project, "company": project.company.name, "void": void,
            "issued": timezone.localtime(receipt.issued_at, ZoneInfo(project.timezone)),
            "amount": money.yuan(receipt.amount), "method": receipt.get_method_display(),
        })


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy (Pango, fonts): loaded only when a document is built

    return HTML(string=html).write_pdf()


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt as printed at the desk and downloaded in the portal: number, payer, unit, what was paid,
    the amount in figures and in Chinese capitals, the method and the cashier; VOID across a voided one."""
    return to_pdf(receipt_html(receipt))


def receipt_filename(receipt: Receipt) -> str:
    return f"receipt-{receipt.code}.pdf"
