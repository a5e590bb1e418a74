"""Console pages of fees (收费, issue 14): standards, bill runs, the cash desk, approvals, arrears, statements.

Each view parses its input, calls one billing service or selector with request.user and renders; the
services decide who may do what (billing.access) and refuse bad input with Chinese messages.
"""

from propdesk.org.selectors import projects_for


def chosen_project(request):
    """The project a page shows: ?project= among the user's own projects, else their first one."""
    projects = projects_for(request.user)
    value = request.GET.get("project") or request.POST.get("project") or ""
    project = projects.filter(pk=int(value)).first() if value.isdigit() and len(value) < 19 else None
    return project or projects.first(), projects
