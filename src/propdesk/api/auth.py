"""Who is calling: a bearer token, or the console's session (with CSRF for unsafe methods)."""

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from propdesk.core.errors import PermissionDenied
from propdesk.core.ratelimit import client_address
from propdesk.org import services as org_services

from .schemas import NO_NUL, ErrorOut


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>` from POST /auth/token."""

    def authenticate(self, request, token):
        return org_services.user_for_token(token) if token else None


class SessionAuth(APIKeyCookie):
    """The console's login session. Unlike Ninja's django_auth, an anonymous caller gets 401 (not a
    CSRF 403): the CSRF check runs only once a session user is known, for unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF check failed. Reload the page and try again."))
        return user


class TokenIn(Schema):
    username: str = Field(..., max_length=150, pattern=NO_NUL)
    password: str = Field(..., max_length=4096, pattern=NO_NUL)


class TokenOut(Schema):
    token: str
    expires_at: datetime


class MessageOut(Schema):
    detail: str


router = Router(tags=["auth"])


@router.post("/token", auth=None, response={200: TokenOut, 400: ErrorOut, 401: MessageOut, 422: ErrorOut, 429: MessageOut},
             summary="Get an API token")
def issue_token(request, payload: TokenIn):
    """Exchange a staff member's username and password for a bearer token valid 30 days.

    Wrong credentials answer 401; too many attempts for the account or the address answer 429;
    a body that is not JSON 400, missing or overlong fields 422.
    """
    try:
        raw, token = org_services.issue_api_token(
            payload.username, payload.password, client_address(request), request=request)
    except org_services.LoginThrottled as exc:
        return Status(429, {"detail": str(exc.args[0]) if exc.args else _("Too many requests.")})
    except PermissionDenied as exc:
        return Status(401, {"detail": str(exc.args[0]) if exc.args else _("Wrong username or password.")})
    return {"token": raw, "expires_at": token.expires_at}
