"""Satisfaction surveys (满意度调查, PRODUCT.md area 5): compose, target, send, follow, read the results."""

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.archive.models import Occupancy
from propdesk.core.errors import Conflict
from propdesk.org.selectors import get_project, projects_for
from propdesk.surveys import results, selectors, services

from ..decorators import staff_view
from ..forms import add_service_errors
from ..forms_surveys import SurveyForm
from .listing import list_page


@staff_view
def survey_list(request):
    return list_page(request, "console/surveys/list.html",
                     lambda project: selectors.surveys_for(request.user, project_id=project), {"project": int},
                     can_compose=services.can_compose(request.user))


def _save(request, form, survey=None):
    if not form.is_valid():
        return None
    try:
        project = survey.project if survey else get_project(request.user, form.cleaned_data["project"].pk)
        return services.save_survey(request.user, project, form.data_for_service(),
                                    questions=form.cleaned_data["questions"], survey=survey)
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied:
        form.add_error(None, _("Only the front desk, butlers and managers of the project may compose surveys."))
    except Conflict as exc:
        form.add_error(None, exc.message)
    return None


@staff_view
def survey_add(request):
    form = SurveyForm(request.POST or None, projects=projects_for(request.user),
                      surveys=selectors.surveys_for(request.user))
    if request.method == "POST" and (survey := _save(request, form)) is not None:
        messages.success(request, _("Survey saved as a draft."))
        return redirect("console:survey", survey_id=survey.pk)
    return render(request, "console/surveys/form.html", {"form": form})


@staff_view
def survey_edit(request, survey_id: int):
    survey = selectors.get_survey(request.user, survey_id)
    if not services.can_compose(request.user):
        raise PermissionDenied
    kwargs = {"projects": projects_for(request.user), "surveys": selectors.surveys_for(request.user,
                                                                                       survey.project_id)}
    form = SurveyForm(request.POST or None, survey=survey, **kwargs)
    if request.method == "POST" and _save(request, form, survey=survey) is not None:
        messages.success(request, _("Survey saved."))
        return redirect("console:survey", survey_id=survey.pk)
    return render(request, "console/surveys/form.html", {"form": form, "survey": survey})


@staff_view
def survey_detail(request, survey_id: int):
    survey = selectors.get_survey(request.user, survey_id)
    return render(request, "console/surveys/detail.html", {
        "survey": survey, "questions": survey.questions.all(), "buildings": survey.buildings.all(),
        "roles": [Occupancy.Role(r).label for r in survey.roles if r in Occupancy.Role.values],
        "rate": selectors.response_rate(survey), "can_edit": services.can_compose(request.user),
        "can_send": services.can_send(request.user)})


@staff_view
def survey_rate(request, survey_id: int):
    """The live response rate (polled by the detail page)."""
    survey = selectors.get_survey(request.user, survey_id)
    return render(request, "console/surveys/_rate.html", {"survey": survey, "rate": selectors.response_rate(survey)})


@staff_view
def survey_send(request, survey_id: int):
    """GET: how many households the target reaches, to confirm; POST: send."""
    survey = selectors.get_survey(request.user, survey_id)
    if not services.can_send(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            invitations = services.send_survey(request.user, survey)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Survey sent to %(count)d households.") % {"count": len(invitations)})
        return redirect("console:survey", survey_id=survey.pk)
    return render(request, "console/surveys/send.html", {
        "survey": survey, "households": len(services.target_households(survey))})


@staff_view
@require_POST
def survey_close(request, survey_id: int):
    survey = selectors.get_survey(request.user, survey_id)
    try:
        services.close_survey(request.user, survey)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Survey closed."))
    return redirect("console:survey", survey_id=survey.pk)


@staff_view
def survey_results(request, survey_id: int):
    survey = selectors.get_survey(request.user, survey_id)
    rows = results.compare(survey)
    return render(request, "console/surveys/results.html", {
        "survey": survey, "rows": rows, "rate": selectors.response_rate(survey),
        "satisfied": results.overall_satisfaction(rows),
        "previous_satisfied": results.overall_satisfaction([r.previous for r in rows if r.previous]),
        "echarts": bool(finders.find("vendor/echarts.min.js"))})


@staff_view
def survey_export(request, survey_id: int):
    survey = selectors.get_survey(request.user, survey_id)
    if not services.can_compose(request.user):
        raise PermissionDenied
    response = HttpResponse(results.export_xlsx(survey),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return response
