"""Background job of public affairs: post unclaimed found items on the portal's notice board (issue 13, item 6)."""

from django.tasks import task

from .lost_found import post_unclaimed


@task
def post_unclaimed_found_items() -> dict:
    """Every run posts what has waited its project's notice period; a posted item is never posted twice."""
    return {"posted": post_unclaimed()}
