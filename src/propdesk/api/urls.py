"""The JSON API under /api/v1/: one NinjaAPI, its authentication, renderer and error handlers.

Every operation needs a bearer token or the console's session, except POST /auth/token. Errors
share one shape ({"detail", "errors"}), see errors.py; a 409 (core.errors.Conflict) adds "code" and
the object's current "state". All messages follow the request's language.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.renderers import JSONRenderer

from propdesk.core import outage
from propdesk.core.errors import Conflict, NotFound

from . import affairs, archive, auth, billing, engage, org, service
from .errors import django_errors, invalid_body, schema_errors


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON that keeps Chinese as characters (阳光花园), not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="propdesk API",
    version="1",
    description="Archives of projects, buildings, units, customers and occupancies; work orders.",
    urls_namespace="api",
    auth=[auth.BearerAuth(), auth.SessionAuth()],
    renderer=ReadableJSONRenderer(),
    # With "ninja" in INSTALLED_APPS the page loads Swagger UI from our static files, not a CDN.
    docs=Swagger(settings={"persistAuthorization": True}),
)


def _detail(request, status: int, message: str):
    return api.create_response(request, {"detail": message}, status=status)


def _database_unavailable(request, exc):
    """The database is restarting or locked: 503 with Retry-After, so the client retries (safely, with
    its Idempotency-Key) instead of reporting a fault."""
    return outage.unavailable_response(request)


for _unavailable in outage.UNAVAILABLE:
    api.add_exception_handler(_unavailable, _database_unavailable)


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc):
    return api.create_response(request, invalid_body(schema_errors(exc.errors)), status=422)


@api.exception_handler(DjangoValidationError)
def on_service_error(request, exc):
    return api.create_response(request, invalid_body(django_errors(exc)), status=422)


def on_not_found(request, exc):
    """A scoped lookup found nothing (core NotFound) or Django raised Http404."""
    return _detail(request, 404, _("Not found."))


for _missing in (NotFound, Http404):
    api.add_exception_handler(_missing, on_not_found)


@api.exception_handler(Conflict)
def on_conflict(request, exc):
    """409: the action does not fit the object's current state, or someone else changed it first."""
    body = {"detail": exc.message, "code": exc.code, "state": exc.state}
    return api.create_response(request, body, status=409)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    message = str(exc.args[0]) if exc.args else _("You do not have permission to do this.")
    return _detail(request, 403, message)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    response = _detail(request, 401, _("Sign in first: send a bearer token or a session cookie."))
    response["WWW-Authenticate"] = 'Bearer realm="propdesk"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    """Ninja's own HTTP errors; an unreadable body (400) gets a translated message."""
    if exc.status_code == 400:
        return _detail(request, 400, _("The request body could not be read: send valid JSON."))
    return _detail(request, exc.status_code, str(exc))


def not_found(request, rest: str = ""):
    """Any other path under /api/v1/ (routed after the API's own): the API's JSON 404, not the
    console's HTML page, so a client always reads the same error shape."""
    return _detail(request, 404, _("Not found."))


api.add_router("/auth", auth.router)
api.add_router("", org.router)
api.add_router("", archive.router)
api.add_router("", service.router)
api.add_router("", affairs.router)
api.add_router("", billing.router)
api.add_router("", engage.router)
