"""The owner's notice board (issue 15 item 1): notices of their buildings and those sent to their home.

Opening a notice signed in counts as read for each of the owner's homes it was sent to; the link of the
SMS or email (/portal/n/<token>/) opens it without signing in and counts as read for that household.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from propdesk.core.errors import NotFound
from propdesk.engage.notices import selectors, services

from ...decorators import owner_view
from . import page_of


@owner_view
def notice_list(request):
    return render(request, "portal/engage/notices.html", {
        "page": page_of(request, selectors.notices_for_owner(request.owner))})


@owner_view
def notice_detail(request, notice_id: int):
    notice = selectors.get_owner_notice(request.owner, notice_id)
    services.read_by_owner(request.owner, notice)
    return render(request, "portal/engage/notice.html", {"notice": notice})


@owner_view
def unread_banner(request):
    """The unread in-app notices, loaded into the portal's home page."""
    return render(request, "portal/engage/_unread.html", {"unread": selectors.unread_for_owner(request.owner)})


@never_cache
def notice_by_token(request, token: str):
    try:
        recipient = services.read_by_token(token)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "portal/engage/notice.html", {"notice": recipient.notice, "by_link": True,
                                                         "unit": recipient.unit})
