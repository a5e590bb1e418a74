"""Reads of the organisation, already scoped to the user."""

from django.db.models import Count

from propdesk.core.errors import NotFound

from .access import get_scoped, scope, visible_project_ids
from .models import Building, Company, Project, Unit


def companies_for(user):
    """Companies the user works for: all for a company administrator, else those of their projects."""
    ids = visible_project_ids(user)
    qs = Company.objects.order_by("name")
    return qs if ids is None else qs.filter(projects__in=ids).distinct()


def get_company(user, company_id: int) -> Company:
    try:
        return companies_for(user).get(pk=company_id)
    except Company.DoesNotExist as exc:
        raise NotFound from exc


def projects_for(user):
    return scope(Project.objects.select_related("company"), user).order_by("code")


def project_overview(user):
    return projects_for(user).annotate(building_count=Count("buildings", distinct=True))


def get_project(user, project_id: int) -> Project:
    return get_scoped(Project.objects.select_related("company"), user, pk=project_id)


def buildings_for(user, project_id: int | None = None):
    qs = scope(Building.objects.select_related("project"), user)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.annotate(unit_count=Count("units")).order_by("project_id", "code")


def building_choices(user):
    """Buildings for a filter or a form select: no counts, just what the option shows."""
    return scope(Building.objects.select_related("project"), user).order_by("project_id", "code").only(
        "id", "name", "code", "project__id", "project__name")


def get_building(user, building_id: int) -> Building:
    return get_scoped(Building.objects.select_related("project"), user, pk=building_id)


def units_for(user, project_id: int | None = None, building_id: int | None = None, number: str | None = None):
    qs = scope(Unit.objects.select_related("building", "project"), user)
    if number:
        qs = qs.filter(number=number)
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    if building_id is not None:
        qs = qs.filter(building_id=building_id)
    return qs


def get_unit(user, unit_id: int) -> Unit:
    return get_scoped(Unit.objects.select_related("building", "project"), user, pk=unit_id)
