"""The reminder ladder (催缴), the reminders sent, payment plans (issue 14, item 4).

The product has no way to cut water, power, heating, gas, lift, gate or parking access for arrears
(Civil Code art. 944; LAW.md): a reminder is a notice, a visit or a letter, and nothing else.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.org.models import Project, Unit

from .base import money_field


class ReminderAction(models.TextChoices):
    NOTICE = "notice", _("Notice in the portal and by SMS")
    SECOND_NOTICE = "second_notice", _("Second notice in the portal and by SMS")
    VISIT = "visit", _("Butler visit (callback list)")
    LETTER = "letter", _("Formal reminder letter (PDF)")


# (days overdue, action) of the ladder a project starts with.
DEFAULT_LADDER = (
    (15, ReminderAction.NOTICE),
    (45, ReminderAction.SECOND_NOTICE),
    (75, ReminderAction.VISIT),
    (105, ReminderAction.LETTER),
)


class ReminderStep(models.Model):
    """One rung of a project's ladder: from how many days overdue, which action."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reminder_steps")
    order = models.PositiveSmallIntegerField(_("step"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    days_overdue = models.PositiveSmallIntegerField(_("days overdue"),
                                                    validators=[MinValueValidator(1), MaxValueValidator(3650)])
    action = models.CharField(_("action"), max_length=20, choices=ReminderAction.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["project_id", "order"]
        verbose_name = _("reminder step")
        verbose_name_plural = _("reminder steps")
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="reminder_step_once")]

    def __str__(self):
        return f"{self.order}. {self.get_action_display()} ({self.days_overdue})"


class Reminder(models.Model):
    """A step of the ladder taken for a unit's debt: what was sent, to whom, for how much.

    Once per step and arrears episode (the episode is named by the due date of the oldest open line
    when it began): paying everything ends the episode, new arrears start again at the first step."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reminders")
    payer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step = models.PositiveSmallIntegerField(_("step"))
    action = models.CharField(_("action"), max_length=20, choices=ReminderAction.choices)
    episode = models.DateField(_("arrears since"))
    owed = money_field(_("owed"))
    days_overdue = models.PositiveIntegerField(_("days overdue"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    # The project's day the step was taken for (the ladder counts its gaps and episodes in days).
    day = models.DateField(_("day"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    # What was sent: the text, the notification ids, the callback task, the letter's file name.
    detail = models.JSONField(default=dict, blank=True)
    letter = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["unit", "episode", "step"], name="reminder_once")]
        indexes = [models.Index(fields=["project", "-sent_at"], name="reminder_project")]

    def __str__(self):
        return f"{self.unit} {self.get_action_display()}"


class PaymentPlan(models.Model):
    """An agreed payment plan (还款计划): while it runs, the ladder stops for the unit."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="payment_plans")
    terms = models.CharField(_("terms"), max_length=300)
    until = models.DateField(_("until"))
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-agreed_at"]
        verbose_name = _("payment plan")
        verbose_name_plural = _("payment plans")

    def __str__(self):
        return f"{self.unit} → {self.until}"

    def is_active(self, today) -> bool:
        return self.ended_at is None and today <= self.until
