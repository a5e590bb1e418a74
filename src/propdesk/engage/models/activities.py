"""Community activities (社区活动, issue 15 item 2): plan, sign-up with a waiting list, attendance, record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.org.models import Building, Project, Unit


class Activity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        FINISHED = "finished", _("Finished")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    place = models.CharField(_("place"), max_length=100)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # Places in all; a sign-up takes as many as the people it brings (at most max_seats).
    capacity = models.PositiveIntegerField(_("capacity"))
    max_seats = models.PositiveSmallIntegerField(_("places per sign-up"), default=4)
    signup_opens_at = models.DateTimeField(_("sign-up opens"))
    signup_closes_at = models.DateTimeField(_("sign-up closes"))
    # The audience: no building means the whole project.
    buildings = models.ManyToManyField(Building, blank=True, related_name="+", verbose_name=_("buildings"))
    roles = models.JSONField(_("open to"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # What happened, written afterwards (活动记录), with the photos.
    record = models.TextField(_("record"), blank=True, max_length=4000)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["project", "status", "starts_at"], name="activity_list")]

    def __str__(self):
        return self.title

    def signup_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.signup_opens_at <= now < self.signup_closes_at


class Signup(models.Model):
    """A household's sign-up: confirmed within the capacity, else on the waiting list in order of arrival."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Via(models.TextChoices):
        PORTAL = "portal", _("Portal")
        DESK = "desk", _("Service desk")
        DOOR = "door", _("At the door")

    scope_path = "activity__project_id"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="activity_signups")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    seats = models.PositiveSmallIntegerField(_("places"), default=1)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Shown to the owner; typed at the door instead of the phone number.
    code = models.CharField(_("sign-up code"), max_length=6)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    via = models.CharField(_("signed up via"), max_length=10, choices=Via.choices, default=Via.PORTAL)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved up"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended_at = models.DateTimeField(_("attended"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        ordering = ["activity_id", "created_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            # A customer holds one live sign-up per activity (cancelled ones stay as history).
            models.UniqueConstraint(fields=["activity", "customer"], condition=~Q(status="cancelled"),
                                    name="signup_once_per_customer"),
            models.UniqueConstraint(fields=["activity", "code"], name="signup_code_once"),
        ]
        indexes = [models.Index(fields=["activity", "status", "created_at"], name="signup_queue")]

    def __str__(self):
        return f"{self.activity} · {self.customer}"


def photo_path(photo, filename: str) -> str:
    return f"activities/{photo.activity_id}/{filename}"


class ActivityPhoto(models.Model):
    """A photo of the activity, re-encoded without metadata (service.photos) and served through a scoped URL."""

    scope_path = "activity__project_id"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["activity_id", "uploaded_at", "id"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self):
        return self.caption or self.image.name
