"""Points (积分, issue 15 item 3; seed 001's 客户积分制): earn rules per project, an immutable ledger, a
balance that never goes below zero, and a catalogue of rewards with stock."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.archive.models import Customer
from propdesk.org.models import Project


class EarnReason(models.TextChoices):
    ATTENDANCE = "attendance", _("Took part in a community activity")
    SUGGESTION = "suggestion", _("A suggestion adopted")
    REFERRAL = "referral", _("Referred a buyer")
    ARTICLE = "article", _("An article in the community magazine")
    SURVEY = "survey", _("Answered a satisfaction survey")


# The points of each reason in a project that has not set its own.
DEFAULT_POINTS = {EarnReason.ATTENDANCE: 20, EarnReason.SUGGESTION: 50, EarnReason.REFERRAL: 500,
                  EarnReason.ARTICLE: 100, EarnReason.SURVEY: 10}


class EarnRule(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="earn_rules")
    reason = models.CharField(_("reason"), max_length=20, choices=EarnReason.choices)
    points = models.PositiveIntegerField(_("points"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["project_id", "reason"]
        verbose_name = _("earn rule")
        verbose_name_plural = _("earn rules")
        constraints = [models.UniqueConstraint(fields=["project", "reason"], name="earn_rule_once")]

    def __str__(self):
        return f"{self.get_reason_display()} +{self.points}"


class ImmutableQuerySet(models.QuerySet):
    """Posted ledger rows are never changed or removed: corrections are new rows."""

    def update(self, **kwargs):
        raise TypeError("points entries are immutable: post a correcting entry instead")

    def delete(self):
        raise TypeError("points entries are immutable: post a correcting entry instead")


class PointsEntry(models.Model):
    """One line of a customer's points ledger: + earned, − redeemed, + refunded, ± adjusted (immutable)."""

    class Kind(models.TextChoices):
        EARN = "earn", _("Earned")
        REDEEM = "redeem", _("Redeemed")
        REFUND = "refund", pgettext_lazy("points", "Refunded")
        ADJUST = "adjust", _("Adjusted")

    scope_path = "project_id"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="points_entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=EarnReason.choices, blank=True)
    amount = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance"))
    # What the entry is for, once: "signup:12", "survey-response:5", "redemption:3"… (null for manual ones).
    ref = models.CharField(pgettext_lazy("points", "reference"), max_length=80, null=True, blank=True, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        indexes = [models.Index(fields=["customer", "-created_at"], name="points_history"),
                   models.Index(fields=["customer", "kind", "created_at"], name="points_earned")]

    def __str__(self):
        return f"{self.customer_id} {self.amount:+d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("points entries are immutable: post a correcting entry instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("points entries are immutable: post a correcting entry instead")


class PointsAccount(models.Model):
    """A customer's balance: the sum of their ledger, kept in one row so a debit is one conditional UPDATE
    (balance ≥ amount) and can never take it below zero, however many redemptions run at once."""

    scope_path = "customer__project_id"

    customer = models.OneToOneField(Customer, on_delete=models.PROTECT, related_name="points_account")
    balance = models.IntegerField(_("balance"), default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="points_balance_not_negative")]

    def __str__(self):
        return f"{self.customer_id}: {self.balance}"


class Reward(models.Model):
    """A reward of the project's catalogue (积分兑换), with the stock left."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="rewards")
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    cost = models.PositiveIntegerField(_("points"))
    stock = models.IntegerField(_("stock"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project_id", "cost", "name"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        constraints = [models.CheckConstraint(condition=Q(stock__gte=0), name="reward_stock_not_negative")]

    def __str__(self):
        return self.name


class Redemption(models.Model):
    """A reward taken with points: placed, then handed over at the service centre (or cancelled: refunded)."""

    class Status(models.TextChoices):
        PLACED = "placed", _("Waiting to be collected")
        HANDED_OVER = "handed_over", pgettext_lazy("redemption", "Handed over")
        CANCELLED = "cancelled", _("Cancelled")

    scope_path = "reward__project_id"

    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="redemptions")
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    points = models.PositiveIntegerField(_("points"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLACED)
    created_at = models.DateTimeField(_("placed"), default=timezone.now)
    handed_over_at = models.DateTimeField(pgettext_lazy("redemption", "handed over"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")

    def __str__(self):
        return f"{self.reward} × {self.quantity}"
