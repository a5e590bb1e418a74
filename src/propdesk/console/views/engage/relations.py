"""Public relations (公共关系, issue 15 item 6): the register of outside bodies with their contacts, the dealings
with each and their follow-ups, and the owners' committee's correspondence register (工作函件)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict
from propdesk.engage.exports import XLSX
from propdesk.engage.models import OutsideBody
from propdesk.engage.relations import selectors, services
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_engage_assembly import BodyForm, ContactForm, DealingForm, SettleForm
from ...pagination import paginate
from ..listing import list_page


@staff_view
def relations(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in OutsideBody.Kind.values else None
    form = BodyForm(request.POST or None, projects=projects_for(request.user))
    if request.method == "POST":
        if not services.can_keep(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                body = services.save_body(request.user, get_project(request.user, form.cleaned_data["project"].pk),
                                          form.data_for_service())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("console:outside_body", body_id=body.pk)
    return render(request, "console/engage/relations/register.html", {
        "bodies": selectors.bodies_for(request.user, kind)[:300], "kinds": OutsideBody.Kind.choices, "kind": kind,
        "follow_ups": selectors.follow_ups(request.user), "form": form, "can_keep": services.can_keep(request.user)})


@staff_view
def outside_body(request, body_id: int):
    body = selectors.get_body(request.user, body_id)
    forms = {"body": BodyForm(instance=body, projects=projects_for(request.user), editing=True, prefix="body"),
             "contact": ContactForm(prefix="contact"),
             "dealing": DealingForm(prefix="dealing", initial={"date": timezone.localdate()})}
    if request.method == "POST":
        if not services.can_keep(request.user):
            raise PermissionDenied
        which = request.POST.get("form")
        if which not in forms:
            return redirect("console:outside_body", body_id=body.pk)
        form = (BodyForm(request.POST, instance=selectors.get_body(request.user, body_id),
                         projects=projects_for(request.user), editing=True, prefix="body") if which == "body"
                else {"contact": ContactForm, "dealing": DealingForm}[which](request.POST, prefix=which))
        forms[which] = form
        if form.is_valid():
            try:
                if which == "body":
                    services.save_body(request.user, body.project, form.data_for_service(), body=body)
                elif which == "contact":
                    services.add_contact(request.user, body, form.cleaned_data)
                else:
                    services.record_dealing(request.user, body, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("console:outside_body", body_id=body.pk)
    return render(request, "console/engage/relations/body.html", {
        "body": body, "contacts": body.contacts.all(), "page": paginate(request, selectors.dealings_of(body)),
        "forms": forms, "settle": SettleForm(), "can_keep": services.can_keep(request.user),
        "today": timezone.localdate()})


@staff_view
@require_POST
def dealing_settle(request, dealing_id: int):
    dealing = selectors.get_dealing(request.user, dealing_id)
    form = SettleForm(request.POST)
    try:
        services.settle(request.user, dealing, form.data.get("note", ""))
    except (ValidationError, Conflict) as exc:
        messages.error(request, exc.message if isinstance(exc, Conflict) else " ".join(exc.messages))
    else:
        messages.success(request, _("Follow-up settled."))
    return redirect("console:outside_body", body_id=dealing.body_id)


@staff_view
def committee_letters(request):
    return list_page(request, "console/engage/relations/letters.html", lambda: selectors.letters(request.user))


@staff_view
def relations_export(request):
    letters_only = request.GET.get("letters") == "1"
    response = HttpResponse(selectors.register_xlsx(request.user, letters_only), content_type=XLSX)
    name = "committee-letters" if letters_only else "public-relations"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
