"""Background jobs of the notify app: thin wrappers over services (arguments are ids, JSON-safe)."""

from django.tasks import task

from . import services


@task
def deliver_notification(notification_id: int) -> str:
    """Send one email/SMS notification; safe to run twice (see services.deliver)."""
    return services.deliver(notification_id)


@task
def retry_failed_notifications() -> int:
    """The periodic sweep: re-enqueue failed and stuck deliveries."""
    return services.retry_failed()
