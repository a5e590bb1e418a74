"""Published accounts and the accountants' spreadsheets: income and expense statements (entered or imported by
finance, approved and published by a manager) and the .xlsx exports of bills, payments, receipts, arrears
and the daily close (issue 14, items 7 and 9)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.billing import access, exports, statements
from propdesk.billing.models import Statement, StatementLine
from propdesk.core.errors import Conflict

from ...decorators import staff_view
from ...forms_billing import ExportForm, StatementImportForm, month_or_current
from ...pagination import paginate
from . import chosen_project

EMPTY_ROWS = 6


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _posted_lines(request) -> list[dict]:
    """The statement's rows as typed: side, category, amount, note lists of the same length."""
    sides, categories = request.POST.getlist("side"), request.POST.getlist("category")
    amounts, notes = request.POST.getlist("amount"), request.POST.getlist("line_note")
    rows = []
    for i, category in enumerate(categories[:statements.MAX_LINES + 1]):
        amount = amounts[i] if i < len(amounts) else ""
        if not category.strip() and not amount.strip():
            continue
        rows.append({"side": sides[i] if i < len(sides) else "", "category": category, "amount": amount,
                     "note": notes[i] if i < len(notes) else ""})
    return rows


@staff_view
def fee_statements(request):
    """The project's statements by month; finance starts a month's statement (with the fee income the
    ledger received as its first lines) or imports one from xlsx."""
    project, projects = chosen_project(request)
    today = timezone.localdate()
    if request.method == "POST":
        if project is None:
            raise Http404
        month = month_or_current(request.POST.get("month"), today)
        existing = Statement.objects.filter(project=project, period=month).first()
        if existing is not None:
            access.require(request.user, project.pk, access.readers())
            return redirect("console:fee_statement", existing.pk)
        lines = statements.fee_income(project, month) or [
            {"side": StatementLine.Side.INCOME, "category": _("Property fees"), "amount": "0"}]
        try:
            statement = statements.save_statement(request.user, project, month, lines)
        except (ValidationError, Conflict) as exc:
            messages.error(request, exc.message if isinstance(exc, Conflict) else "；".join(exc.messages))
            return redirect(f"{request.path}?project={project.pk}")
        return redirect("console:fee_statement", statement.pk)
    page = paginate(request, statements.statements_for(request.user, project.pk if project else -1))
    return render(request, "console/billing/statements.html", {
        "project": project, "projects": projects, "page": page, "month": today.replace(day=1),
        "import_form": StatementImportForm(initial={"month": today.replace(day=1)}),
        "can_enter": access.can(request.user, access.clerks())})


@staff_view
def fee_statement(request, statement_id: int):
    """A statement: its lines (edited while a draft), and the next step: submit, approve or send back,
    publish."""
    statement = statements.get_statement(request.user, statement_id)
    errors = []
    if request.method == "POST":
        if not access.can(request.user, access.clerks() + access.approvers()):
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "save":
                statements.save_statement(request.user, statement.project, statement.period,
                                          _posted_lines(request), request.POST.get("note", ""))
                messages.success(request, _("Statement saved."))
            elif action == "submit":
                statements.submit(request.user, statement)
                messages.success(request, _("Statement submitted for approval."))
            elif action in ("approve", "reject"):
                statements.decide(request.user, statement, approve=action == "approve",
                                  note=request.POST.get("reason", ""))
                messages.success(request, _("Decision recorded."))
            elif action == "publish":
                statements.publish(request.user, statement)
                messages.success(request, _("Statement published to the owners."))
            else:
                raise ValidationError(_("Choose what to do."))
        except ValidationError as exc:
            errors = exc.messages
        except Conflict as exc:
            errors = [exc.message]
        else:
            return redirect("console:fee_statement", statement.pk)
        statement = statements.get_statement(request.user, statement_id)
    lines = list(statement.lines.all())
    blanks = [StatementLine(side=StatementLine.Side.EXPENSE) for _i in range(EMPTY_ROWS)]
    return render(request, "console/billing/statement.html", {
        "statement": statement, "lines": lines, "rows": lines + blanks, "errors": errors,
        "totals": statements.totals(statement), "sides": StatementLine.Side.choices,
        "can": {"enter": access.can(request.user, access.clerks()),
                "approve": access.can(request.user, access.approvers()) and request.user.pk != statement.entered_by_id,
                "publish": access.can(request.user, access.approvers())}},
        status=422 if errors else 200)


@staff_view
@require_POST
def fee_statement_import(request):
    project, _projects = chosen_project(request)
    form = StatementImportForm(request.POST, request.FILES)
    if project is None or not form.is_valid():
        messages.error(request, _("Choose the month and an .xlsx file."))
        return redirect("console:fee_statements")
    try:
        statement = statements.import_statement(request.user, project, form.cleaned_data["month"],
                                                form.cleaned_data["file"], form.cleaned_data["note"])
    except ValidationError as exc:
        for message in exc.messages[:20]:
            messages.error(request, message)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Statement imported."))
        return redirect("console:fee_statement", statement.pk)
    return redirect(f"{reverse('console:fee_statements')}?project={project.pk}")


@staff_view
def fee_statement_xlsx(request, statement_id: int):
    statement = statements.get_statement(request.user, statement_id)
    return _xlsx(exports.statement_xlsx(statement), f"statement-{statement.project.code}-{statement.label}.xlsx")


@staff_view
def fee_export(request, kind: str):
    """bills (a month), payments and receipts (from … until), arrears (today), close (the signed-in
    cashier's day) of the chosen project, as .xlsx."""
    access.require_reader(request.user)
    project, _projects = chosen_project(request)
    if project is None or kind not in ("bills", "payments", "receipts", "arrears", "close"):
        raise Http404
    today = timezone.localdate()
    form = ExportForm(request.GET, today=today)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    if kind == "bills":
        month = data["month"] or today.replace(day=1)
        return _xlsx(exports.bills_xlsx(request.user, project, month), f"bills-{project.code}-{month:%Y-%m}.xlsx")
    if kind in ("payments", "receipts"):
        start, end = data["start"] or today.replace(day=1), data["end"] or today
        if end < start or (end - start).days > 366:
            raise Http404
        build = exports.payments_xlsx if kind == "payments" else exports.receipts_xlsx
        return _xlsx(build(request.user, project, start, end), f"{kind}-{project.code}-{start}-{end}.xlsx")
    if kind == "arrears":
        return _xlsx(exports.arrears_xlsx(request.user, project, today), f"arrears-{project.code}-{today}.xlsx")
    if not access.can(request.user, access.cashiers()):
        raise PermissionDenied
    day = data["day"] or today
    return _xlsx(exports.daily_close_xlsx(project, request.user, day), f"daily-close-{project.code}-{day}.xlsx")

