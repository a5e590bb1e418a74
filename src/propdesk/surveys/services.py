"""Every write of satisfaction surveys (PRODUCT.md area 5): compose, send, answer, close.

Staff of the project compose a draft (editors of the archive), managers send and close it. Sending
creates one Invitation per targeted household (a unit with a current occupancy of the chosen roles
whose customer matches the segmentation filter) in one bulk insert, and texts each household a link
/s/<token>/. Owners answer through that token (or signed in to the portal); one answer per household,
edited by answering again until the survey closes.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Customer, CustomerPhone, Occupancy
from propdesk.core import timeline
from propdesk.core.errors import Conflict, NotFound
from propdesk.core.sensitive import SECRET_SHOWN, Secret
from propdesk.core.timeline import Message
from propdesk.notify.services import Contact, notify
from propdesk.org.access import ARCHIVE_EDITORS, MANAGERS, has_role, require_project, require_role

from .models import Invitation, Question, Response, Survey, token_digest

Kind = Question.Kind
ROLE_PREFERENCE = [Occupancy.Role.OWNER, Occupancy.Role.TENANT, Occupancy.Role.MEMBER]
SEGMENT_KEYS = ("customer_type", "income_band", "gender", "age_min", "age_max")
MAX_TEXT = 2000


def can_compose(user) -> bool:
    """For pages: whether to offer composing, editing and exporting surveys (the services decide anyway)."""
    return has_role(user, ARCHIVE_EDITORS)


def can_send(user) -> bool:
    """For pages: whether to offer sending and closing surveys (the services decide anyway)."""
    return has_role(user, MANAGERS)


def _require_draft(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise Conflict(_("Only a draft survey can be changed."), state=survey.status)


def clean_segment(segment: dict) -> dict:
    """Keep the known keys with a value; ages as whole numbers."""
    out = {}
    for key in SEGMENT_KEYS:
        value = (segment or {}).get(key)
        if value in (None, "", []):
            continue
        if key.startswith("age_"):
            try:
                value = int(value)
            except (TypeError, ValueError) as exc:
                raise ValidationError({key: _("Enter a whole number.")}) from exc
        out[key] = value
    return out


def save_survey(actor, project, data: dict, questions: list[dict] | None = None, survey: Survey | None = None):
    """Create a draft (survey=None) or change one; `questions` (kind, text, choices, required) replace the old."""
    if survey is None:
        require_project(actor, project.pk)
        survey = Survey(project=project, created_by=actor)
    else:
        require_project(actor, survey.project_id)
        _require_draft(survey)
    require_role(actor, ARCHIVE_EDITORS)
    for field in ("title", "intro", "closes_at", "roles"):
        if field in data:
            setattr(survey, field, data[field].strip() if isinstance(data[field], str) else data[field])
    if "segment" in data:
        survey.segment = clean_segment(data["segment"])
    survey.roles = [r for r in (survey.roles or []) if r in Occupancy.Role.values] or [Occupancy.Role.OWNER]
    previous = data.get("previous")
    if previous is not None and (previous.project_id != survey.project_id or previous.pk == survey.pk):
        raise ValidationError({"previous": _("The previous survey must be another survey of the same project.")})
    if "previous" in data:
        survey.previous = previous
    buildings = data.get("buildings")
    if buildings is not None and any(b.project_id != survey.project_id for b in buildings):
        raise ValidationError({"buildings": _("Choose buildings of the survey's project.")})
    rows = [_clean_question(q, i) for i, q in enumerate(questions or [], start=1)] if questions is not None else None
    survey.full_clean(exclude=["created_by", "previous", "buildings"])
    created = survey.pk is None
    with transaction.atomic():
        survey.save()
        if buildings is not None:
            survey.buildings.set(buildings)
        if rows is not None:
            survey.questions.all().delete()
            Question.objects.bulk_create([Question(survey=survey, **row) for row in rows])
        summary = gettext_noop("Survey drafted: %(title)s") if created else gettext_noop("Survey changed: %(title)s")
        timeline.record(actor, "surveys.saved", Message(summary, {"title": survey.title}), subjects=[survey.project])
    return survey


def _clean_question(q: dict, order: int) -> dict:
    kind, text = q.get("kind"), (q.get("text") or "").strip()
    choices = [str(c).strip() for c in q.get("choices") or [] if str(c).strip()]
    if kind not in Kind.values:
        raise ValidationError({"questions": _("Question %(n)d: unknown kind.") % {"n": order}})
    if not text:
        raise ValidationError({"questions": _("Question %(n)d: the question is empty.") % {"n": order}})
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        if len(set(choices)) < 2 or len(set(choices)) != len(choices):
            raise ValidationError({"questions": _("Question %(n)d: give at least two different choices.")
                                   % {"n": order}})
    else:
        choices = []
    required = q.get("required", kind in (Kind.RATING, Kind.SINGLE))  # choosing none is an answer too
    return {"order": order, "kind": kind, "text": text[:300], "choices": choices, "required": bool(required)}


# -- targeting and sending -----------------------------------------------------------------------


def target_occupancies(survey: Survey):
    """Current occupancies in the survey's target (buildings, roles, segmentation filter)."""
    today = timezone.localdate()
    qs = Occupancy.objects.filter(unit__project_id=survey.project_id,
                                  role__in=survey.roles or ROLE_PREFERENCE).current(today)
    building_ids = list(survey.buildings.values_list("pk", flat=True)) if survey.pk else []
    if building_ids:
        qs = qs.filter(unit__building_id__in=building_ids)
    seg = survey.segment or {}
    for key in ("customer_type", "income_band", "gender"):
        if seg.get(key):
            values = seg[key] if isinstance(seg[key], list) else [seg[key]]
            qs = qs.filter(**{f"customer__{key}__in": values})
    if seg.get("age_min") is not None:  # born on or before today minus age_min years
        qs = qs.filter(customer__birth_date__lte=_years_ago(today, int(seg["age_min"])))
    if seg.get("age_max") is not None:  # not yet age_max + 1
        qs = qs.filter(customer__birth_date__gt=_years_ago(today, int(seg["age_max"]) + 1))
    return qs


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def target_households(survey: Survey) -> dict[int, int]:
    """{unit id: customer id} — one customer per household, owners before tenants before members."""
    rank = {role: i for i, role in enumerate(ROLE_PREFERENCE)}
    chosen: dict[int, tuple] = {}
    for unit_id, customer_id, role in target_occupancies(survey).values_list("unit_id", "customer_id", "role"):
        key = (rank.get(role, 9), customer_id)
        if unit_id not in chosen or key < chosen[unit_id]:
            chosen[unit_id] = key
    return {unit_id: key[1] for unit_id, key in chosen.items()}


def send_survey(actor, survey: Survey) -> list[Invitation]:
    """Open the survey and invite every targeted household; returns the invitations (with `.token`)."""
    require_project(actor, survey.project_id)
    require_role(actor, MANAGERS)
    _require_draft(survey)
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before sending."))
    households = target_households(survey)
    if not households:
        raise ValidationError(_("No household matches the target."))
    now = timezone.now()
    if survey.closes_at is not None and survey.closes_at <= now:
        raise ValidationError({"closes_at": _("The closing time has passed.")})
    tokens = {unit_id: secrets.token_urlsafe(24) for unit_id in households}
    names = dict(Customer.objects.filter(pk__in=households.values()).values_list("pk", "name"))
    phones: dict[int, str] = {}
    for customer_id, number in (CustomerPhone.objects.filter(customer_id__in=households.values())
                                .order_by("id").values_list("customer_id", "number")):
        phones.setdefault(customer_id, number)
    with transaction.atomic():
        claimed = Survey.objects.filter(pk=survey.pk, status=Survey.Status.DRAFT).update(
            status=Survey.Status.OPEN, opens_at=now)
        if not claimed:
            raise Conflict(_("Only a draft survey can be changed."), state=survey.status)
        survey.status, survey.opens_at = Survey.Status.OPEN, now
        invitations = Invitation.objects.bulk_create([
            Invitation(survey=survey, unit_id=unit_id, customer_id=customer_id, digest=token_digest(tokens[unit_id]),
                       sent_at=now) for unit_id, customer_id in sorted(households.items())])
        body = gettext_noop("%(project)s invites you to a satisfaction survey \"%(title)s\": %(link)s")
        for invitation in invitations:
            invitation.token = tokens[invitation.unit_id]
            phone = phones.get(invitation.customer_id)
            if not phone:
                continue
            base = f"{settings.NOTIFY_SITE_URL.rstrip('/')}/s/"
            link = Secret(f"{base}{invitation.token}/", shown=f"{base}{SECRET_SHOWN}/")  # the token: delivery only
            message = Message(body, {"project": survey.project.name, "title": survey.title, "link": link})
            notify(project=survey.project_id, event="surveys.invitation", subject=message, body=message,
                   customers=[Contact(customer_id=invitation.customer_id, name=names.get(invitation.customer_id, ""),
                                      phone=phone)])
        timeline.record(actor, "surveys.sent", Message(gettext_noop("Survey sent to %(count)d households: %(title)s"),
                                                       {"count": len(invitations), "title": survey.title}),
                        subjects=[survey.project])
    return invitations


def close_survey(actor, survey: Survey) -> Survey:
    require_project(actor, survey.project_id)
    require_role(actor, MANAGERS)
    with transaction.atomic():
        if not Survey.objects.filter(pk=survey.pk, status=Survey.Status.OPEN).update(
                status=Survey.Status.CLOSED, closes_at=timezone.now()):
            raise Conflict(_("Only an open survey can be closed."), state=survey.status)
        survey.refresh_from_db()
        timeline.record(actor, "surveys.closed", Message(gettext_noop("Survey closed: %(title)s"),
                                                         {"title": survey.title}), subjects=[survey.project])
    return survey


# -- answering -----------------------------------------------------------------------------------


def invitation_for_token(token: str) -> Invitation:
    """The invitation a token opens, or NotFound (a wrong token says nothing more)."""
    invitation = (Invitation.objects.select_related("survey__project", "unit__building")
                  .filter(digest=token_digest(token)).first())
    if invitation is None or invitation.survey.status == Survey.Status.DRAFT:
        raise NotFound
    return invitation


def clean_answers(questions, raw: dict) -> dict:
    """Validate {question id: value} per kind; returns the answers to store, keyed by str(question id)."""
    errors, out = {}, {}
    for q in questions:
        value = raw.get(str(q.pk), raw.get(q.pk))
        if q.kind == Kind.MULTIPLE:
            value = [v for v in (value if isinstance(value, list | tuple) else [value] if value else []) if v != ""]
        elif isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            if q.required:
                errors[str(q.pk)] = _("Please answer this question.")
            continue
        if q.kind == Kind.RATING:
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = 0
            if not 1 <= value <= 5:
                errors[str(q.pk)] = _("Choose a rating from 1 to 5.")
        elif q.kind == Kind.SINGLE and value not in q.choices:
            errors[str(q.pk)] = _("Choose one of the answers offered.")
        elif q.kind == Kind.MULTIPLE:
            if any(v not in q.choices for v in value) or len(set(value)) != len(value):
                errors[str(q.pk)] = _("Choose among the answers offered.")
        elif q.kind == Kind.TEXT:
            value = str(value)[:MAX_TEXT]
        out[str(q.pk)] = value
    if errors:
        raise ValidationError(errors)
    return out


def answer_invitation(invitation: Invitation, raw: dict) -> Response:
    """Store or replace the household's answers while the survey accepts them."""
    survey = invitation.survey
    if not survey.is_accepting():
        raise Conflict(_("This survey is closed; answers can no longer be given or changed."), state="closed")
    answers = clean_answers(list(survey.questions.all()), raw)
    now = timezone.now()
    for _attempt in range(2):  # two submits at once: the loser of the insert updates instead
        try:
            with transaction.atomic():
                locked = Survey.objects.select_for_update().get(pk=survey.pk)
                if not locked.is_accepting(now):
                    raise Conflict(_("This survey is closed; answers can no longer be given or changed."),
                                   state="closed")
                updated = Response.objects.filter(invitation=invitation).update(answers=answers, updated_at=now)
                if not updated:
                    Response.objects.create(invitation=invitation, answers=answers, submitted_at=now, updated_at=now)
            return Response.objects.get(invitation=invitation)
        except IntegrityError:
            continue
    raise Conflict(_("Please try again."))


def answer(token: str, raw: dict) -> Response:
    """Answer through the token of the SMS link: the token is the key, no sign-in."""
    return answer_invitation(invitation_for_token(token), raw)


def owner_invitation(owner, survey_id: int) -> Invitation:
    """The invitation of a signed-in owner's current home for a survey, or NotFound."""
    invitation = (Invitation.objects.select_related("survey__project", "unit__building")
                  .filter(survey_id=survey_id, unit_id__in=owner.unit_ids)
                  .exclude(survey__status=Survey.Status.DRAFT).order_by("unit_id").first())
    if invitation is None:
        raise NotFound
    return invitation
