"""Background jobs of the notify app: thin wrappers over services (arguments are ids, JSON-safe)."""

from django.tasks import task

from . import services


@task
def deliver_notification(notification_id: int) -> str:
    """Send one email/SMS notification; safe to run twice (see services.deliver)."""
    return services.deliver(notification_id)


@task
def deliver_notifications(notification_ids: list[int]) -> dict:
    """Send a batch of notifications one by one (a bulk send); each is claimed on its own, so a batch
    enqueued twice or cut short by a dying worker never sends a message twice."""
    statuses: dict[str, int] = {}
    for notification_id in notification_ids:
        status = services.deliver(notification_id)
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


@task
def retry_failed_notifications() -> int:
    """The periodic sweep: re-enqueue failed and stuck deliveries."""
    return services.retry_failed()
