"""Background job of public affairs: post unclaimed found items on the portal's notice board (issue 13, item 6)."""

from django.tasks import task

from . import charges, parking
from .lost_found import post_unclaimed


@task
def post_unclaimed_found_items() -> dict:
    """Every run posts what has waited its project's notice period; a posted item is never posted twice."""
    return {"posted": post_unclaimed()}


@task
def parking_daily() -> dict:
    """Every day: a space is free again once its rental has ended, and each rental's month that has begun
    is posted to billing (item 4)."""
    return {"changed": parking.refresh_space_status(), "rents": charges.post_parking_rents_due()}
