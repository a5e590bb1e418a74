"""The home page and the one caller-lookup box (PRODUCT.md area 8: recognising residents)."""

from django.shortcuts import redirect, render

from propdesk.archive import selectors
from propdesk.org.selectors import project_overview

from ..decorators import staff_view
from ..links import card_url


@staff_view
def home(request):
    return render(request, "console/home.html", {"projects": project_overview(request.user), "autofocus": True})


@staff_view
def lookup(request):
    """Phone (full or partial), name or unit address.

    htmx requests (live results while typing) get the results fragment only. A plain submit that
    finds exactly one customer or unit goes straight to its card.
    """
    query = request.GET.get("q", "")
    result = selectors.lookup(request.user, query)
    if request.htmx:
        return render(request, "console/_lookup_results.html", {"result": result, "live": True})
    if result.single is not None:
        return redirect(card_url(result.single))
    return render(request, "console/lookup.html", {"result": result, "q": result.query})
