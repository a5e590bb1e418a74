"""Browsing the archive: projects → buildings → units (PRODUCT.md area 1)."""

from django.shortcuts import render

from propdesk.archive import selectors as archive_selectors
from propdesk.org import selectors as org_selectors
from propdesk.service import desk
from propdesk.service import selectors as service_selectors

from ..decorators import staff_view
from ..pagination import paginate


@staff_view
def project_list(request):
    page = paginate(request, org_selectors.project_overview(request.user))
    return render(request, "console/project_list.html", {"page": page})


@staff_view
def project_detail(request, project_id: int):
    project = org_selectors.get_project(request.user, project_id)
    page = paginate(request, org_selectors.buildings_for(request.user, project_id=project.pk))
    return render(request, "console/project_detail.html", {"project": project, "page": page})


@staff_view
def building_detail(request, building_id: int):
    building = org_selectors.get_building(request.user, building_id)
    page = paginate(request, archive_selectors.building_units(request.user, building.pk))
    return render(request, "console/building_detail.html", {"building": building, "page": page})


@staff_view
def unit_detail(request, unit_id: int):
    card = archive_selectors.unit_card(request.user, unit_id)
    history = desk.with_urgency(service_selectors.unit_history(request.user, unit_id)[:20])
    return render(request, "console/unit_detail.html", {"card": card, "unit": card.unit, "history": history})
