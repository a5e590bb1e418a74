"""Satisfaction surveys for owners (PRODUCT.md area 5): the list in the portal, and the answer page.

The answer page is reached either signed in (/portal/surveys/<id>/, for the owner's current home) or
through the SMS link /s/<token>/ without signing in: the token is the key, a wrong one is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from propdesk.core.errors import Conflict, NotFound
from propdesk.surveys import selectors, services

from ..decorators import owner_view


@owner_view
def survey_list(request):
    return render(request, "portal/surveys.html", {"invitations": selectors.surveys_for_owner(request.owner)})


@owner_view
def survey_answer(request, survey_id: int):
    invitation = services.owner_invitation(request.owner, survey_id)
    return _answer_page(request, invitation, reverse_to=request.path)


@never_cache
def answer_by_token(request, token: str):
    try:
        invitation = services.invitation_for_token(token)
    except NotFound as exc:
        raise Http404 from exc
    return _answer_page(request, invitation, reverse_to=request.path)


def _posted(request, questions) -> dict:
    return {str(q.pk): (request.POST.getlist(f"q{q.pk}") if q.kind == "multiple" else request.POST.get(f"q{q.pk}", ""))
            for q in questions}


def _answer_page(request, invitation, reverse_to: str):
    survey = invitation.survey
    questions = list(survey.questions.all())
    previous = getattr(invitation, "response", None)
    answers = previous.answers if previous else {}
    errors = {}
    if request.method == "POST":
        answers = _posted(request, questions)
        try:
            services.answer_invitation(invitation, answers)
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect(reverse_to)
        else:
            messages.success(request, _("Thank you! Your answers are saved; you may change them until the "
                                        "survey closes."))
            return redirect(reverse_to)
    rows = [(q, answers.get(str(q.pk), [] if q.kind == "multiple" else ""), errors.get(str(q.pk))) for q in questions]
    return render(request, "portal/survey_answer.html", {
        "survey": survey, "invitation": invitation, "rows": rows, "answered": previous is not None,
        "accepting": survey.is_accepting(), "ratings": ["1", "2", "3", "4", "5"]}, status=422 if errors else 200)
