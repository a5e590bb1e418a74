"""Where the card of a looked-up object lives."""

from django.urls import reverse

from propdesk.archive.models import Customer
from propdesk.org.models import Unit


def card_url(obj) -> str:
    if isinstance(obj, Customer):
        return reverse("console:customer_detail", args=[obj.pk])
    if isinstance(obj, Unit):
        return reverse("console:unit_detail", args=[obj.pk])
    raise TypeError(f"No card for {type(obj).__name__}")
