"""Reads of surveys, scoped to the staff member through propdesk.org.access or to the signed-in owner."""

from django.db.models import Count

from propdesk.org.access import get_scoped, scope

from .models import Invitation, Response, Survey


def surveys_for(user, project_id: int | None = None):
    qs = scope(Survey.objects.select_related("project"), user).annotate(
        invited=Count("invitations", distinct=True), responded=Count("invitations__response", distinct=True))
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("-created_at", "-id")


def get_survey(user, survey_id: int) -> Survey:
    return get_scoped(Survey.objects.select_related("project", "previous"), user, pk=survey_id)


def response_rate(survey: Survey) -> dict:
    """Responded / invited households, live."""
    invited = Invitation.objects.filter(survey=survey).count()
    responded = Response.objects.filter(invitation__survey=survey).count()
    return {"invited": invited, "responded": responded,
            "percent": round(100 * responded / invited, 1) if invited else 0.0}


def surveys_for_owner(owner):
    """Open and closed surveys sent to the owner's current homes, with whether each home has answered."""
    invitations = (Invitation.objects.filter(unit_id__in=owner.unit_ids)
                   .exclude(survey__status=Survey.Status.DRAFT)
                   .select_related("survey__project", "unit__building", "response")
                   .order_by("-survey__opens_at", "unit_id"))
    seen, rows = set(), []
    for invitation in invitations:
        if invitation.survey_id in seen:
            continue
        seen.add(invitation.survey_id)
        rows.append(invitation)
    return rows


def pending_for_owner(owner) -> list:
    """Surveys the owner's households may still answer and have not: the portal's notice."""
    return [i for i in surveys_for_owner(owner)
            if i.survey.is_accepting() and getattr(i, "response", None) is None]
