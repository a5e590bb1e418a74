"""Display helpers of the service desk: countdown text, limits in words, the notification badge."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from propdesk.notify.selectors import unread_count

register = template.Library()


@register.simple_tag
def day_label() -> str:
    """The unit of days in a countdown (2d / 2天); console.js reads it from data-day-label."""
    return _("d (days)").removesuffix(" (days)")


@register.filter
def time_left(due) -> str:
    """The countdown as first rendered (console.js then ticks it): 0:29:45, 2d 03:10, −0:05:12."""
    if due is None:
        return "—"
    seconds = int((due - timezone.now()).total_seconds())
    sign, seconds = ("−" if seconds < 0 else ""), abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}{day_label()} {hours:02d}:{minutes:02d}"
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}"


@register.filter
def limit_text(minutes) -> str:
    """30 → "30 minutes", 120 → "2 hours", 4320 → "3 days"."""
    minutes = int(minutes or 0)
    if minutes and minutes % 1440 == 0:
        return ngettext("%(n)s day", "%(n)s days", minutes // 1440) % {"n": minutes // 1440}
    if minutes and minutes % 60 == 0:
        return ngettext("%(n)s hour", "%(n)s hours", minutes // 60) % {"n": minutes // 60}
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The number on the bell; one indexed COUNT per page, computed once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_count(user)
    return request._unread_notifications


@register.simple_tag(takes_context=True)
def main_menu(context) -> dict:
    """The navigation bar of the signed-in user (console.navigation)."""
    from ..navigation import menu_for

    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return menu_for(request.user, match.url_name if match else None)
