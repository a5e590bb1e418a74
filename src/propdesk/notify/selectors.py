"""Reads of the notify app, already scoped to the person asking."""

from django.db.models import QuerySet

from propdesk.org import access

from .models import Notification

Channel = Notification.Channel


def notifications_for(user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own in-app notifications, newest first, in the projects they can still see."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_user=user, channel=Channel.IN_APP)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return access.scope(qs, user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    """The number on the bell: the user's unread in-app notifications."""
    return notifications_for(user, unread_only=True).count()


def outbox(user, project_id: int | None = None, channel: str | None = None) -> QuerySet[Notification]:
    """What customers of the user's projects were sent (SMS, email), newest first, with its status.

    Lets the desk see exactly what an owner was told, and whether it reached them. Only the roles of
    org.access.OUTBOX_READERS may read it (PermissionDenied otherwise); secrets show masked (services.notify).
    """
    access.require_role(user, access.OUTBOX_READERS)
    channels = [Channel.SMS, Channel.EMAIL]
    if channel is not None:
        channels = [c for c in channels if c == channel]
    qs = Notification.objects.filter(recipient_customer_id__isnull=False, channel__in=channels)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return access.scope(qs, user).select_related("project").order_by("-created_at", "-id")


def batch_statuses(batches) -> dict[str, dict[str, dict[str, int]]]:
    """{batch: {channel: {status: count}}} of bulk sends (notify.services.send_bulk), from the batch index.

    Unscoped: the caller names batches of an object it already fetched through the user's scope."""
    from django.db.models import Count

    out: dict = {}
    rows = (Notification.objects.filter(batch__in=list(batches)).values("batch", "channel", "status")
            .annotate(n=Count("id")).order_by())
    for row in rows:
        out.setdefault(row["batch"], {}).setdefault(row["channel"], {})[row["status"]] = row["n"]
    return out
