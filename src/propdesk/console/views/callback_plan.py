"""The callback plan (回访计划): each staff member's daily list of callbacks and door visits, with the
outcome form per task, and the care flags of a household (PRODUCT.md area 5)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict
from propdesk.engage import selectors, services
from propdesk.org.access import ARCHIVE_EDITORS, has_role

from ..decorators import staff_view
from ..forms_engage import CareFlagForm, OutcomeForm
from ..pagination import quick_page


@staff_view
def callback_plan(request):
    today = timezone.localdate()
    page = quick_page(request, selectors.my_callbacks(request.user, today))
    return render(request, "console/engage/callback_plan.html", {
        "page": page, "today": today,
        "rows": [(task, OutcomeForm(prefix=f"t{task.pk}")) for task in page.object_list],
    })


@require_POST
@staff_view
def callback_outcome(request, task_id):
    task = selectors.get_task(request.user, task_id)
    form = OutcomeForm(request.POST, prefix=f"t{task.pk}")
    if not form.is_valid():
        messages.error(request, _error_text(form.errors.get_json_data()))
        return redirect("console:callback_plan")
    try:
        services.record_outcome(request.user, task, **form.outcome())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("console:callback_plan")
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("console:callback_plan")
    task.refresh_from_db()
    if task.created_work_order_id:
        messages.success(request, _("Outcome recorded; work order %(number)s created.") % {
            "number": task.created_work_order.number})
    else:
        messages.success(request, _("Outcome recorded."))
    return redirect("console:callback_plan")


def _error_text(errors: dict) -> str:
    return " ".join(e["message"] for field in errors.values() for e in field)


@staff_view
def customer_care(request, customer_id):
    customer = selectors.get_customer(request.user, customer_id)
    may_edit = has_role(request.user, ARCHIVE_EDITORS)
    form = CareFlagForm(initial={"since": timezone.localdate()})
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if request.POST.get("end"):
            flag = selectors.get_care_flag(request.user, _int(request.POST["end"]))
            if flag.customer_id != customer.pk:
                return redirect("console:customer_care", customer.pk)
            services.end_care_flag(request.user, flag)
            messages.success(request, _("Care flag ended."))
            return redirect("console:customer_care", customer.pk)
        form = CareFlagForm(request.POST)
        if form.is_valid():
            try:
                services.add_care_flag(request.user, customer, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Household flagged for care."))
                return redirect("console:customer_care", customer.pk)
    return render(request, "console/engage/customer_care.html", {
        "customer": customer, "flags": list(selectors.care_flags_of(customer)), "form": form,
        "may_edit": may_edit, "today": timezone.localdate(),
        "tasks": list(selectors.tasks_of_customer(customer)[:50]),
    })


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
