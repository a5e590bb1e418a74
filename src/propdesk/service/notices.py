"""Who is told what about a work order (the service-desk issue, item 9), through propdesk.notify.

The requester (and the reporters of duplicates merged into it) is told on response, dispatch,
resolution and callback; the assignee on dispatch and warnings; the project's managers on
escalation and on a poor rating.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from propdesk.core.timeline import Message
from propdesk.notify.services import Contact, notify, prepare
from propdesk.org.models import User

from .models import SlaTimer, WorkOrder
from .workflow import A

TO_REQUESTER = {
    A.RESPOND: gettext_noop("Your request %(number)s has been received and is being handled."),
    A.DISPATCH: gettext_noop("Your request %(number)s has been assigned to %(assignee)s."),
    A.RESOLVE: gettext_noop("Your request %(number)s has been resolved: %(resolution)s"),
    A.CALLBACK: gettext_noop("Thank you for your feedback on request %(number)s."),
}


def _link(wo: WorkOrder) -> str:
    try:
        return reverse("console:work_order", args=[wo.pk])
    except NoReverseMatch:  # the console is not installed (e.g. a worker-only configuration)
        return ""


def _contacts(wo: WorkOrder) -> list[Contact]:
    """The requester and the requesters of duplicates merged into this work order."""
    people = [wo.requester] if wo.requester_id else []
    people += [d.requester for d in wo.duplicates.select_related("requester").filter(requester__isnull=False)]
    contacts, seen = [], set()
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        phone = person.phones.values_list("number", flat=True).first() or ""
        contacts.append(Contact(customer_id=person.pk, name=person.name, phone=phone, email=person.email))
    if not contacts and wo.contact_phone:
        contacts.append(Contact(customer_id=0, name=wo.contact_name, phone=wo.contact_phone))
    return contacts


_muted = ContextVar("propdesk_notices_muted", default=False)


@contextmanager
def muted():
    """Record history without telling anyone (demo data, imports of past work orders)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _staff(project_id: int, role: str, cache: dict | None = None) -> list[User]:
    """The project's active staff of `role`; `cache` (a dict the caller keeps) reads each list once,
    as the SLA sweep does for a batch of timers."""
    if cache is None:
        return list(User.objects.filter(is_active=True, role=role, projects=project_id))
    if (project_id, role) not in cache:
        cache[project_id, role] = [_same(user, cache) for user in _staff(project_id, role)]
    return cache[project_id, role]


def _same(user: User | None, cache: dict | None) -> User | None:
    """One instance per staff member for a whole sweep (`cache`), so what notify() learns about
    them (the projects they may see) is read once, not once per work order."""
    if user is None or cache is None:
        return user
    return cache.setdefault(("user", user.pk), user)


def managers(project_id: int, cache: dict | None = None) -> list[User]:
    return _staff(project_id, User.Role.PROJECT_MANAGER, cache)


def after_transition(wo: WorkOrder, action: str, actor) -> None:
    """Called inside the transition's transaction: nothing leaves before it commits."""
    if _muted.get():
        return
    params = {"number": wo.number,
              "assignee": wo.assignee.display_name if wo.assignee_id else str(wo.department or ""),
              "resolution": wo.resolution}
    if action in TO_REQUESTER and (action != A.CALLBACK or wo.called_back_at):
        message = Message(TO_REQUESTER[action], params)
        notify(project=wo.project_id, event=f"work_order.{action}", subject=message, body=message,
               link=_link(wo), customers=_contacts(wo))
    if action in (A.DISPATCH, A.ACCEPT_TRANSFER, A.REOPEN) and wo.assignee_id and wo.assignee_id != getattr(
            actor, "pk", None):
        message = Message(gettext_noop("Work order %(number)s is assigned to you: %(place)s"),
                          {"number": wo.number, "place": wo.place})
        notify(project=wo.project_id, event=f"work_order.{action}", subject=message, body=message,
               link=_link(wo), users=[wo.assignee])
    if action == A.CALLBACK and wo.needs_manager_attention:
        message = Message(gettext_noop("Work order %(number)s was rated poorly at the callback: please follow up"),
                          {"number": wo.number})
        notify(project=wo.project_id, event="work_order.poor_rating", subject=message, body=message,
               link=_link(wo), users=managers(wo.project_id))


def front_desk(project_id: int, cache: dict | None = None) -> list[User]:
    return _staff(project_id, User.Role.FRONT_DESK, cache)


def sla_warning(wo: WorkOrder, timer: SlaTimer, cache: dict | None = None) -> list:
    """At 80 % of a limit: the assignee, or the first receiver while nobody is assigned, or — for a
    portal report nobody has taken yet — the project's front desk. Returns the notifications prepared
    (unsaved): the sweep stores a whole batch's with one notify.services.send()."""
    message = Message(gettext_noop("Work order %(number)s is close to its limit (due %(due)s)"),
                      {"number": wo.number, "due": timezone.localtime(timer.due_at).strftime("%H:%M")})
    who = _same(wo.assignee or wo.first_receiver, cache)
    return prepare(project=wo.project_id, event="work_order.sla_warning", subject=message, body=message,
                   link=_link(wo), users=[who] if who else front_desk(wo.project_id, cache))


def portal_report(wo: WorkOrder) -> None:
    """An owner reported through the portal: the project's front desk takes it from the queue."""
    if _muted.get():
        return
    text = (gettext_noop("Emergency reported in the portal: %(number)s, %(place)s")
            if wo.priority == WorkOrder.Priority.EMERGENCY
            else gettext_noop("New report in the portal: %(number)s, %(place)s"))
    message = Message(text, {"number": wo.number, "place": wo.place})
    notify(project=wo.project_id, event="work_order.portal_report", subject=message, body=message, link=_link(wo),
           users=front_desk(wo.project_id))


def poor_owner_rating(wo: WorkOrder) -> None:
    """The owner rated 1 or 2 in the portal: the project's managers follow up, as after a callback."""
    if _muted.get():
        return
    message = Message(gettext_noop("Work order %(number)s was rated %(rating)s by the owner: please follow up"),
                      {"number": wo.number, "rating": wo.owner_rating})
    notify(project=wo.project_id, event="work_order.poor_rating", subject=message, body=message, link=_link(wo),
           users=managers(wo.project_id))


def sla_escalation(wo: WorkOrder, timer: SlaTimer, cache: dict | None = None) -> list:
    """At 100 % of a limit: the project's managers. Returns the notifications prepared (see sla_warning)."""
    message = Message(gettext_noop("Work order %(number)s has passed its limit and is escalated to you"),
                      {"number": wo.number})
    return prepare(project=wo.project_id, event="work_order.sla_breached", subject=message, body=message,
                   link=_link(wo), users=managers(wo.project_id, cache))
