"""The rewards catalogue and redemptions (积分兑换, issue 15 item 3).

A redemption takes the stock and the points in one transaction, each with a conditional UPDATE: the stock
only while it covers the quantity, the balance only while it covers the cost (ledger.post). Whichever
fails, nothing is written, so neither ever goes below zero, however many owners redeem the last item at
once (tests/engage/test_points_concurrency.py runs it with real threads on SQLite and PostgreSQL).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import Conflict, NotFound
from propdesk.core.timeline import Message
from propdesk.org.access import ARCHIVE_EDITORS, MANAGERS, require_project, require_role

from ..idempotency import client_of, create_once
from ..models import PointsEntry, Redemption, Reward
from . import ledger

R = Redemption.Status
MAX_QUANTITY = 10
EDITABLE = {"name", "description", "cost", "is_active"}


def save_reward(actor, project, data: dict, reward: Reward | None = None) -> Reward:
    """Add a reward to the project's catalogue or change one (name, description, points, offered)."""
    require_project(actor, project.pk if reward is None else reward.project_id)
    require_role(actor, MANAGERS)
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    target = reward or Reward(project=project)
    for field, value in data.items():
        setattr(target, field, value.strip() if isinstance(value, str) else value)
    if not target.cost or target.cost < 1:
        raise ValidationError({"cost": _("A reward costs at least one point.")})
    target.full_clean()
    with transaction.atomic():
        target.save()
        timeline.record(actor, "engage.reward_saved", Message(gettext_noop("Reward saved: %(name)s (%(cost)d points)"),
                                                              {"name": target.name, "cost": target.cost}),
                        subjects=[target.project])
    return target


def restock(actor, reward: Reward, quantity: int) -> Reward:
    """Add items to the stock (a negative quantity takes away what is left, never more)."""
    require_project(actor, reward.project_id)
    require_role(actor, MANAGERS)
    if not isinstance(quantity, int) or quantity == 0 or abs(quantity) > 100_000:
        raise ValidationError({"quantity": _("A whole number other than zero.")})
    with transaction.atomic():
        rows = Reward.objects.filter(pk=reward.pk)
        if quantity < 0:
            rows = rows.filter(stock__gte=-quantity)
        if not rows.update(stock=F("stock") + quantity):
            raise ValidationError({"quantity": _("Only %(stock)d left.") % {"stock": Reward.objects.get(pk=reward.pk).stock}})
        reward.refresh_from_db()
        timeline.record(actor, "engage.reward_restocked", Message(gettext_noop("Stock of %(name)s %(change)+d: %(stock)d"),
                                                                  {"name": reward.name, "change": quantity,
                                                                   "stock": reward.stock}), subjects=[reward.project])
    return reward


def redeem(actor, reward: Reward, customer, quantity: int = 1, idempotency_key: str | None = None, now=None):
    """Exchange points for `quantity` of a reward; returns (redemption, created).

    `actor` is the owner (portal: `customer` is one of theirs) or a staff member at the desk. Refused with a
    Conflict when the stock is short, a ValidationError when the balance is; either way nothing changes.
    """
    if getattr(actor, "customer_ids", None) is not None:
        if customer.pk not in actor.customer_ids:
            raise NotFound
    else:
        require_project(actor, reward.project_id)
        require_role(actor, ARCHIVE_EDITORS)
    if customer.project_id != reward.project_id:
        raise NotFound
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError({"quantity": _("From 1 to %(max)d.") % {"max": MAX_QUANTITY}})
    now = now or timezone.now()
    staff = None if getattr(actor, "customer_ids", None) is not None else actor

    def create():
        with transaction.atomic():
            if not Reward.objects.filter(pk=reward.pk, is_active=True, stock__gte=quantity).update(
                    stock=F("stock") - quantity):
                raise Conflict(_("Sorry, %(name)s is out of stock.") % {"name": reward.name}, state="out_of_stock")
            points = reward.cost * quantity
            redemption = Redemption.objects.create(reward=reward, customer=customer, quantity=quantity, points=points,
                                                   created_at=now, handled_by=staff)
            ledger.post(customer, -points, PointsEntry.Kind.REDEEM, ref=f"redemption:{redemption.pk}", actor=staff,
                        why=f"{reward.name} × {quantity}", note=reward.name, now=now)
        return redemption

    return create_once(client_of(actor), idempotency_key, Redemption, create)


def hand_over(actor, redemption: Redemption) -> Redemption:
    """The reward was given to the owner at the service centre."""
    require_project(actor, redemption.reward.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    now = timezone.now()
    with transaction.atomic():
        if not Redemption.objects.filter(pk=redemption.pk, status=R.PLACED).update(
                status=R.HANDED_OVER, handed_over_at=now, handled_by=actor):
            raise Conflict(_("This redemption is no longer waiting."), state=redemption.status)
        redemption.refresh_from_db()
        timeline.record(actor, "engage.reward_handed_over", Message(gettext_noop("Reward handed over: %(name)s × %(n)d"),
                                                                    {"name": redemption.reward.name,
                                                                     "n": redemption.quantity}),
                        subjects=[redemption.customer])
    return redemption


def cancel_redemption(actor, redemption: Redemption) -> Redemption:
    """Cancel a redemption not yet handed over: the stock and the points come back (a refund entry)."""
    require_project(actor, redemption.reward.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    with transaction.atomic():
        if not Redemption.objects.filter(pk=redemption.pk, status=R.PLACED).update(status=R.CANCELLED,
                                                                                   handled_by=actor):
            raise Conflict(_("Only a redemption waiting to be collected can be cancelled."), state=redemption.status)
        Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + redemption.quantity)
        ledger.post(redemption.customer, redemption.points, PointsEntry.Kind.REFUND,
                    why=f"{redemption.reward.name} × {redemption.quantity}", ref=f"refund:{redemption.pk}",
                    actor=actor)
        redemption.refresh_from_db()
    return redemption
