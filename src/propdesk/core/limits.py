"""Over-large requests answer 413 with a message a person can read, before anything is parsed or written.

Django refuses a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE only when a view first reads it, and then as a
SuspiciousOperation (a bare 400 page, or a 500 inside Django Ninja, which catches it itself). Uploaded files
are not counted at all: a request of any size would be spooled to disk. This middleware decides first, from
the declared length: forms and JSON up to DATA_UPLOAD_MAX_MEMORY_SIZE, multipart uploads up to
PROPDESK_MAX_UPLOAD_REQUEST (the photos of one report: 6 × 10 MB, with room for the form). A body that gives
no length, or a multipart form whose fields alone pass the limit or that sends too many fields or files, is
parsed here once (Django caches it for the view) and refused the same way. The API answers JSON with a
Chinese `detail`; pages answer a short page in the visitor's language.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
BODY_METHODS = ("POST", "PUT", "PATCH")


def _declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def too_large_message(limit: int) -> str:
    return _("The request is too large: at most %(size)s MB can be sent at once. "
             "Send fewer or smaller files, or shorter text.") % {"size": max(1, limit // (1024 * 1024))}


def too_large_response(request, limit: int):
    message = too_large_message(limit)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413, json_dumps_params={"ensure_ascii": False})
    portal = request.path_info.startswith("/portal/")
    return render(request, "413.html", {"message": message, "portal": portal}, status=413)


def unreadable_response(request):
    message = _("The request body could not be read.")
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class RequestTooLargeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS:
            multipart = request.content_type == "multipart/form-data"
            limit = settings.PROPDESK_MAX_UPLOAD_REQUEST if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            length = _declared_length(request)
            if length is not None and length > limit:
                return too_large_response(request, limit)
            try:
                if multipart or request.content_type == "application/x-www-form-urlencoded":
                    request.POST  # noqa: B018 — parsed once here, cached for the view and CSRF
                else:
                    request.body  # noqa: B018
            except TOO_LARGE:
                return too_large_response(request, limit)
            except MultiPartParserError:  # a broken multipart body: the client's fault, said plainly
                return unreadable_response(request)
        return self.get_response(request)
