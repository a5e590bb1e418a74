"""Writes to the organisation: projects, buildings, units, staff and API tokens (PRODUCT.md area 1)."""

import secrets
from datetime import timedelta

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import ratelimit
from propdesk.core.changes import create_recorded, update_recorded
from propdesk.core.prepared import Prepared
from propdesk.core.timeline import Message

from . import audit
from .access import ADMINS, ARCHIVE_EDITORS, MANAGERS, require_project, require_role
from .models import ApiToken, Building, Company, Project, Unit, User

PROJECT_FIELDS = {"name", "kind", "service_mode", "address", "phone", "timezone"}
BUILDING_FIELDS = {"code", "name", "floors"}
UNIT_FIELDS = {"entrance", "number", "floor", "area", "layout", "status"}


def create_project(actor, *, company: Company, **fields) -> Project:
    """Only a company administrator opens a new project."""
    require_role(actor, ADMINS)
    project = Project(company=company, **fields)
    return create_recorded(actor, project, "org.project.created", Message(gettext_noop("Project %(name)s created"), {"name": project.name}))


def update_project(actor, project: Project, data: dict) -> dict:
    require_role(actor, MANAGERS)
    require_project(actor, project.pk)
    return update_recorded(actor, project, data, PROJECT_FIELDS, "org.project.changed",
                           Message(gettext_noop("Project %(name)s changed"), {"name": project.name}))


def create_building(actor, *, project: Project, **fields) -> Building:
    require_role(actor, ARCHIVE_EDITORS)
    require_project(actor, project.pk)
    building = Building(project=project, **fields)
    return create_recorded(actor, building, "org.building.created",
                           Message(gettext_noop("Building %(name)s created"), {"name": building.name}), subjects=[project])


def update_building(actor, building: Building, data: dict) -> dict:
    require_role(actor, ARCHIVE_EDITORS)
    require_project(actor, building.project_id)
    return update_recorded(actor, building, data, BUILDING_FIELDS, "org.building.changed",
                           Message(gettext_noop("Building %(name)s changed"), {"name": building.name}))


def _check_unit(unit: Unit) -> None:
    errors = {}
    if unit.area is not None and unit.area <= 0:
        errors["area"] = _("The area must be greater than zero.")
    if unit.building_id and unit.project_id and unit.building.project_id != unit.project_id:
        errors["building"] = _("The building belongs to another project.")
    if errors:
        raise ValidationError(errors)


def create_unit(actor, *, building: Building, **fields) -> Unit:
    require_role(actor, ARCHIVE_EDITORS)
    require_project(actor, building.project_id)
    unit = Unit(building=building, project_id=building.project_id, **fields)
    return create_recorded(actor, unit, "org.unit.created",
                           Message(gettext_noop("Unit %(unit)s created"), {"unit": unit.label}), subjects=[building], check=_check_unit)


def update_unit(actor, unit: Unit, data: dict) -> dict:
    require_role(actor, ARCHIVE_EDITORS)
    require_project(actor, unit.project_id)
    return update_recorded(actor, unit, data, UNIT_FIELDS, "org.unit.changed",
                           Message(gettext_noop("Unit %(unit)s changed"), {"unit": unit.label}), check=_check_unit)


def create_staff(actor, *, username: str, password: str, role: str, projects=(), **fields) -> User:
    """A company administrator creates staff and assigns their projects."""
    require_role(actor, ADMINS)
    with transaction.atomic():
        user = User(username=username, role=role, **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        user.projects.set(projects)
    return user


# -- authentication ---------------------------------------------------------------------------

TOKEN_LIFETIME = timedelta(days=30)


def login_allowed(username: str, address: str) -> bool:
    """Count a login attempt; False when the account or the address has tried too often.

    LOGIN_RATE_LIMIT attempts per LOGIN_RATE_WINDOW seconds for one username, five times as many from
    one client address (any usernames). A refused attempt is written to the security audit log.
    """
    from django.conf import settings

    limit, window = settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_WINDOW
    by_user = ratelimit.hit(f"login:user:{username.lower()}", limit, window)
    by_addr = ratelimit.hit(f"login:addr:{address}", limit * 5, window)
    if not (by_user and by_addr):
        audit.record(audit.Kind.LOGIN_THROTTLED, username=username, address=address,
                     detail="too many attempts for the account" if not by_user else "too many attempts from the address")
    return by_user and by_addr


class LoginThrottled(PermissionDenied):
    """Too many login attempts for the account or the address; callers may answer 429."""


def issue_api_token(username: str, password: str, address: str, request=None) -> tuple[str, ApiToken]:
    """Exchange a staff member's username and password for a bearer token (rate-limited)."""
    if not login_allowed(username, address):
        raise LoginThrottled(_("Too many login attempts. Please wait a few minutes and try again."))
    user = authenticate(request, username=username, password=password)  # a failure is audited by its signal
    if user is None or not user.is_active:
        if user is not None:
            audit.record(audit.Kind.LOGIN_FAILED, request=request, username=username, address=address,
                         detail="inactive account")
        raise PermissionDenied(_("Wrong username or password."))
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, digest=ApiToken.digest_of(raw), expires_at=timezone.now() + TOKEN_LIFETIME
    )
    audit.record(audit.Kind.LOGIN, request=request, user=user, address=address, channel=audit.Channel.API,
                 detail="API token issued")
    return raw, token


_USER_COLUMNS = [f.attname for f in User._meta.concrete_fields]
# Every API call reads its token: the read is compiled once (core.prepared), still one query per call, so
# a revoked or expired token or a deactivated account is refused from the next request on.
_TOKEN_USER = Prepared(
    lambda digest, now: ApiToken.objects.filter(digest=digest, expires_at__gt=now)
    .order_by("pk").values_list(*(f"user__{name}" for name in _USER_COLUMNS))[:1],
    ApiToken._meta.get_field("digest"), ApiToken._meta.get_field("expires_at"))


def user_for_token(raw: str) -> User | None:
    rows = _TOKEN_USER.rows(ApiToken.digest_of(raw), timezone.now())
    if not rows:
        return None
    user = User.from_db(ApiToken.objects.db, _USER_COLUMNS, rows[0])
    return user if user.is_active else None
