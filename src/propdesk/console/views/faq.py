"""The FAQ and standard answers (标准化话术): the desk searches them on a call, staff keep them (PRODUCT.md area 6)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.knowledge import selectors, services
from propdesk.org.selectors import get_project, projects_for

from ..decorators import staff_view
from ..forms import add_service_errors
from ..forms_catalogue import FaqForm, FaqSearchForm

MAX_ROWS = 100


@staff_view
def faq_list(request):
    form = FaqSearchForm(request.GET)
    form.is_valid()
    q = form.cleaned_data.get("q", "")
    faqs = list(selectors.faqs_for_staff(request.user, q=q, category=form.cleaned_data.get("category"))[:MAX_ROWS])
    writable = {}
    rows = [(faq, writable.setdefault(faq.project_id, services.can_write(request.user, faq.project_id)))
            for faq in faqs]
    return render(request, "console/faq/list.html", {"form": form, "q": q, "faqs": faqs, "rows": rows})


def _save(request, form, faq=None):
    """Save through the service; a refusal shows on the form rather than as an error page."""
    if not form.is_valid():
        return None
    project = form.cleaned_data.get("project")
    try:
        project = get_project(request.user, project.pk) if project is not None else None
        return services.save_faq(request.user, project, form.data_for_service(), faq=faq)
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied:
        form.add_error(None, _("Only the front desk, butlers and managers of the project may change its FAQ; "
                               "an FAQ for every project only company administrators."))
    return None


@staff_view
def faq_add(request):
    projects = projects_for(request.user)
    form = FaqForm(request.POST or None, projects=projects)
    if request.method == "POST" and (faq := _save(request, form)) is not None:
        messages.success(request, _("FAQ saved."))
        return redirect(f"{reverse('console:faq')}?{urlencode({'q': faq.question[:20]})}")
    return render(request, "console/faq/form.html", {"form": form})


@staff_view
def faq_edit(request, faq_id: int):
    faq = selectors.get_faq_for_staff(request.user, faq_id)
    if not services.can_write(request.user, faq.project_id):
        raise PermissionDenied
    projects = projects_for(request.user)
    if request.method != "POST":
        return render(request, "console/faq/form.html", {
            "form": FaqForm(instance=faq, projects=projects, editing=True), "faq": faq})
    form = FaqForm(request.POST, instance=selectors.get_faq_for_staff(request.user, faq_id), projects=projects,
                   editing=True)
    if _save(request, form, faq=faq) is not None:
        messages.success(request, _("FAQ saved."))
        return redirect("console:faq")
    return render(request, "console/faq/form.html", {"form": form, "faq": faq})


@staff_view
@require_POST
def faq_publish(request, faq_id: int):
    faq = selectors.get_faq_for_staff(request.user, faq_id)
    services.set_faq_published(request.user, faq, request.POST.get("published") == "1")
    return redirect("console:faq")
