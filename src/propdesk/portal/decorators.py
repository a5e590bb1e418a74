"""Every portal page is for a signed-in owner or resident; the owner is re-read on each request."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

from propdesk.archive.owners import owner_from_request
from propdesk.core.errors import NotFound


def owner_view(view):
    """Require a signed-in owner (request.owner); NotFound → 404 so other owners' data cannot be probed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.owner = owner_from_request(request)
        if request.owner is None:
            return redirect(f"/portal/login/?next={request.path}")
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
        except PermissionDenied:
            raise

    return wrapper
