"""The owner's fees (issue 14, item 6): bills and their lines, paying online, receipts, prepayment, the
published fee standards and statements, the payment history. What an owner sees comes from
billing.owner_selectors; paying goes through billing.online."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.billing import exports, invoices, online, owner_selectors, pdf, statements
from propdesk.billing.models import PaymentIntent
from propdesk.billing.providers import BadNotification, LocalProvider
from propdesk.core.errors import Conflict, NotFound

from ..decorators import owner_view

PAGE_SIZE = 20


@owner_view
def fees(request):
    page = Paginator(owner_selectors.bills(request.owner), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = owner_selectors.bill_list(request.owner, page.object_list)
    return render(request, "portal/billing/fees.html", {"homes": owner_selectors.homes(request.owner), "page": page})


@owner_view
def fee_bill(request, bill_id: int):
    bill = owner_selectors.get_bill(request.owner, bill_id)
    return render(request, "portal/billing/bill.html", {"bill": bill, "open": [x for x in bill.lines.all() if x.outstanding]})


@owner_view
@require_POST
def fee_pay(request):
    """Pay the chosen open charges of a home (all of them when none is chosen) through the provider."""
    try:
        intent = online.start(request.owner, unit_id=request.POST.get("unit", ""),
                              line_ids=request.POST.getlist("lines") or None)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("portal:fees")
    except NotFound:
        messages.error(request, _("Choose one of your homes."))
        return redirect("portal:fees")
    return redirect(online.redirect_url(intent))


@owner_view
def fee_prepay(request):
    homes = request.owner.occupancies
    if request.method == "POST":
        try:
            intent = online.start(request.owner, unit_id=request.POST.get("unit", ""),
                                  prepay=request.POST.get("amount", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except NotFound:
            messages.error(request, _("Choose one of your homes."))
        else:
            return redirect(online.redirect_url(intent))
    return render(request, "portal/billing/prepay.html", {"homes": homes, "amount": request.POST.get("amount", "")})


def _own_intent(request, out_trade_no: str) -> PaymentIntent:
    intent = PaymentIntent.objects.filter(out_trade_no=out_trade_no, phone=request.owner.phone,
                                          unit_id__in=request.owner.unit_ids).select_related("unit__project").first()
    if intent is None:
        raise Http404
    return intent


@owner_view
def pay_local(request, out_trade_no: str):
    """The local provider's cashier page (the redirect): the owner confirms or cancels. On "pay" the
    provider sends its signed notification, exactly as over HTTP, and the owner returns to the portal."""
    intent = _own_intent(request, out_trade_no)
    if request.method == "POST":
        if request.POST.get("action") == "pay" and intent.status == PaymentIntent.Status.CREATED:
            local = LocalProvider()
            _path, headers, body = local.request_for(local.notification_for(intent))
            try:
                online.handle_notification(local.code, body, headers)
            except BadNotification:
                messages.error(request, _("The payment could not be confirmed; nothing was charged."))
            else:
                messages.success(request, _("Paid ¥%(amount)s. Your receipt is ready.") % {"amount": intent.amount})
        elif request.POST.get("action") == "cancel":
            online.cancel(request.owner, intent)
            messages.error(request, _("Payment cancelled; nothing was charged."))
        return redirect("portal:fees")
    return render(request, "portal/billing/pay_local.html", {"intent": intent})


@owner_view
def fee_receipts(request):
    receipts = owner_selectors.receipts(request.owner).prefetch_related("payment__invoice_requests")
    page = Paginator(receipts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/billing/receipts.html", {"page": page})


@owner_view
def fee_receipt_pdf(request, receipt_id: int):
    receipt = owner_selectors.get_receipt(request.owner, receipt_id)
    response = HttpResponse(pdf.receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.receipt_filename(receipt)}"'
    return response


@owner_view
def fee_history(request):
    page = Paginator(owner_selectors.payments(request.owner), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/billing/history.html", {"page": page})


@owner_view
def fee_standards(request):
    groups = {}
    for standard in owner_selectors.standards(request.owner):
        groups.setdefault(standard.fee_item.project, {}).setdefault(standard.fee_item, []).append(standard)
    return render(request, "portal/billing/standards.html", {
        "groups": [(project, list(items.items())) for project, items in groups.items()]})


@owner_view
def fee_statements(request):
    """The income and expense statements published to the owner's projects (Civil Code art. 943)."""
    page = Paginator(owner_selectors.statements(request.owner), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/billing/statements.html", {"page": page})


@owner_view
def fee_statement(request, statement_id: int):
    statement = owner_selectors.get_statement(request.owner, statement_id)
    return render(request, "portal/billing/statement.html", {
        "statement": statement, "lines": list(statement.lines.all()), "totals": statements.totals(statement)})


@owner_view
def fee_statement_xlsx(request, statement_id: int):
    statement = owner_selectors.get_statement(request.owner, statement_id)
    response = HttpResponse(exports.statement_xlsx(statement), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="statement-{statement.label}.xlsx"'
    return response


@owner_view
@require_POST
def fee_invoice(request, receipt_id: int):
    """Ask for a tax invoice for the payment of one of my receipts (recorded for finance, once)."""
    receipt = owner_selectors.get_receipt(request.owner, receipt_id)
    try:
        invoices.request_invoice(request.owner, receipt.payment, title=request.POST.get("title", ""),
                                 tax_number=request.POST.get("tax_number", ""), email=request.POST.get("email", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invoice request recorded: finance will issue it and tell you."))
    return redirect("portal:fee_receipts")
