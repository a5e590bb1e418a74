"""A project's settings of public affairs: the handover checklist and its numbers of days (issue 13,
items 1, 2 and 6). Everyone on the project reads them; its managers change them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from propdesk.affairs import configuration, selectors
from propdesk.org.selectors import projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_affairs import AffairsSettingsForm
from ._helpers import int_param


@staff_view
def affairs_settings(request):
    projects = list(projects_for(request.user))
    wanted = int_param(request, "project")
    project = next((p for p in projects if p.pk == wanted), projects[0] if projects else None)
    current = selectors.project_settings(project) if project else None
    initial = {}
    if current:
        initial = {"project": project.pk, **{n: getattr(current.settings, n) for n in configuration.LIMITS},
                   **AffairsSettingsForm.as_text(current.checklist)}
    form = AffairsSettingsForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        project = next(p for p in projects if p.pk == form.cleaned_data["project"])
        try:
            configuration.configure(request.user, project, checklist=form.checklist(), **form.numbers())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect(f"{reverse('console:affairs_settings')}?project={project.pk}")
    return render(request, "console/affairs/settings.html", {
        "form": form, "project": project, "projects": projects, "current": current})
