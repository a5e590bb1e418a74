"""Owner portal pages of the engage domain (issue 15): notices, activities, points, votes, reports."""

from django.core.paginator import Paginator

PAGE_SIZE = 20


def page_of(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of a list (a bad page number falls back safely)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
