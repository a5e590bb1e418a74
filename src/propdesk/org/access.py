"""Access scoping: the one place that decides which projects' data a staff member may see.

Every selector passes its queryset through `scope()`; every service that writes checks
`require_project()`. A company administrator sees every project of the installation; any other
staff member sees only the projects assigned to them. Out-of-scope objects are reported as not
found, so their existence does not leak.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models

from propdesk.core.errors import NotFound
from propdesk.core.prepared import Prepared

from .models import Project, User


def visible_project_ids(user) -> set[int] | None:
    """The ids of the projects `user` may see, or None for every project."""
    if not getattr(user, "is_authenticated", False) or not isinstance(user, User):
        return set()
    if not user.is_active:
        return set()
    if user.is_company_admin:
        return None
    cached = getattr(user, "_visible_project_ids", None)
    if cached is None:
        cached = {project_id for (project_id,) in _PROJECT_IDS.rows(user.pk)}
        user._visible_project_ids = cached
    return cached


# Read once per request (the user instance keeps it), compiled once per process (core.prepared).
_PROJECT_IDS = Prepared(lambda user_id: User(pk=user_id).projects.values_list("id"), User._meta.pk)


def scope(queryset: models.QuerySet, user) -> models.QuerySet:
    """Restrict `queryset` to what `user` may see. The model names its path to the project."""
    ids = visible_project_ids(user)
    if ids is None:
        return queryset
    path = project_path(queryset.model)
    return queryset.filter(**{f"{path}__in": ids}) if ids else queryset.none()


def project_path(model) -> str:
    if model is Project:
        return "id"
    path = getattr(model, "scope_path", None)
    if path is None:
        if any(f.name == "project" for f in model._meta.get_fields()):
            return "project_id"
        raise TypeError(f"{model.__name__} declares no scope_path: it cannot be scoped")
    return path


def get_scoped(queryset: models.QuerySet, user, **lookup):
    """Fetch one object within `user`'s scope, or raise NotFound."""
    try:
        return scope(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise NotFound from exc


def can_see_project(user, project_id: int) -> bool:
    ids = visible_project_ids(user)
    return ids is None or project_id in ids


def require_project(user, project_id: int) -> None:
    """Writes into a project the user is not assigned to are refused as not found."""
    if not can_see_project(user, project_id):
        raise NotFound


# -- who may do what: the role groups every service checks and every page asks about ----------

ADMINS = (User.Role.COMPANY_ADMIN,)
MANAGERS = (User.Role.COMPANY_ADMIN, User.Role.PROJECT_MANAGER)
# Keep the archive: front desk and butlers register and correct what owners tell them.
ARCHIVE_EDITORS = (User.Role.COMPANY_ADMIN, User.Role.PROJECT_MANAGER, User.Role.FRONT_DESK, User.Role.BUTLER)
# Import or export a whole project's archive.
ARCHIVE_TRANSFER = MANAGERS
# Read the outbox of what owners were sent by SMS and email: the people who answer owners about it. Guards,
# cleaners and technicians do not: a message may carry what only its owner should read.
OUTBOX_READERS = (User.Role.COMPANY_ADMIN, User.Role.PROJECT_MANAGER, User.Role.FRONT_DESK, User.Role.BUTLER)


def id_revealers() -> tuple:
    """Roles that may see a full ID document number (a setting: companies differ)."""
    return tuple(settings.ID_REVEAL_ROLES)


def has_role(user, roles) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", None) in roles)


def require_role(user, roles) -> None:
    if not has_role(user, roles):
        raise PermissionDenied
