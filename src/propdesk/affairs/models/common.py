"""What every sub-domain of public affairs shares: the project's settings and photos."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Project


class AffairsSettings(models.Model):
    """A project's own numbers for public affairs; a project without a row uses the defaults."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="affairs_settings")
    patrol_interval_days = models.PositiveSmallIntegerField(_("renovation patrol every (days)"), default=2)
    unclaimed_notice_days = models.PositiveSmallIntegerField(
        _("post unclaimed found items after (days)"), default=7)
    disposal_days = models.PositiveSmallIntegerField(_("dispose of unclaimed found items after (days)"),
                                                     default=180)

    class Meta:
        verbose_name = _("public affairs settings")
        verbose_name_plural = _("public affairs settings")

    def __str__(self):
        return str(self.project)

    @classmethod
    def for_project(cls, project_id: int) -> "AffairsSettings":
        return cls.objects.filter(project_id=project_id).first() or cls(project_id=project_id)


class Photo(models.Model):
    """A photo of a handover defect, a patrol finding or a found item: re-encoded before storage
    (service.photos) and served only through a scoped URL."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    file = models.FileField(upload_to="affairs/%Y/%m/")
    name = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return self.name


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key on a create of public affairs (the API's gate hardware and other systems
    retry): the retry gets the first object back. The service desk keeps its own for work orders."""

    client = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="affairs_idempotency_once")]

    def __str__(self):
        return self.key
