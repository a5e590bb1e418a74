"""What owners can read without asking: the published service promises and the FAQ (PRODUCT.md area 6)."""

from django.shortcuts import render

from propdesk.knowledge import selectors as knowledge
from propdesk.knowledge.models import Faq
from propdesk.service.promises import published_promises

from ..decorators import owner_view

MAX_FAQS = 100


@owner_view
def promises(request):
    """Per project of the owner: the limits from its SLA settings, the service center's phone and hours."""
    projects = {o.unit.project_id: o.unit.project for o in request.owner.occupancies}
    return render(request, "portal/promises.html", {
        "projects": [(project, published_promises(project)) for project in projects.values()]})


@owner_view
def faq(request):
    q = (request.GET.get("q") or "").strip()[:50]
    category = request.GET.get("category") if request.GET.get("category") in Faq.Category.values else None
    faqs = list(knowledge.faqs_for_owner(request.owner, q=q or None, category=category)[:MAX_FAQS])
    return render(request, "portal/faq.html", {
        "faqs": faqs, "q": q, "category": category, "categories": Faq.Category.choices})
