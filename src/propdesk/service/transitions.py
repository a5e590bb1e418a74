"""State changes of a work order: `transition(actor, wo, action, ...)` is the only way to move one.

It re-reads the row, refuses a stale version (optimistic locking: two staff acting at once cannot
lose an update), checks the action against workflow.TRANSITIONS, runs the action's own rule, stops
or pauses the limits, records the step on the timeline and tells the people concerned.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.access import require_project
from propdesk.org.models import Department, User

from . import notices, sla
from .models import Callback, SlaTimer, WorkOrder
from .services import subjects
from .workflow import ACTION_LABELS, FINAL_STATES, TRANSITIONS, A

S = WorkOrder.State

MESSAGES = {
    A.RESPOND: gettext_noop("Responded"),
    A.DISPATCH: gettext_noop("Dispatched to %(assignee)s"),
    A.START: gettext_noop("Work started"),
    A.HOLD: gettext_noop("Put on hold: %(note)s"),
    A.RESUME: gettext_noop("Resumed"),
    A.TRANSFER: gettext_noop("Transferred to %(department)s: %(note)s"),
    A.ACCEPT_TRANSFER: gettext_noop("Transfer accepted by %(department)s"),
    A.RESOLVE: gettext_noop("Resolved: %(note)s"),
    A.CONFIRM: gettext_noop("Resolution confirmed by %(who)s"),
    A.REOPEN: gettext_noop("Reopened: %(note)s"),
    A.CALLBACK: gettext_noop("Callback: %(outcome)s"),
    A.CLOSE: gettext_noop("Closed"),
    A.CANCEL: gettext_noop("Cancelled: %(note)s"),
    A.MERGE: gettext_noop("Merged into %(parent)s as a duplicate"),
}


def state_label(state: str) -> str:
    return str(dict(WorkOrder.State.choices).get(state, state))


def transition(actor, wo: WorkOrder, action: str, *, version: int | None = None, note: str = "",
               at=None, **params) -> WorkOrder:
    """Apply `action` to the work order. Raises Conflict (HTTP 409) when the action is not allowed in
    the current state or the work order changed since `version` was read; ValidationError when the
    action's own rule is not met. Returns the updated work order.

    `at` is when it happened, for steps recorded afterwards (imports, demo data); default now.
    """
    require_project(actor, wo.project_id)
    return apply_transition(actor, wo, action, version=version, note=note, at=at, **params)


def apply_transition(actor, wo: WorkOrder, action: str, *, version: int | None = None, note: str = "",
                     at=None, summary: Message | None = None, **params) -> WorkOrder:
    """transition() without the staff member's project check, for an actor who is not staff.

    Only the service layer calls it: owner_actions passes actor=None for the owner's own confirm and
    reopen (after checking the work order is theirs) and its own `summary` naming the owner. The
    table, the optimistic lock, the timers, the timeline and the notices are the same as for staff.
    """
    expected = wo.version if version is None else version
    with transaction.atomic():
        current = WorkOrder.objects.select_related("project", "unit__building", "requester").get(pk=wo.pk)
        if current.version != expected:
            raise _stale(current.number, current.state)
        allowed = TRANSITIONS.get(current.state, {})
        if action not in allowed:
            raise Conflict(_("“%(action)s” is not possible while work order %(number)s is %(state)s.") % {
                "action": ACTION_LABELS.get(action, action), "number": current.number, "state": state_label(current.state)},
                code="not_allowed", state=current.state)
        # Claim the row first: a concurrent writer blocks here and then finds the version moved on.
        claimed = WorkOrder.objects.filter(pk=current.pk, version=expected).update(version=expected + 1)
        if not claimed:
            now_state = WorkOrder.objects.filter(pk=current.pk).values_list("state", flat=True).first()
            raise _stale(current.number, now_state or current.state)
        now = at or timezone.now()
        before = current.state
        if current.first_receiver_id is None and actor is not None:
            # A portal report is received by nobody: the first staff member to act on it owns it (首问负责制).
            current.first_receiver = actor
        timers = list(current.timers.all())
        params_for_message = HANDLERS[action](actor, current, timers, now, note.strip(), **params) or {}
        next_state = allowed[action] or current.held_from
        if action == A.CALLBACK and not params.get("reached", True):
            next_state = current.state  # an unanswered call changes nothing but is recorded
        current.state = next_state
        if action == A.RESUME:
            current.held_from = ""
        current.next_due_at = sla.next_due(timers)
        current.version = expected + 1
        current.save()
        for t in timers:
            if t.pk:
                t.save()
            else:
                t.save(force_insert=True)
        summary = summary or Message(MESSAGES[action], {"note": note.strip(), **params_for_message})
        timeline.record(actor, f"service.{action}", summary, subjects=subjects(current),
                        changes={"state": [before, next_state]}, at=now)
        notices.after_transition(current, action, actor)
    return current


def _stale(number: str, state: str) -> Conflict:
    return Conflict(_("Someone else changed work order %(number)s first (now %(state)s). Reload it "
                      "and try again.") % {"number": number, "state": state_label(state)},
                    code="stale", state=state)


def _mark_responded(wo, timers, now):
    if wo.responded_at is None:
        wo.responded_at = now
    respond = sla.timer_of(timers, SlaTimer.Kind.RESPOND)
    if respond:
        sla.stop(respond, now)


def _need_note(note, message):
    if not note:
        raise ValidationError({"note": message})


def _respond(actor, wo, timers, now, note, **_params):
    if wo.responded_at is not None and wo.state == S.DISPATCHED:
        raise Conflict(_("Work order %(number)s was already responded to.") % {"number": wo.number},
                       state=wo.state)
    _mark_responded(wo, timers, now)


def _staff_of(project_id, user_id):
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not (user.is_company_admin or user.projects.filter(pk=project_id).exists()):
        raise ValidationError({"assignee": _("Choose a staff member of this project.")})
    return user


def _department_of(project_id, department_id):
    department = Department.objects.filter(pk=department_id, project_id=project_id).first()
    if department is None:
        raise ValidationError({"department": _("Choose a department of this project.")})
    return department


def _dispatch(actor, wo, timers, now, note, assignee=None, department=None, **_params):
    if assignee is None and department is None:
        raise ValidationError({"assignee": _("Choose who will do the work.")})
    if assignee is not None:
        wo.assignee = _staff_of(wo.project_id, getattr(assignee, "pk", assignee))
        if department is None:
            department = wo.assignee.departments.filter(project_id=wo.project_id).first()
    if department is not None:
        wo.department = _department_of(wo.project_id, getattr(department, "pk", department))
    return {"assignee": wo.assignee.display_name if wo.assignee else str(wo.department)}


def _start(actor, wo, timers, now, note, **_params):
    if wo.assignee_id is None:
        wo.assignee = actor
    quote = getattr(wo, "quote", None) if wo.is_chargeable else None
    if wo.is_chargeable and (quote is None or not quote.consented):
        raise ValidationError(_("Chargeable work cannot start before the owner has consented to the fee."))
    _mark_responded(wo, timers, now)


def _hold(actor, wo, timers, now, note, **_params):
    _need_note(note, _("Say what the work order is waiting for."))
    wo.held_from = wo.state
    for t in timers:
        sla.pause(t, now)


def _resume(actor, wo, timers, now, note, **_params):
    for t in timers:
        sla.resume(t, now)
    wo.held_from = wo.held_from or S.RECEIVED


def _running_transfer(timers):
    return next((t for t in timers if t.kind == SlaTimer.Kind.TRANSFER and t.stopped_at is None), None)


def _transfer(actor, wo, timers, now, note, department=None, **_params):
    """Another department must answer within the project's limit (3 days by default)."""
    _need_note(note, _("Say why it goes to another department."))
    if department is None:
        raise ValidationError({"department": _("Choose the department it goes to.")})
    target = _department_of(wo.project_id, getattr(department, "pk", department))
    if target.pk == wo.department_id:
        raise ValidationError({"department": _("It is already with this department.")})
    wo.department, wo.assignee = target, None
    earlier = _running_transfer(timers)
    if earlier:
        sla.stop(earlier, now)
    policy = sla.policy_for(wo.project)
    timers.append(sla.new_timer(wo, SlaTimer.Kind.TRANSFER, now, timedelta(days=policy.transfer_answer_days),
                                policy.warn_at_percent))
    return {"department": target.name}


def _accept_transfer(actor, wo, timers, now, note, assignee=None, **_params):
    timer = _running_transfer(timers)
    if timer:
        sla.stop(timer, now)
    wo.assignee = _staff_of(wo.project_id, getattr(assignee, "pk", assignee)) if assignee else actor
    return {"department": str(wo.department or "")}


def _resolve(actor, wo, timers, now, note, late_explanation="", **_params):
    _need_note(note, _("Say how it was resolved."))
    resolve = sla.timer_of(timers, SlaTimer.Kind.RESOLVE)
    if resolve and resolve.stopped_at is None:
        sla.stop(resolve, now)
        if now > resolve.due_at:
            if not (late_explanation or "").strip():
                raise ValidationError({"late_explanation": _(
                    "This complaint is resolved after its limit: record the explanation given to the owner.")})
            wo.late_explanation = late_explanation.strip()
    _mark_responded(wo, timers, now)
    wo.resolved_at, wo.resolution = now, note


def _confirm(actor, wo, timers, now, note, who="", **_params):
    wo.confirmed_at = now
    return {"who": who or (wo.requester.name if wo.requester_id else _("the owner"))}


def _reopen(actor, wo, timers, now, note, **_params):
    _need_note(note, _("Say what is still wrong."))
    wo.resolved_at = wo.confirmed_at = wo.called_back_at = None
    resolve = sla.timer_of(timers, SlaTimer.Kind.RESOLVE)
    if resolve:  # judged on its final resolution: the original limit runs again
        resolve.stopped_at = None


def _callback(actor, wo, timers, now, note, rating=None, reached=True, **_params):
    if reached and rating is None:
        raise ValidationError({"rating": _("Record the owner's rating from 1 to 5.")})
    if rating is not None and not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("The rating is from 1 to 5.")})
    Callback.objects.create(work_order=wo, by=actor, at=now, reached=reached, rating=rating, comment=note)
    if not reached:
        return {"outcome": _("not reached")}
    wo.called_back_at = now
    if rating is not None and int(rating) <= 2:
        wo.needs_manager_attention = True
    return {"outcome": _("rating %(rating)s") % {"rating": rating}}


def _close(actor, wo, timers, now, note, **_params):
    if wo.is_complaint and wo.called_back_at is None:
        raise ValidationError(_("A complaint is closed only after the callback."))
    wo.closed_at = now
    for t in timers:
        sla.stop(t, now)


def _cancel(actor, wo, timers, now, note, **_params):
    _need_note(note, _("Say why it is cancelled."))
    for t in timers:
        sla.stop(t, now)


def _merge(actor, wo, timers, now, note, parent=None, **_params):
    parent_id = getattr(parent, "pk", parent)
    target = WorkOrder.objects.filter(pk=parent_id, project_id=wo.project_id).first() if parent_id else None
    if target is None or target.pk == wo.pk:
        raise ValidationError({"parent": _("Choose another work order of this project to merge into.")})
    if target.state in FINAL_STATES or target.parent_id:
        raise ValidationError({"parent": _("That work order is closed or itself a duplicate.")})
    wo.parent = target
    for t in timers:
        sla.stop(t, now)
    timeline.record(actor, "service.duplicate_merged", Message(
        gettext_noop("Duplicate %(number)s merged into this work order"), {"number": wo.number}),
        subjects=[target])
    return {"parent": target.number}


HANDLERS = {
    A.RESPOND: _respond, A.DISPATCH: _dispatch, A.START: _start, A.HOLD: _hold, A.RESUME: _resume,
    A.TRANSFER: _transfer, A.ACCEPT_TRANSFER: _accept_transfer, A.RESOLVE: _resolve, A.CONFIRM: _confirm,
    A.REOPEN: _reopen, A.CALLBACK: _callback, A.CLOSE: _close, A.CANCEL: _cancel, A.MERGE: _merge,
}
