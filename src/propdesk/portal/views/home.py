"""The owner's home page: their homes today and the shortcuts of the portal."""

from django.shortcuts import render

from ..decorators import owner_view


@owner_view
def home(request):
    return render(request, "portal/home.html", {"occupancies": request.owner.occupancies})
