"""The wrapper every console view wears: login required, domain errors turned into HTTP answers."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from propdesk.core.errors import NotFound


def staff_view(view):
    """Require a logged-in staff member; an out-of-scope or missing object (NotFound) becomes a 404.

    PermissionDenied raised by a service needs no translation: Django answers it with a 403.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return login_required(wrapper)
