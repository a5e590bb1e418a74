"""The reminder ladder (催缴) and payment plans (issue 14, item 4; PRODUCT.md area 4, seed 000 费用催缴).

Rules this module enforces:
- A project's ladder is a few steps, each "from N days overdue, do this": a notice in the portal and by
  SMS, a second notice, a butler's visit put on the callback list, a formal reminder letter (PDF). The
  default ladder is 15 / 45 / 75 / 105 days; the clerk changes the days or turns steps off.
- Days overdue are counted from the due date of the unit's oldest open line that is past due.
- A unit climbs one step per run of the ladder (once a day), and at least MIN_GAP_DAYS after the
  previous step of the same arrears episode: a unit found 200 days overdue the first time gets the
  first notice, not all four steps at once.
- Every step taken is a Reminder row (once per unit, episode and step, enforced by the database) with
  what was sent, and an event on the unit's and the payer's timeline, in the same transaction.
- Reminders stop as soon as nothing is overdue (paid, credited) or a payment plan is agreed and runs.
  An episode ends when the debt is paid: new arrears start again at the first step.
- Nothing here, or anywhere in propdesk, cuts water, power, heating, gas, lift, gate or parking access
  for arrears (Civil Code art. 944; docs/architecture.md, "Fees").
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Customer
from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.engage.models import CallbackTask, Channel, RuleKind
from propdesk.notify.services import Contact, notify
from propdesk.org.models import Project, Unit

from . import access, sums
from .models import (
    DEFAULT_LADDER,
    OPEN,
    UNPAID,
    Bill,
    ChargeLine,
    PaymentPlan,
    Reminder,
    ReminderAction,
    ReminderStep,
)
from .notices import PORTAL_FEES, contacts
from .standards import settings_for

MIN_GAP_DAYS = 7
A = ReminderAction

NOTICE_TEXT = {
    A.NOTICE: gettext_noop(
        "%(project)s: the fees of %(unit)s are %(days)s days overdue, ¥%(owed)s in all. Please pay in the owner "
        "portal or at the service center; call us if anything is wrong with the bill."),
    A.SECOND_NOTICE: gettext_noop(
        "%(project)s: second reminder — the fees of %(unit)s are %(days)s days overdue, ¥%(owed)s in all. "
        "Please pay, or talk to the service center about a payment plan."),
}

TIMELINE_TEXT = {
    A.NOTICE: gettext_noop("Fees reminder %(step)s: notice sent in the portal and by SMS (¥%(owed)s, "
                           "%(days)s days overdue)"),
    A.SECOND_NOTICE: gettext_noop("Fees reminder %(step)s: second notice sent in the portal and by SMS "
                                  "(¥%(owed)s, %(days)s days overdue)"),
    A.VISIT: gettext_noop("Fees reminder %(step)s: butler visit put on the callback list (¥%(owed)s, "
                          "%(days)s days overdue)"),
    A.LETTER: gettext_noop("Fees reminder %(step)s: formal reminder letter issued (¥%(owed)s, "
                           "%(days)s days overdue)"),
}


# -- the ladder -------------------------------------------------------------------------------

def ladder_for(project: Project) -> list[ReminderStep]:
    """The project's ladder in order: its stored steps, else the default ladder (not stored until changed)."""
    steps = list(ReminderStep.objects.filter(project=project).order_by("order"))
    return steps or [ReminderStep(project=project, order=n, days_overdue=days, action=action)
                     for n, (days, action) in enumerate(DEFAULT_LADDER, start=1)]


def save_ladder(actor, project: Project, rows: list[dict]) -> list[ReminderStep]:
    """Change the days and the on/off of the ladder's steps (a clerk). The days climb with the steps."""
    access.require(actor, project.pk, access.clerks())
    steps = {s.order: s for s in ladder_for(project)}
    errors = {}
    for row in rows:
        step = steps.get(row.get("order"))
        if step is None:
            continue
        days = row.get("days_overdue")
        if not isinstance(days, int) or not 1 <= days <= 3650:
            errors[f"days_{step.order}"] = _("Enter a number of days from 1 to 3650.")
            continue
        step.days_overdue, step.is_active = days, bool(row.get("is_active"))
    ordered = [steps[n] for n in sorted(steps)]
    active = [s.days_overdue for s in ordered if s.is_active]
    if not errors and active != sorted(set(active)):
        errors["days"] = _("Each active step comes later than the one before it (more days overdue).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = [x for x in ordered if x.pk]
        if stored:
            ReminderStep.objects.bulk_update(stored, ["days_overdue", "is_active"])
        ReminderStep.objects.bulk_create([x for x in ordered if not x.pk])
        timeline.record(actor, "billing.ladder_changed", Message(
            gettext_noop("Reminder ladder changed: %(steps)s"),
            {"steps": ", ".join(f"{s.days_overdue}" for s in ordered if s.is_active) or "—"}), subjects=[project])
    return ordered


# -- who is overdue ---------------------------------------------------------------------------

@dataclass
class Debt:
    unit_id: int
    oldest_due: dt.date
    owed: Decimal

    def days(self, today: dt.date) -> int:
        return (today - self.oldest_due).days


def overdue(project_id: int, today: dt.date, unit_ids=None) -> dict[int, Debt]:
    """Each unit of the project with something past due: since when and how much (one aggregate of the
    unpaid bills)."""
    qs = Bill.objects.filter(UNPAID, project_id=project_id, due_date__lt=today)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    rows = qs.values("unit_id").annotate(oldest=Min("due_date"), owed=sums.fen_total("open_fen"))
    return {r["unit_id"]: Debt(r["unit_id"], r["oldest"], sums.yuan(r["owed"])) for r in rows}


def _planned_units(project_id: int, today: dt.date) -> set[int]:
    return set(PaymentPlan.objects.filter(project_id=project_id, ended_at__isnull=True, until__gte=today)
               .values_list("unit_id", flat=True))


def _last_reminders(project_id: int, unit_ids) -> dict[int, Reminder]:
    last: dict[int, Reminder] = {}
    for r in Reminder.objects.filter(project_id=project_id, unit_id__in=list(unit_ids)).order_by(
            "unit_id", "-day", "-id").only("id", "unit_id", "episode", "step", "day"):
        last.setdefault(r.unit_id, r)
    return last


def _episode(debt: Debt, last: Reminder | None) -> tuple[dt.date, int]:
    """(episode, last step taken in it). The last reminder's episode goes on while a line that was already
    overdue when it was sent is still open; otherwise the debt was cleared since and a new one began."""
    if last is not None and debt.oldest_due < last.day:
        return last.episode, last.step
    return debt.oldest_due, 0


def next_step(steps, debt: Debt, last: Reminder | None, today: dt.date) -> tuple[dt.date, ReminderStep] | None:
    """The step the unit takes today, if any (see the module's rules)."""
    episode, taken = _episode(debt, last)
    if taken and last is not None and (today - last.day).days < MIN_GAP_DAYS:
        return None
    days = debt.days(today)
    for step in steps:
        if step.order > taken and step.is_active:
            return (episode, step) if days >= step.days_overdue else None
    return None


# -- taking the steps -------------------------------------------------------------------------

def run_reminders(*, today: dt.date | None = None, project_ids=None, actor=None) -> dict[str, int]:
    """Climb the ladder in every project with reminders on (the daily job), or in `project_ids`.

    Returns how many steps of each action were taken. Safe to run again the same day: a step taken is
    one row per unit, episode and step, and the next step waits MIN_GAP_DAYS."""
    today = today or timezone.localdate()
    report = {action: 0 for action in A.values}
    projects = Project.objects.order_by("pk")
    if project_ids is not None:
        projects = projects.filter(pk__in=list(project_ids))
    for project in projects:
        if not settings_for(project).reminders_enabled:
            continue
        for action in remind_project(project, today, actor=actor):
            report[action] += 1
    return report


def remind_project(project: Project, today: dt.date, *, actor=None, unit_ids=None) -> list[str]:
    steps = ladder_for(project)
    if not any(s.is_active for s in steps):
        return []
    debts = overdue(project.pk, today, unit_ids)
    for unit_id in _planned_units(project.pk, today):
        debts.pop(unit_id, None)
    if not debts:
        return []
    last = _last_reminders(project.pk, debts)
    due = []
    for unit_id, debt in debts.items():
        chosen = next_step(steps, debt, last.get(unit_id), today)
        if chosen:
            due.append((debt, *chosen))
    if not due:
        return []
    units = Unit.objects.in_bulk([d.unit_id for d, _e, _s in due])
    payers = _payers([d.unit_id for d, _e, _s in due], today)
    phones = contacts({p.pk for p in payers.values() if p})
    taken = []
    for debt, episode, step in sorted(due, key=lambda x: x[0].unit_id):
        unit, payer = units[debt.unit_id], payers.get(debt.unit_id)
        unit.project = project
        try:
            take_step(actor, project, unit, payer, phones.get(payer.pk, "") if payer else "", debt, episode,
                      step, today)
        except IntegrityError:
            continue  # taken meanwhile by another run
        taken.append(step.action)
    return taken


def _payers(unit_ids, today: dt.date) -> dict[int, Customer | None]:
    """Who is reminded for each unit: the payer of its oldest open overdue line."""
    rows = (ChargeLine.objects.filter(OPEN, unit_id__in=unit_ids, due_date__lt=today)
            .order_by("unit_id", "due_date", "id").values_list("unit_id", "bill__payer_id"))
    first: dict[int, int] = {}
    for unit_id, payer_id in rows:
        first.setdefault(unit_id, payer_id)
    customers = Customer.objects.in_bulk(set(first.values()))
    return {unit_id: customers.get(payer_id) for unit_id, payer_id in first.items()}


def take_step(actor, project, unit, payer, phone: str, debt: Debt, episode: dt.date, step: ReminderStep,
              today: dt.date) -> Reminder:
    """Take one step for one unit, in one transaction: send or plan what the step does, keep the row, and
    record it on the unit's and the payer's timeline with what was sent."""
    days = debt.days(today)
    params = {"project": project.name, "unit": unit.label, "days": days, "owed": f"{debt.owed:,.2f}"}
    detail: dict = {"owed": str(debt.owed), "oldest_due": debt.oldest_due.isoformat()}
    with transaction.atomic():
        reminder = Reminder.objects.create(
            project=project, unit=unit, payer=payer, step=step.order, action=step.action, episode=episode,
            owed=debt.owed, days_overdue=days, day=today, sent_by=actor, detail=detail)
        if step.action in NOTICE_TEXT:
            text = Message(NOTICE_TEXT[step.action], params)
            sent = notify(project=project, event="billing.reminder", subject=text, body=text, link=PORTAL_FEES,
                          customers=[Contact(customer_id=payer.pk, name=payer.name, phone=phone)] if payer else [])
            detail.update(text=text.msgid, params=params, notifications=[n.pk for n in sent],
                          channels=sorted({n.channel for n in sent}))
        elif step.action == A.VISIT:
            task = _visit(project, unit, payer, today)
            detail.update(callback_task=task.pk if task else None)
        else:
            detail.update(letter=letter_filename(reminder), lines=_letter_lines(unit.pk, today))
        reminder.detail = detail
        reminder.save(update_fields=["detail"])
        timeline.record(actor, "billing.reminded", Message(TIMELINE_TEXT[step.action], {
            "step": step.order, "owed": params["owed"], "days": days}), subjects=[unit, payer])
    return reminder


def _visit(project, unit, payer, today: dt.date) -> CallbackTask | None:
    """A butler's door visit about the arrears, on the callback list (once per payer and day)."""
    if payer is None:
        return None
    task, _created = CallbackTask.objects.get_or_create(
        kind=RuleKind.ARREARS_VISIT, customer=payer, due_date=today, work_order=None,
        defaults={"project": project, "unit": unit, "channel": Channel.DOOR_VISIT})
    return task


def _letter_lines(unit_id: int, today: dt.date) -> list[dict]:
    """The overdue lines as they stand when the letter is issued, kept with the reminder."""
    lines = ChargeLine.objects.filter(OPEN, unit_id=unit_id, due_date__lt=today).order_by("due_date", "id")
    return [{"description": x.description, "period": f"{x.service_start:%Y-%m}", "due": x.due_date.isoformat(),
             "open": str(x.outstanding)} for x in lines[:60]]


def letter_filename(reminder: Reminder) -> str:
    return f"reminder-{reminder.unit_id}-{reminder.episode:%Y%m}-{reminder.step}.pdf"


# -- payment plans ----------------------------------------------------------------------------

def agree_plan(actor, unit, *, terms: str, until: dt.date, today: dt.date | None = None) -> PaymentPlan:
    """Record a payment plan agreed with the payer (还款计划): the ladder stops for the unit until the
    plan's last day, or until it is ended. One running plan per unit."""
    access.require(actor, unit.project_id, access.clerks())
    today = today or timezone.localdate()
    terms = (terms or "").strip()
    errors = {}
    if not terms:
        errors["terms"] = _("Write down what was agreed.")
    if until is None or until < today:
        errors["until"] = _("The plan runs until a day from today on.")
    elif until > today + dt.timedelta(days=366 * 2):
        errors["until"] = _("A plan runs two years at most.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        if PaymentPlan.objects.filter(Q(until__gte=today), unit=unit, ended_at__isnull=True).exists():
            raise Conflict(_("This unit already has a running payment plan."), code="plan_running")
        plan = PaymentPlan.objects.create(project_id=unit.project_id, unit=unit, terms=terms[:300], until=until,
                                          agreed_by=actor)
        timeline.record(actor, "billing.plan_agreed", Message(
            gettext_noop("Payment plan agreed until %(until)s: %(terms)s"),
            {"until": until.isoformat(), "terms": plan.terms}), subjects=[unit])
    return plan


def end_plan(actor, plan: PaymentPlan) -> PaymentPlan:
    """End a payment plan early (kept, or broken): the ladder goes on from where it stopped."""
    access.require(actor, plan.project_id, access.clerks())
    now = timezone.now()
    with transaction.atomic():
        if not PaymentPlan.objects.filter(pk=plan.pk, ended_at__isnull=True).update(ended_at=now):
            raise Conflict(_("This plan has ended already."), code="plan_ended")
        plan.ended_at = now
        timeline.record(actor, "billing.plan_ended", Message(gettext_noop("Payment plan ended")),
                        subjects=[plan.unit])
    return plan
