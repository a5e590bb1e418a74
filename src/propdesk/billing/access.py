"""Who may do what with fees: the role groups every billing service checks and every page asks about.

The groups are settings (companies organise their service centres differently): cashiers take money
at the desk, clerks keep fee items, standards, readings, runs and statements, approvers (a manager)
approve corrections, refunds, deposit releases and statements, readers see the project's fees.
Scoping by project is org.access's, as everywhere.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from propdesk.org.access import has_role, require_project, require_role


def cashiers() -> tuple:
    return tuple(settings.BILLING_CASHIER_ROLES)


def clerks() -> tuple:
    return tuple(settings.BILLING_CLERK_ROLES)


def approvers() -> tuple:
    return tuple(settings.BILLING_APPROVER_ROLES)


def readers() -> tuple:
    return tuple(set(settings.BILLING_READER_ROLES) | set(cashiers()) | set(clerks()) | set(approvers()))


def require(actor, project_id: int, roles: tuple) -> None:
    """The actor works on the project (else NotFound) and has one of `roles` (else PermissionDenied)."""
    require_project(actor, project_id)
    require_role(actor, roles)


def require_reader(user) -> None:
    """Billing pages and API lists: staff of a reading role (a technician or guard sees no fees)."""
    require_role(user, readers())


def require_other_approver(actor, project_id: int, requested_by_id: int) -> None:
    """A correction is approved by a manager of the project who did not ask for it (four eyes)."""
    require(actor, project_id, approvers())
    if actor.pk == requested_by_id:
        raise PermissionDenied("a request is approved by someone else")


def can(user, roles: tuple) -> bool:
    return has_role(user, roles)
