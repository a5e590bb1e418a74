"""One paginator for every console list."""

from django.core.paginator import Paginator

PER_PAGE = 50


def paginate(request, queryset, per_page: int = PER_PAGE):
    """The requested page of `queryset` (invalid or out-of-range page numbers fall back safely)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class QuickPage:
    """A page of a list without COUNT(*): one row more than shown tells whether there is a next page.

    For the queue, which may hold millions of rows; the template shows "previous/next" without a total.
    """

    def __init__(self, queryset, number: int, per_page: int):
        self.number = number
        rows = list(queryset[(number - 1) * per_page: number * per_page + 1])
        self.object_list = rows[:per_page]
        self.has_next = len(rows) > per_page
        self.has_previous = number > 1
        self.next_page_number = number + 1
        self.previous_page_number = number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def quick_page(request, queryset, per_page: int = PER_PAGE) -> QuickPage:
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    return QuickPage(queryset, number, per_page)
