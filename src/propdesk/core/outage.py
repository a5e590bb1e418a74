"""The database is briefly unreachable (restarting, failing over, locked): answer 503, not 500.

A 503 with Retry-After tells a client that retrying is right (the API's Idempotency-Key makes the
retry safe) and tells a person that it is a pause, not a fault in what they entered. Anything else
still goes to Django's ordinary error handling.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = (OperationalError, InterfaceError)


def unavailable_message() -> str:
    return _("The service is briefly unavailable. Please try again in a moment.")


def unavailable_response(request) -> HttpResponse:
    message = unavailable_message()
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(
            f'<!doctype html><meta charset="utf-8"><title>{message}</title><p>{message}</p>',
            status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost or locked database connection during a page into a 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):
            return unavailable_response(request)
        return None
