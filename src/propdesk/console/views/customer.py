"""The customer card and what the desk does on it: edit, confirm, reveal the ID number."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from propdesk.archive import selectors, services
from propdesk.service import desk
from propdesk.service import selectors as service_selectors

from ..decorators import staff_view
from ..forms import CustomerForm, add_service_errors


def _card_context(request, customer_id: int, **extra) -> dict:
    card = selectors.customer_card(request.user, customer_id)
    return {
        "card": card,
        "customer": card.customer,
        "due_review": selectors.is_due_review(card.customer),
        "can_reveal": selectors.can_reveal_id(request.user),
        "can_edit": selectors.can_edit_archive(request.user),
        "history": desk.with_urgency(service_selectors.customer_history(request.user, customer_id)[:20]),
        **extra,
    }


@staff_view
def customer_detail(request, customer_id: int):
    return render(request, "console/customer_detail.html", _card_context(request, customer_id))


@staff_view
def customer_edit(request, customer_id: int):
    customer = selectors.get_customer(request.user, customer_id)
    if not selectors.can_edit_archive(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = CustomerForm(request.POST, customer=customer)
        if form.is_valid():
            try:
                changed = services.update_customer(
                    request.user, customer, form.service_data(), phones=form.phone_list()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if changed:
                    messages.success(request, _("The changes were saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("console:customer_detail", customer.pk)
    else:
        form = CustomerForm(customer=customer)
    return render(request, "console/customer_edit.html", {"customer": customer, "form": form})


@require_POST
@staff_view
def customer_confirm(request, customer_id: int):
    """The quarterly review's confirm button; goes back to the page it was pressed on."""
    customer = selectors.get_customer(request.user, customer_id)
    services.confirm_customer(request.user, customer)
    messages.success(request, _("Archive record of %(name)s confirmed.") % {"name": customer.name})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect("console:customer_detail", customer.pk)


@never_cache
@require_POST
@staff_view
def customer_reveal_id(request, customer_id: int):
    """Show the full ID number once, in this response only (never stored in the session)."""
    customer = selectors.get_customer(request.user, customer_id)
    revealed = services.reveal_id_number(request.user, customer)
    return render(request, "console/customer_detail.html",
                  _card_context(request, customer_id, revealed_id=revealed))
