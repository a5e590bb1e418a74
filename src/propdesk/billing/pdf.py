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


def letter_pdf(reminder) -> bytes:
    return to_pdf(letter_html(reminder))


def letter_html(reminder) -> str:
    """The formal reminder letter (催缴函) of a ladder step: the payer, the unit, the overdue lines as of the
    day the step was taken and their total in figures and capitals; polite, with the ways to pay and to talk."""
    project = reminder.project
    lines = reminder.detail.get("lines", [])
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("billing/letter.html", {
            "reminder": reminder, "project": project.name, "company": project.company.name,
            "payer_name": reminder.payer.name if reminder.payer else reminder.unit.label,
            "unit_label": f"{project.name} {reminder.unit.label}", "oldest_due": reminder.detail.get("oldest_due", ""),
            "today": reminder.day.isoformat(), "lines": lines, "owed": f"{reminder.owed:,.2f}",
            "words": money.in_capitals(reminder.owed)})
    return html
