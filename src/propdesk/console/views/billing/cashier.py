"""The cash desk: a unit's fees, taking a payment, its receipt, voids, deposits, requests, the daily close."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.archive import selectors as archive_selectors
from propdesk.billing import access, arrears, corrections, paid_services, payments, pdf, selectors, standards
from propdesk.billing.models import FeeItem, Method
from propdesk.core.errors import Conflict
from propdesk.org import selectors as org_selectors

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_billing import (
    AccountForm,
    CloseForm,
    DepositForm,
    PaymentForm,
    ReleaseForm,
    RequestForm,
    VoidForm,
)
from ...pagination import paginate
from . import chosen_project


def _unit_page(request, fees, form=None, request_form=None, deposit_form=None, status=200):
    deposit_items = FeeItem.objects.filter(project_id=fees.unit.project_id, kind=FeeItem.Kind.DEPOSIT, is_active=True)
    charge_items = FeeItem.objects.filter(project_id=fees.unit.project_id, is_active=True).exclude(
        kind__in=[FeeItem.Kind.DEPOSIT, FeeItem.Kind.LATE_FEE])
    occupancies = archive_selectors.occupancies_for(request.user, unit_id=fees.unit.pk, current_only=True) \
        .select_related("customer", "tenant_pays")
    return render(request, "console/billing/unit.html", {
        "fees": fees, "unit": fees.unit, "form": form or PaymentForm(lines=fees.open_lines),
        "request_form": request_form or RequestForm(), "deposit_form": deposit_form or DepositForm(),
        "deposit_items": deposit_items, "charge_items": charge_items, "occupancies": occupancies,
        "can": {"cash": access.can(request.user, access.cashiers()), "clerk": access.can(request.user, access.clerks())},
    }, status=status)


@staff_view
def fees_card(request):
    """The fees panel of a unit's or a customer's card (loaded by the card after it shows)."""
    access.require_reader(request.user)
    unit_id, customer_id = request.GET.get("unit", ""), request.GET.get("customer", "")
    if unit_id.isdigit() and len(unit_id) < 19:
        rows = arrears.card_summary(unit=org_selectors.get_unit(request.user, int(unit_id)), today=timezone.localdate())
    elif customer_id.isdigit() and len(customer_id) < 19:
        customer = archive_selectors.get_customer(request.user, int(customer_id))
        rows = arrears.card_summary(customer=customer, today=timezone.localdate())
    else:
        raise Http404
    return render(request, "console/billing/_unit_panel.html", {"rows": rows})


@staff_view
def unit_fees(request, unit_id: int):
    return _unit_page(request, selectors.unit_fees(request.user, unit_id))


@staff_view
@require_POST
def unit_pay(request, unit_id: int):
    fees = selectors.unit_fees(request.user, unit_id)
    form = PaymentForm(request.POST, lines=fees.open_lines)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment, created = payments.take_payment(
                request.user, fees.unit, amount=data["amount"], method=data["method"], payer_name=data["payer_name"],
                line_ids=data["lines"] or None, prepay_rest=data["prepay_rest"], reference=data["reference"],
                note=data["note"], idempotency_key=data["idempotency_key"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            if created:
                messages.success(request, _("¥%(amount)s received, receipt %(code)s.") % {
                    "amount": payment.amount, "code": payment.receipt.code})
            return redirect("console:receipt", payment.receipt.pk)
    return _unit_page(request, fees, form=form, status=200)


@staff_view
def unit_fee_account(request, unit_id: int):
    fees = selectors.unit_fees(request.user, unit_id)
    form = AccountForm(request.POST or None, instance=standards.account_for(fees.unit))
    if request.method == "POST":
        if form.is_valid():
            try:
                standards.save_account(request.user, fees.unit, {k: form.cleaned_data[k] for k in standards.ACCOUNT_FIELDS})
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Fee facts of %(unit)s saved.") % {"unit": fees.unit.label})
                return redirect("console:unit_fees", fees.unit.pk)
    return render(request, "console/billing/account.html", {"form": form, "unit": fees.unit})


@staff_view
@require_POST
def tenant_pays(request, occupancy_id: int):
    occupancy = archive_selectors.get_occupancy(request.user, occupancy_id)
    try:
        standards.set_tenant_pays(request.user, occupancy, request.POST.get("pays") == "1", request.POST.get("note", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("console:unit_fees", occupancy.unit_id)


@staff_view
@require_POST
def unit_fee_request(request, unit_id: int):
    """Ask for a credit note, a waiver, an additional charge or a refund (a manager approves it)."""
    fees = selectors.unit_fees(request.user, unit_id)
    form = RequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] in ("credit", "waiver"):
                if not data["line"]:
                    raise ValidationError({"line": _("Choose a charge of this unit.")})
                line = selectors.get_line(request.user, data["line"])
                if line.unit_id != fees.unit.pk:
                    raise ValidationError({"line": _("Choose a charge of this unit.")})
                corrections.request_credit(request.user, line, amount=data["amount"], reason=data["reason"],
                                           waiver=data["kind"] == "waiver")
            elif data["kind"] == "charge":
                item = FeeItem.objects.filter(project_id=fees.unit.project_id, pk=data["fee_item"] or 0).first()
                if item is None:
                    raise ValidationError({"fee_item": _("Choose a fee item of this project.")})
                corrections.request_charge(request.user, fees.unit, fee_item=item, amount=data["amount"],
                                           reason=data["reason"])
            else:
                corrections.request_refund(request.user, fees.unit, amount=data["amount"], reason=data["reason"],
                                           method=data["method"] or "bank")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Request sent for approval."))
            return redirect("console:unit_fees", fees.unit.pk)
    return _unit_page(request, fees, request_form=form)


@staff_view
@require_POST
def unit_deposit(request, unit_id: int):
    """Demand a deposit of the unit (a parking card, a renovation done without the public-affairs desk)."""
    fees = selectors.unit_fees(request.user, unit_id)
    if not access.can(request.user, access.clerks()):
        raise PermissionDenied
    form = DepositForm(request.POST)
    if form.is_valid():
        item = FeeItem.objects.filter(project_id=fees.unit.project_id, pk=form.cleaned_data["fee_item"],
                                      kind=FeeItem.Kind.DEPOSIT).first()
        try:
            if item is None:
                raise ValidationError({"fee_item": _("Choose a deposit item of this project.")})
            corrections.demand_deposit(request.user, unit=fees.unit, fee_item=item, amount=form.cleaned_data["amount"],
                                       source="", description=form.cleaned_data["description"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("console:unit_fees", fees.unit.pk)
    return _unit_page(request, fees, deposit_form=form)


@staff_view
@require_POST
def deposit_pay(request, deposit_id: int):
    deposit = selectors.get_deposit(request.user, deposit_id)
    method = request.POST.get("method", "cash")
    try:
        payment, _created = payments.take_payment(request.user, deposit.unit, amount=deposit.amount, method=method,
                                                  deposit=deposit, idempotency_key=request.POST.get("idempotency_key"),
                                                  reference=request.POST.get("reference", ""))
    except (ValidationError, Conflict) as exc:
        messages.error(request, exc.message if isinstance(exc, Conflict) else "；".join(exc.messages))
        return redirect("console:unit_fees", deposit.unit_id)
    return redirect("console:receipt", payment.receipt.pk)


@staff_view
@require_POST
def deposit_release(request, deposit_id: int):
    deposit = selectors.get_deposit(request.user, deposit_id)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            corrections.request_release(request.user, deposit, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Request sent for approval."))
    else:
        messages.error(request, _("Enter the amount and the reason."))
    return redirect("console:unit_fees", deposit.unit_id)


# -- receipts --------------------------------------------------------------------------------

@staff_view
def receipts(request):
    project, projects = chosen_project(request)
    q = request.GET.get("q", "")[:50]
    page = paginate(request, selectors.receipts_for(request.user, project.pk if project else -1, q))
    return render(request, "console/billing/receipts.html", {"project": project, "projects": projects,
                                                              "page": page, "q": q})


@staff_view
def receipt(request, receipt_id: int):
    found = selectors.get_receipt(request.user, receipt_id)
    return render(request, "console/billing/receipt.html", {
        "receipt": found, "payment": found.payment, "void": getattr(found.payment, "void", None),
        "form": VoidForm(), "may_void": payments.may_void(request.user, found.payment)})


@staff_view
def receipt_pdf(request, receipt_id: int):
    found = selectors.get_receipt(request.user, receipt_id)
    response = HttpResponse(pdf.receipt_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.receipt_filename(found)}"'
    return response


@staff_view
@require_POST
def receipt_void(request, receipt_id: int):
    found = selectors.get_receipt(request.user, receipt_id)
    form = VoidForm(request.POST)
    form.is_valid()
    if not form.cleaned_data.get("confirm"):
        messages.error(request, _("Tick the box to confirm voiding the receipt."))
        return redirect("console:receipt", found.pk)
    try:
        payments.void_payment(request.user, found.payment, form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Receipt %(code)s voided; its number stays used.") % {"code": found.code})
    return redirect("console:receipt", found.pk)


# -- daily close -----------------------------------------------------------------------------

@staff_view
def daily_close(request):
    """The signed-in cashier's day: every payment by method; count the cash and close the day."""
    project, projects = chosen_project(request)
    access.require_reader(request.user)
    today = timezone.localdate()
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payments.close_day(request.user, project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Today's cash is closed."))
            return redirect(f"{reverse('console:daily_close')}?project={project.pk}")
    summary = payments.day_summary(project, request.user, today) if project else None
    methods = [(m, Method(m).label, t) for m, t in summary["totals"].items()] if summary else []
    return render(request, "console/billing/daily_close.html", {
        "project": project, "projects": projects, "form": form, "summary": summary, "today": today,
        "methods": methods})


# -- paid services to bill --------------------------------------------------------------------

@staff_view
def paid_services_billing(request):
    from ...forms_billing import month_or_current

    project, projects = chosen_project(request)
    month = month_or_current(request.GET.get("month"), timezone.localdate())
    kind = request.GET.get("kind") if request.GET.get("kind") in paid_services.ITEMS else "special"
    rows = paid_services.to_bill(request.user, project.pk if project else -1, month, kind)
    return render(request, "console/billing/paid_services.html", {
        "project": project, "projects": projects, "rows": rows, "month": month, "kind": kind,
        "can_bill": access.can(request.user, access.clerks())})


@staff_view
@require_POST
def paid_service_bill(request):
    from propdesk.service import selectors as service_selectors
    from propdesk.service.models import ChargeQuote

    kind, _sep, pk = request.POST.get("source", "").partition(":")
    try:
        if kind == "quote" and pk.isdigit():
            wo = service_selectors.get_work_order(request.user, ChargeQuote.objects.filter(pk=pk).values_list(
                "work_order_id", flat=True).first() or 0)
            row = wo.quote
        elif kind == "work_order" and pk.isdigit():
            row = service_selectors.get_work_order(request.user, int(pk))
        else:
            raise ValidationError(_("Choose a paid service to bill."))
        bill, created = paid_services.bill_paid_service(request.user, row)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if created:
            messages.success(request, _("Billed: %(number)s ¥%(total)s.") % {"number": bill.number, "total": bill.total})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("console:paid_services_billing")
    return redirect(back)
