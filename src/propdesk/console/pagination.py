"""One paginator for every console list."""

from django.core.paginator import Paginator

PER_PAGE = 50


def paginate(request, queryset, per_page: int = PER_PAGE):
    """The requested page of `queryset` (invalid or out-of-range page numbers fall back safely)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
