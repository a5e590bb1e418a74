"""The quarterly archive review (PRODUCT.md area 1): records unconfirmed for more than 90 days."""

from django.conf import settings
from django.shortcuts import render

from propdesk.archive.selectors import customers_due_review
from propdesk.org.selectors import projects_for

from ..decorators import staff_view
from ..pagination import paginate


@staff_view
def review_list(request):
    try:
        project_id = int(request.GET.get("project", ""))
    except ValueError:
        project_id = None
    page = paginate(request, customers_due_review(request.user, project_id=project_id))
    return render(request, "console/review.html", {
        "page": page,
        "projects": projects_for(request.user),
        "project_id": project_id,
        "review_days": settings.ARCHIVE_REVIEW_DAYS,
    })
