"""Reads of points: the console's (scoped through org.access) and the owner's (their own customer records)."""

from django.db.models import Sum

from propdesk.archive.models import Customer
from propdesk.core.errors import NotFound
from propdesk.org.access import get_scoped, scope

from ..models import (
    ContactPreference,
    Greeting,
    NoticeRecipient,
    PointsAccount,
    PointsEntry,
    Redemption,
    Reward,
    Signup,
)
from . import value


def rewards_for(user):
    return scope(Reward.objects.select_related("project"), user)


def get_reward(user, reward_id: int) -> Reward:
    return get_scoped(Reward.objects.select_related("project"), user, pk=reward_id)


def redemptions_for(user, status: str | None = None):
    qs = scope(Redemption.objects.select_related("reward__project", "customer", "handled_by"), user)
    return qs.filter(status=status) if status else qs


def get_redemption(user, redemption_id: int) -> Redemption:
    return get_scoped(Redemption.objects.select_related("reward__project", "customer"), user, pk=redemption_id)


def get_customer(user, customer_id: int) -> Customer:
    return get_scoped(Customer.objects.select_related("project"), user, pk=customer_id)


def entries_for(user, project_id: int | None = None, customer_id: int | None = None):
    """The points ledgers of the user's projects, newest first."""
    qs = scope(PointsEntry.objects.all(), user)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-created_at", "-id")


def ledger_of(customer: Customer):
    return PointsEntry.objects.filter(customer=customer).select_related("created_by").order_by("-created_at", "-id")


def engagement_of(customer: Customer) -> dict:
    """What the customer card's engagement panel shows (a fixed number of queries)."""
    return {
        "customer": customer,
        "value": value.value_of(customer),
        "balance": PointsAccount.objects.filter(customer=customer).values_list("balance", flat=True).first() or 0,
        "notices": list(NoticeRecipient.objects.filter(customer=customer).select_related("notice")
                        .order_by("-created_at")[:5]),
        "signups": list(Signup.objects.filter(customer=customer).select_related("activity")
                        .order_by("-created_at")[:5]),
        "redemptions": list(Redemption.objects.filter(customer=customer).select_related("reward")[:5]),
        "greetings": list(Greeting.objects.filter(customer=customer)[:5]),
        "declines_greetings": ContactPreference.objects.filter(customer=customer, greetings_opt_out=True).exists(),
        "bands": value.BANDS,
    }


# -- the owner's ---------------------------------------------------------------------------------------


def owner_accounts(owner) -> list[dict]:
    """Per customer record of the owner (one per project): name, project, balance."""
    balances = dict(PointsAccount.objects.filter(customer_id__in=owner.customer_ids).values_list("customer_id",
                                                                                                 "balance"))
    return [{"customer": c, "balance": balances.get(c.pk, 0)} for c in owner.customers()]


def owner_ledger(owner):
    return PointsEntry.objects.filter(customer_id__in=owner.customer_ids).select_related("project").order_by(
        "-created_at", "-id")


def owner_rewards(owner):
    return Reward.objects.filter(project_id__in=owner.project_ids, is_active=True).select_related("project").order_by(
        "project_id", "cost")


def owner_reward(owner, reward_id: int) -> Reward:
    reward = owner_rewards(owner).filter(pk=reward_id).first()
    if reward is None:
        raise NotFound
    return reward


def owner_customer_for(owner, project_id: int) -> Customer:
    """The owner's customer record in a project (the one whose points pay)."""
    customer = owner.customers().filter(project_id=project_id).first()
    if customer is None:
        raise NotFound
    return customer


def owner_redemptions(owner):
    return Redemption.objects.filter(customer_id__in=owner.customer_ids).select_related("reward")


def earned_total(customer: Customer) -> int:
    return PointsEntry.objects.filter(customer=customer, kind=PointsEntry.Kind.EARN).aggregate(
        n=Sum("amount"))["n"] or 0
