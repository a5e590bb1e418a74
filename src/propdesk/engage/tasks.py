"""Background jobs of engage: thin wrappers over its services (arguments are ids, JSON-safe)."""

from datetime import timedelta

from django.core.cache import cache
from django.tasks import task
from django.utils import timezone

from .notices import dispatch
from .notices import services as notices
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


@task
def fan_out_notice(dispatch_id: int) -> dict:
    """Create one notice sending's read receipts and messages (notices/dispatch.py); safe to run twice."""
    return dispatch.fan_out(dispatch_id)


@task
def notices_due() -> dict:
    """The periodic job of notices and votes: start the scheduled notices whose time has come, resume dead
    fan-outs, close the votes whose deadline has passed."""
    from .votes import services as votes

    now = timezone.now()
    return {"started": notices.send_due_notices(now), "resumed": dispatch.resume_stalled(now),
            "votes_closed": votes.close_due_votes(now)}


@task
def points_due() -> dict:
    """The periodic job of points: credit the survey answers of the last two days not yet credited."""
    from .points import ledger

    return {"surveys": ledger.earn_for_surveys(timezone.now() - timedelta(days=2))}


@task
def care_daily() -> dict:
    """The care calendar's daily job: plan the elderly households' festival visits, send today's birthday
    greetings; later runs on the same day do nothing (and would greet nobody twice anyway)."""
    from .care import services as care

    today = timezone.localdate()
    key = f"engage:care:{today.isoformat()}"
    if cache.get(key):
        return {"done": False}
    report = {"visits": care.plan_festival_visits(today), "birthdays": care.send_birthday_greetings(today)}
    cache.set(key, True, timeout=2 * 86400)
    return {"done": True, **report}
