"""Callback plans (回访计划), door visits (上门走访) and care flags (重点关怀) — PRODUCT.md area 5."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.org.models import Project, Unit
from propdesk.service.models import WorkOrder


class RuleKind(models.TextChoices):
    NEW_OWNER = "new_owner", _("New owner, one month after move-in")
    HALF_YEAR = "half_year", _("Routine callback every six months")
    CARE_VISIT = "care_visit", _("Quarterly door visit to a household under care")
    CLOSED_WORK_ORDER = "closed_work_order", _("Callback after a closed work order")
    # Tasks other services put on the list (no planning rule of their own): a butler's visit about fees in
    # arrears (billing's reminder ladder) and a festival visit to an elderly household (the care calendar).
    ARREARS_VISIT = "arrears_visit", _("Butler visit about fees in arrears")
    FESTIVAL_VISIT = "festival_visit", _("Festival visit to an elderly household")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    DOOR_VISIT = "door_visit", _("Door visit")


# kind: (offset_days, channel). offset_days is the delay after move-in (new owner) or closing (work
# order), and the interval between callbacks (half year). Care visits are due once per calendar
# quarter; their offset is shown for reference only.
DEFAULT_RULES = {
    RuleKind.NEW_OWNER: (30, Channel.PHONE),
    RuleKind.HALF_YEAR: (182, Channel.PHONE),
    RuleKind.CARE_VISIT: (91, Channel.DOOR_VISIT),
    RuleKind.CLOSED_WORK_ORDER: (1, Channel.PHONE),
}


class CallbackRule(models.Model):
    """One project's setting of one kind of callback; the four defaults are created on first use."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="callback_rules")
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    offset_days = models.PositiveSmallIntegerField(_("days"), validators=[MinValueValidator(1)])
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PHONE)

    class Meta:
        ordering = ["project_id", "kind"]
        verbose_name = _("callback rule")
        verbose_name_plural = _("callback rules")
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="callback_rule_once")]

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()}"


class CareFlag(models.Model):
    """A household that needs particular attention (重点关怀户): visited at home every quarter."""

    scope_path = "customer__project_id"

    class Reason(models.TextChoices):
        ELDERLY_ALONE = "elderly_alone", _("Elderly, living alone")
        RECENT_COMPLAINT = "recent_complaint", _("Recent complaint")
        DISABLED = "disabled", _("Disability")
        OTHER = "other", _("Other")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="care_flags")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-since", "-id"]
        verbose_name = _("care flag")
        verbose_name_plural = _("care flags")

    def __str__(self):
        return f"{self.customer} · {self.get_reason_display()}"

    def is_active(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.since <= on and (self.until is None or self.until >= on)


class CallbackTask(models.Model):
    """One callback or door visit to make, planned by a rule; done with its outcome."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="callback_tasks")
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PHONE)
    # Empty only for a work order reported by someone not in the archive (its contact is on the order).
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="callback_tasks")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    work_order = models.ForeignKey(WorkOrder, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="callback_tasks")
    due_date = models.DateField(_("due"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="callback_tasks", verbose_name=_("assignee"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reached = models.BooleanField(_("reached"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_work_order = models.ForeignKey(WorkOrder, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", verbose_name=_("work order created"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("callback task")
        verbose_name_plural = _("callback tasks")
        constraints = [
            # A rule never plans the same callback twice: one per work order, one per customer and day.
            models.UniqueConstraint(fields=["work_order"], name="callback_task_work_order_once",
                                    condition=models.Q(work_order__isnull=False)),
            models.UniqueConstraint(fields=["kind", "customer", "due_date"], name="callback_task_once",
                                    condition=models.Q(work_order__isnull=True)),
        ]
        indexes = [
            models.Index(fields=["project", "status", "due_date"], name="callback_task_list"),
            models.Index(fields=["assignee", "status", "due_date"], name="callback_task_mine"),
            models.Index(fields=["customer", "kind", "due_date"], name="callback_task_customer"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.customer or self.work_order} · {self.due_date}"

    @property
    def reason(self) -> str:
        """Why this callback is on the list, as the caller reads it."""
        if self.kind == RuleKind.CLOSED_WORK_ORDER and self.work_order_id:
            return _("Work order %(number)s closed") % {"number": WorkOrder(pk=self.work_order_id).number}
        return str(REASONS.get(self.kind, self.get_kind_display()))


REASONS = {
    RuleKind.NEW_OWNER: _("New owner: one month since move-in"),
    RuleKind.HALF_YEAR: _("Routine half-yearly callback"),
    RuleKind.CARE_VISIT: _("Household under care: quarterly door visit"),
}
