"""The care calendar (关怀, issue 15 item 4): greetings on festivals and birthdays, from templates."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.org.models import Project


class Occasion(models.TextChoices):
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
    LANTERN = "lantern", _("Lantern Festival")
    DRAGON_BOAT = "dragon_boat", _("Dragon Boat Festival")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival")
    DOUBLE_NINTH = "double_ninth", _("Double Ninth Festival")
    NEW_YEAR = "new_year", _("New Year's Day")
    LABOUR_DAY = "labour_day", _("Labour Day")
    NATIONAL_DAY = "national_day", _("National Day")
    BIRTHDAY = "birthday", _("Birthday")


class GreetingTemplate(models.Model):
    """A project's wording of one occasion's greeting; {name} and {project} are filled in when sent."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="greeting_templates")
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    text = models.CharField(_("text"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["project_id", "occasion"]
        verbose_name = _("greeting template")
        verbose_name_plural = _("greeting templates")
        constraints = [models.UniqueConstraint(fields=["project", "occasion"], name="greeting_template_once")]

    def __str__(self):
        return f"{self.project} · {self.get_occasion_display()}"


class Greeting(models.Model):
    """A greeting sent to a customer for an occasion of a given date: once (the unique constraint)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="greetings")
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    day = models.DateField(_("date"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-day", "customer_id"]
        verbose_name = _("greeting")
        verbose_name_plural = _("greetings")
        constraints = [models.UniqueConstraint(fields=["customer", "occasion", "day"], name="greeting_once")]
        indexes = [models.Index(fields=["project", "occasion", "day"], name="greeting_occasion")]

    def __str__(self):
        return f"{self.get_occasion_display()} {self.day} → {self.customer_id}"
