"""The public-affairs panel of the unit card (issue 13): active renovation, open warranty items, release hold."""

from django import template

from propdesk.affairs.selectors import handover_defect, unit_affairs

register = template.Library()


@register.inclusion_tag("console/affairs/_unit_panel.html", takes_context=True)
def affairs_panel(context, unit):
    return {"a": unit_affairs(context["request"].user, unit)}


@register.inclusion_tag("console/affairs/_warranty_marker.html")
def affairs_warranty(work_order):
    """On a work order's page: that it is a warranty repair of a handover defect, and of which handover."""
    return {"line": handover_defect(work_order)}
