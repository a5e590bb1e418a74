"""One way to show a console list: its filters read from the query string, its rows paginated, the page
rendered (the lists of notices, activities, meetings, votes and surveys)."""

from django.shortcuts import render

from ..pagination import paginate


def chosen(request, name: str, allowed) -> str | int | None:
    """The query string's `name` if it is one of `allowed` (a TextChoices class, or `int` for an id); else None,
    so that a value made up in the address bar lists everything rather than failing."""
    value = request.GET.get(name)
    if allowed is int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    return value if value in allowed.values else None


def list_page(request, template: str, select, filters: dict | None = None, **context):
    """Render `template` with `page` (the requested page of `select(**filters chosen)`, a scoped queryset), the
    value chosen for each filter under its name, and `context`."""
    values = {name: chosen(request, name, allowed) for name, allowed in (filters or {}).items()}
    return render(request, template, {"page": paginate(request, select(**values)), **values, **context})
