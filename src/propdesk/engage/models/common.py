"""What engage keeps about a customer besides the archive, and its clients' idempotency keys."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer


class ContactPreference(models.Model):
    """How an owner wants to be reached beyond the archive's phones: the openid of the company's WeChat
    service account (for template messages) and whether they want festival and birthday greetings."""

    scope_path = "customer__project_id"

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="contact_preference")
    wechat_openid = models.CharField(_("WeChat openid"), max_length=64, blank=True)
    greetings_opt_out = models.BooleanField(_("no greetings"), default=False)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")

    def __str__(self):
        return str(self.customer_id)


class CreateKey(models.Model):
    """A client's Idempotency-Key for a create of the engage domain: a retry returns the first object."""

    # Who sent it: "staff:<user id>" or "owner:<mobile>".
    client = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    object_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="engage_create_key_once")]

    def __str__(self):
        return self.key
