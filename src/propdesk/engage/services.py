"""Writes of the callback plan: outcomes of callbacks and door visits, care flags.

Every function checks the actor's project and role, validates, writes in one transaction and
records the timeline on the customer's card. Planning itself is in planning.py.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Customer
from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.access import ARCHIVE_EDITORS, has_role, require_project, require_role
from propdesk.org.models import User
from propdesk.service import services as service_services
from propdesk.service import transitions
from propdesk.service.models import WorkOrder
from propdesk.service.workflow import Action, allowed_actions

from .models import CallbackTask, CareFlag, Channel
from .planning import plan_callbacks, rules_for

__all__ = ["plan_callbacks", "rules_for", "record_outcome", "add_care_flag", "end_care_flag", "CALLERS"]

# Who makes callbacks: they see and may record the unassigned tasks of their projects.
CALLERS = (User.Role.FRONT_DESK, User.Role.BUTLER, User.Role.PROJECT_MANAGER, User.Role.COMPANY_ADMIN)

OUTCOME_MESSAGES = {
    (Channel.PHONE, True): gettext_noop("Callback made: reached"),
    (Channel.PHONE, False): gettext_noop("Callback attempted: not reached"),
    (Channel.DOOR_VISIT, True): gettext_noop("Door visit made: met the household"),
    (Channel.DOOR_VISIT, False): gettext_noop("Door visit attempted: nobody at home"),
}


def may_record(user, task: CallbackTask) -> bool:
    return task.assignee_id == user.pk or has_role(user, CALLERS)


def record_outcome(actor, task: CallbackTask, *, reached: bool, rating: int | None = None, comment: str = "",
                   create_work_order: bool = False, kind: str = WorkOrder.Kind.INQUIRY,
                   description: str = "") -> CallbackTask:
    """Record how a callback or door visit went; optionally open a work order from it in one step.

    A task planned for a work order also records that work order's callback (transition "callback"),
    so the desk's figures and the callback on the work order agree. Raises Conflict when the task
    was already recorded, ValidationError for a bad rating or a work order without a description.
    """
    require_project(actor, task.project_id)
    if not may_record(actor, task):
        raise PermissionDenied
    comment = (comment or "").strip()
    errors = {}
    if rating in ("", None):
        rating = None
    elif not str(rating).isdigit() or not 1 <= int(rating) <= 5:
        errors["rating"] = _("The rating is from 1 to 5.")
    if create_work_order and not (description or "").strip():
        errors["description"] = _("Describe what the work order is about.")
    if errors:
        raise ValidationError(errors)
    rating = int(rating) if rating is not None else None
    now = timezone.now()
    with transaction.atomic():
        claimed = CallbackTask.objects.filter(pk=task.pk, status=CallbackTask.Status.OPEN).update(
            status=CallbackTask.Status.DONE, reached=reached, rating=rating, comment=comment, done_at=now,
            done_by=actor)
        if not claimed:
            raise Conflict(_("This callback was already recorded."), code="done")
        task.refresh_from_db()
        recorded_on_work_order = _record_work_order_callback(actor, task, reached, rating, comment)
        if create_work_order:
            task.created_work_order = _open_work_order(actor, task, kind, description)
            task.save(update_fields=["created_work_order"])
        if not recorded_on_work_order:
            timeline.record(actor, f"engage.{task.kind}", Message(OUTCOME_MESSAGES[(task.channel, bool(reached))],
                                                                 {"comment": comment, "rating": rating}),
                            subjects=[task.customer, task.unit], at=now)
    return task


def _record_work_order_callback(actor, task, reached, rating, comment) -> bool:
    if not task.work_order_id:
        return False
    wo = WorkOrder.objects.get(pk=task.work_order_id)
    if wo.called_back_at is not None or Action.CALLBACK not in allowed_actions(wo.state):
        return False
    transitions.transition(actor, wo, Action.CALLBACK, note=comment, rating=rating, reached=reached)
    return True


def _open_work_order(actor, task, kind, description) -> WorkOrder:
    channel = WorkOrder.Channel.DOOR_VISIT if task.channel == Channel.DOOR_VISIT else WorkOrder.Channel.HOTLINE
    source = task.work_order
    wo, _created = service_services.create_work_order(
        actor, project=task.project, kind=kind, channel=channel, description=description, unit=task.unit,
        requester=task.customer,
        contact_name=source.contact_name if source and not task.customer_id else "",
        contact_phone=source.contact_phone if source else "")
    return wo


def add_care_flag(actor, customer: Customer, *, reason: str, note: str = "", since: dt.date | None = None,
                  until: dt.date | None = None) -> CareFlag:
    """Flag a household for particular care: it then gets a door visit every quarter."""
    require_project(actor, customer.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    flag = CareFlag(customer=customer, reason=reason, note=(note or "").strip(),
                    since=since or timezone.localdate(), until=until, created_by=actor)
    flag.full_clean(exclude=["customer", "created_by"])
    if flag.until is not None and flag.until < flag.since:
        raise ValidationError({"until": _("The end date is before the start date.")})
    with transaction.atomic():
        flag.save()
        timeline.record(actor, "engage.care_flagged", Message(
            gettext_noop("Flagged for care: %(note)s"), {"note": flag.note or flag.reason}), subjects=[customer])
    return flag


def end_care_flag(actor, flag: CareFlag, until: dt.date | None = None) -> CareFlag:
    """End a care flag (from `until`, default today); its quarterly visits stop being planned."""
    customer = flag.customer
    require_project(actor, customer.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    until = until or timezone.localdate()
    with transaction.atomic():
        flag.until = max(until, flag.since)
        flag.save(update_fields=["until"])
        timeline.record(actor, "engage.care_ended", Message(gettext_noop("Care flag ended")), subjects=[customer])
    return flag
