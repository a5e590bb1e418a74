"""The notification centre: the user's own in-app messages, and the outbox of what owners were sent."""

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from propdesk.notify import selectors, services
from propdesk.org import access

from ..decorators import staff_view
from ..pagination import quick_page


@staff_view
def notifications(request):
    outbox = request.GET.get("tab") == "outbox"
    rows = selectors.outbox(request.user) if outbox else selectors.notifications_for(request.user)
    return render(request, "console/service/notifications.html", {
        "page": quick_page(request, rows), "outbox": outbox,
        "can_read_outbox": access.has_role(request.user, access.OUTBOX_READERS)})


@require_POST
@staff_view
def notification_read(request, notification_id: int):
    """Mark one read and follow its link (or come back to the list)."""
    notification = services.mark_read(request.user, notification_id)
    link = notification.link
    if request.POST.get("open") and link and url_has_allowed_host_and_scheme(link, {request.get_host()}):
        return redirect(link)
    return redirect("console:notifications")


@require_POST
@staff_view
def notifications_read_all(request):
    services.mark_all_read(request.user)
    return redirect("console:notifications")
