"""The security log: sign-ins, failed sign-ins, sign-outs and refusals, for company administrators."""

from django.shortcuts import render

from propdesk.org import audit

from ..decorators import staff_view
from ..forms_audit import AuditFilterForm
from ..pagination import paginate


@staff_view
def audit_log(request):
    """Newest first, filtered; anyone but a company administrator is refused (and that is recorded)."""
    form = AuditFilterForm(request.GET)
    events = audit.search(request.user, **form.values())
    return render(request, "console/audit.html", {"form": form, "page": paginate(request, events)})
