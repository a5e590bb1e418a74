"""The points ledger (积分, issue 15 item 3): every change of a balance is one immutable entry.

`post()` is the one place an entry is written: in one transaction it moves the customer's balance with a
conditional UPDATE (a debit only while the balance covers it: never below zero, whatever runs at the same
time), stores the entry with the balance after it, and records the change on the customer's card. An
entry that answers for something (an attendance, a survey answer, a redemption) carries its `ref`,
unique: posting it twice stores it once. Earning follows the project's rules (EarnRule; the defaults of
DEFAULT_POINTS until the project sets its own; an inactive rule earns nothing).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Customer
from propdesk.core import timeline
from propdesk.core.timeline import Message
from propdesk.org.access import ARCHIVE_EDITORS, MANAGERS, require_project, require_role

from ..idempotency import client_of, create_once
from ..models import DEFAULT_POINTS, EarnReason, EarnRule, PointsAccount, PointsEntry

K = PointsEntry.Kind
# Staff award these by hand (the others are earned automatically).
AWARDED_BY_STAFF = (EarnReason.SUGGESTION, EarnReason.REFERRAL, EarnReason.ARTICLE)
MAX_ADJUSTMENT = 100_000

SUMMARIES = {
    K.EARN: gettext_noop("%(amount)+d points: %(why)s (balance %(balance)d)"),
    K.REDEEM: gettext_noop("%(amount)+d points: %(why)s (balance %(balance)d)"),
    K.REFUND: gettext_noop("%(amount)+d points refunded: %(why)s (balance %(balance)d)"),
    K.ADJUST: gettext_noop("%(amount)+d points adjusted: %(why)s (balance %(balance)d)"),
}


def rules_for(project) -> dict[str, EarnRule]:
    """The project's earn rules, creating the defaults the first time they are asked for."""
    rules = {r.reason: r for r in EarnRule.objects.filter(project=project)}
    missing = [EarnRule(project=project, reason=reason, points=points) for reason, points in DEFAULT_POINTS.items()
               if reason not in rules]
    if missing:
        EarnRule.objects.bulk_create(missing, ignore_conflicts=True)
        rules = {r.reason: r for r in EarnRule.objects.filter(project=project)}
    return rules


def set_rules(actor, project, settings: dict[str, tuple[int, bool]]) -> dict[str, EarnRule]:
    """A manager sets how many points each reason earns in the project (0 or inactive: none).

    `settings` is {reason: (points, active)}; every value is checked before any is written."""
    require_project(actor, project.pk)
    require_role(actor, MANAGERS)
    errors = {}
    for reason, (points, _active) in settings.items():
        if reason not in EarnReason.values:
            errors[reason] = _("Select a valid choice.")
        elif not isinstance(points, int) or not 0 <= points <= MAX_ADJUSTMENT:
            errors[reason] = _("From 0 to %(max)d points.") % {"max": MAX_ADJUSTMENT}
    if errors:
        raise ValidationError(errors)
    rules = rules_for(project)
    with transaction.atomic():
        for reason, (points, active) in settings.items():
            rule = rules[reason]
            changes = timeline.diff(rule, {"points": points, "is_active": bool(active)})
            if not changes:
                continue
            EarnRule.objects.filter(pk=rule.pk).update(points=points, is_active=bool(active))
            rule.points, rule.is_active = points, bool(active)
            timeline.record(actor, "engage.earn_rule", Message(gettext_noop("Points for \"%(reason)s\": %(points)d"),
                                                               {"reason": rule.get_reason_display(), "points": points}),
                            subjects=[project], changes=changes)
    return rules


def set_rule(actor, project, reason: str, points: int, is_active: bool) -> EarnRule:
    """One reason's points (see set_rules)."""
    return set_rules(actor, project, {reason: (points, is_active)})[reason]


def balance_of(customer: Customer) -> int:
    return PointsAccount.objects.filter(customer=customer).values_list("balance", flat=True).first() or 0


def post(customer: Customer, amount: int, kind: str, *, why: str, reason: str = "", ref: str | None = None,
         note: str = "", actor=None, now: dt.datetime | None = None) -> PointsEntry:
    """Write one entry and move the balance (see the module). A debit the balance does not cover is refused
    (ValidationError on "points"); an entry whose `ref` exists already is not written again (the first
    comes back)."""
    if amount == 0:
        raise ValidationError({"points": _("An entry moves at least one point.")})
    now = now or timezone.now()
    if ref:
        earlier = PointsEntry.objects.filter(ref=ref).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            PointsAccount.objects.get_or_create(customer=customer)
            accounts = PointsAccount.objects.filter(customer=customer)
            if amount < 0:
                accounts = accounts.filter(balance__gte=-amount)
            if not accounts.update(balance=F("balance") + amount, updated_at=now):
                raise ValidationError({"points": _("Not enough points: the balance is %(balance)d.")
                                       % {"balance": balance_of(customer)}})
            balance = balance_of(customer)
            entry = PointsEntry(project_id=customer.project_id, customer=customer, kind=kind, reason=reason,
                                amount=amount, balance_after=balance, ref=ref, note=(note or "")[:200],
                                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                                created_at=now)
            entry.save()
            timeline.record(actor, f"engage.points_{kind}", Message(SUMMARIES[kind], {
                "amount": amount, "why": why, "balance": balance}), subjects=[customer], at=now)
        return entry
    except IntegrityError:
        if ref:
            earlier = PointsEntry.objects.filter(ref=ref).first()
            if earlier is not None:
                return earlier
        raise


def earn(customer: Customer, reason: str, *, ref: str | None, note: str = "", actor=None, now=None) -> PointsEntry | None:
    """Credit the points the project's rule gives for `reason`; None when the rule gives none."""
    rule = rules_for(customer.project)[reason]
    if not rule.is_active or rule.points == 0:
        return None
    why = str(EarnReason(reason).label) + (f" · {note}" if note else "")
    return post(customer, rule.points, K.EARN, why=why, reason=reason, ref=ref, note=note, actor=actor, now=now)


def award(actor, customer: Customer, reason: str, note: str, ref: str = "") -> PointsEntry | None:
    """Staff award the points of an adopted suggestion, a referred buyer or a magazine article; `ref` (the
    work order's number, the contract, the issue of the magazine) makes the award once per thing."""
    require_project(actor, customer.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    if reason not in AWARDED_BY_STAFF:
        raise ValidationError({"reason": _("Select a valid choice.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what the points are for.")})
    ref = (ref or "").strip()
    key = f"{reason}:{customer.pk}:{ref}"[:80] if ref else None
    if key and PointsEntry.objects.filter(ref=key).exists():
        raise ValidationError({"ref": _("Points were already given for this.")})
    return earn(customer, reason, ref=key, note=note, actor=actor)


def award_once(actor, customer: Customer, reason: str, note: str, ref: str = "",
               idempotency_key: str | None = None) -> tuple[PointsEntry, bool]:
    """`award` for the API: once per Idempotency-Key; a reason whose rule gives no points is refused."""
    def create():
        entry = award(actor, customer, reason, note, ref)
        if entry is None:
            raise ValidationError({"reason": _("The project's rule gives no points for this.")})
        return entry

    return create_once(client_of(actor), idempotency_key, PointsEntry, create)


def adjust(actor, customer: Customer, amount: int, note: str) -> PointsEntry:
    """A manager corrects a balance with a signed amount and the reason for it."""
    require_project(actor, customer.project_id)
    require_role(actor, MANAGERS)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the balance is corrected.")})
    if not isinstance(amount, int) or not 0 < abs(amount) <= MAX_ADJUSTMENT:
        raise ValidationError({"points": _("From 1 to %(max)d points, plus or minus.") % {"max": MAX_ADJUSTMENT}})
    return post(customer, amount, K.ADJUST, why=note, note=note, actor=actor)


def earn_for_attendance(signup, now=None) -> PointsEntry | None:
    """The points of taking part in an activity, once per sign-up (called at the door's check-in)."""
    return earn(signup.customer, EarnReason.ATTENDANCE, ref=f"signup:{signup.pk}", note=signup.activity.title,
                actor=signup.checked_in_by, now=now)


def earn_for_surveys(since: dt.datetime) -> int:
    """The points of answering a satisfaction survey, for every answer given since `since` (a periodic job;
    once per response: its ref). Returns how many were credited."""
    from propdesk.surveys.models import Response

    credited = 0
    answers = (Response.objects.filter(submitted_at__gte=since, invitation__customer__isnull=False)
               .select_related("invitation__customer__project", "invitation__survey").order_by("pk"))
    done = set(PointsEntry.objects.filter(ref__startswith="survey-response:", created_at__gte=since - dt.timedelta(
        days=1)).values_list("ref", flat=True))
    for response in answers:
        ref = f"survey-response:{response.pk}"
        if ref in done:
            continue
        if earn(response.invitation.customer, EarnReason.SURVEY, ref=ref, note=response.invitation.survey.title,
                now=response.submitted_at):
            credited += 1
    return credited
