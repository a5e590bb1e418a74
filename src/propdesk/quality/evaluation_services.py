"""Writes of the quarterly staff evaluation: the project's manager comments on a staff member's quarter
and marks it final; a final evaluation no longer changes. Each write goes on the timeline."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import NotFound
from propdesk.core.timeline import Message
from propdesk.org.access import has_role, require_project, require_role
from propdesk.org.models import User

from .evaluation import evaluated_staff, quarter_code
from .evaluation_models import StaffEvaluation
from .periods import Period

EVALUATORS = (User.Role.PROJECT_MANAGER,)


def can_evaluate(user, evaluation: StaffEvaluation | None) -> bool:
    """For pages: whether to offer the comment form (save_evaluation decides anyway)."""
    return has_role(user, EVALUATORS) and not (evaluation and evaluation.final)


def save_evaluation(actor, project, staff_id: int, period: Period, comment: str, *,
                    finalise: bool = False) -> StaffEvaluation:
    """Set the manager's comment on `staff_id`'s quarter and, with `finalise`, mark it final.

    Only a project manager assigned to the project may write (a company administrator reads only); a
    staff member not evaluated in the project is not found; a final evaluation is refused.
    """
    require_role(actor, EVALUATORS)
    require_project(actor, project.pk)
    staff = evaluated_staff(project).filter(pk=staff_id).first()
    if staff is None:
        raise NotFound
    comment = (comment or "").strip()
    if len(comment) > 4000:
        raise ValidationError({"manager_comment": _("Keep the comment under 4000 characters.")})
    quarter = quarter_code(period)
    with transaction.atomic():
        evaluation, _created = StaffEvaluation.objects.select_for_update().get_or_create(
            project=project, staff=staff, quarter=quarter)
        if evaluation.final:
            raise ValidationError(_("This evaluation is final and can no longer be changed."))
        before = evaluation.manager_comment
        evaluation.manager_comment = comment
        changes = {"manager_comment": [before, comment]} if before != comment else {}
        if finalise:
            evaluation.final, evaluation.finalised_by, evaluation.finalised_at = True, actor, timezone.now()
            changes["final"] = [False, True]
        evaluation.save()
        text = gettext_noop("Evaluation of %(staff)s for %(quarter)s made final") if finalise else gettext_noop(
            "Evaluation of %(staff)s for %(quarter)s commented")
        timeline.record(actor, "quality.evaluation_finalised" if finalise else "quality.evaluation_commented",
                        Message(text, {"staff": staff.display_name, "quarter": quarter}),
                        subjects=[evaluation, project], changes=changes, internal=True)
    return evaluation
