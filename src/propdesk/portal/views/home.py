"""The owner's home page: their homes today and the shortcuts of the portal."""

from django.shortcuts import render

from propdesk.surveys import selectors as surveys

from ..decorators import owner_view


@owner_view
def home(request):
    return render(request, "portal/home.html", {"occupancies": request.owner.occupancies,
                                                "pending_surveys": surveys.pending_for_owner(request.owner)})
