"""Background jobs of billing: thin wrappers over the services, so the console, the API and the worker
run the same rules."""

from django.core.cache import cache
from django.tasks import task
from django.utils import timezone


@task
def preview_bill_run(run_id: int) -> dict:
    from . import runs

    summary = runs.preview(run_id)
    return {"units": summary["units"], "bills_to_post": summary["bills_to_post"]}


@task
def post_bill_run(run_id: int, actor_id: int | None) -> int:
    from . import runs

    return runs.post(run_id, actor_id)


@task
def announce_bill_run(run_id: int) -> int:
    """Tell each payer of a posted run (SMS, and the portal) that their bill is ready."""
    from . import notices

    return notices.announce_run(run_id)


@task
def billing_daily() -> dict:
    """The periodic job: once a day, climb the reminder ladder for units in arrears."""
    today = timezone.localdate()
    key = f"billing:daily:{today.isoformat()}"
    if cache.get(key):
        return {"ran": False}
    from . import reminders

    report = reminders.run_reminders(today=today)
    cache.set(key, True, timeout=2 * 86400)
    return {"ran": True, **report}
