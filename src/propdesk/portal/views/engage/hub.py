"""The owner's community page (社区): notices, activities, points, votes and reports in one place."""

from django.shortcuts import render

from propdesk.engage.activities import selectors as activities
from propdesk.engage.notices import selectors as notices
from propdesk.engage.points import selectors as points

from ...decorators import owner_view


@owner_view
def community(request):
    return render(request, "portal/engage/community.html", {
        "latest": list(notices.notices_for_owner(request.owner)[:3]),
        "activities": list(activities.activities_for_owner(request.owner)[:3]),
        "accounts": points.owner_accounts(request.owner)})
