"""The public-affairs panel of the unit card (issue 13): active renovation, open warranty items, release hold."""

from django import template

from propdesk.affairs.selectors import unit_affairs

register = template.Library()


@register.inclusion_tag("console/affairs/_unit_panel.html", takes_context=True)
def affairs_panel(context, unit):
    return {"a": unit_affairs(context["request"].user, unit)}
