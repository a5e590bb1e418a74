"""Background job of the callback plan: plan once a day, however often the scheduler enqueues it."""

from django.core.cache import cache
from django.tasks import task
from django.utils import timezone

from .planning import plan_callbacks


@task
def plan_callbacks_daily() -> dict:
    """Create the day's callback tasks (see planning.py); later runs on the same day do nothing."""
    today = timezone.localdate()
    key = f"engage:planned:{today.isoformat()}"
    if cache.get(key):
        return {"planned": False}
    report = plan_callbacks(today)
    cache.set(key, True, timeout=2 * 86400)
    return {"planned": True, **report}
