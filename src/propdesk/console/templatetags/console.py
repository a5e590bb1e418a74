"""Display helpers for console templates: change rows of timeline events, ages, page links."""

from datetime import date

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Models whose changes appear on timelines; a change's field name is looked up in them, in order.
_CHANGE_MODELS = ("service.WorkOrder", "archive.Customer", "archive.Occupancy", "org.Unit", "org.Building", "org.Project")
_EXTRA_LABELS = {"phones": _("phones")}


def _field(name):
    for label in _CHANGE_MODELS:
        try:
            field = apps.get_model(label)._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete:
            return field
    return None


def _display(field, value):
    if value in (None, ""):
        return "—"
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


@register.filter
def change_rows(changes) -> list[tuple]:
    """{"field": [old, new]} → [(label, old, new)] with verbose names and choice labels."""
    rows = []
    if not isinstance(changes, dict):
        return rows
    for name, pair in changes.items():
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            continue
        field = _field(name)
        label = _EXTRA_LABELS.get(name) or (field.verbose_name if field is not None else name)
        rows.append((label, _display(field, pair[0]), _display(field, pair[1])))
    return rows


@register.filter
def age(birth_date):
    if not isinstance(birth_date, date):
        return ""
    today = timezone.localdate()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


@register.filter
def is_current(occupancy) -> bool:
    return occupancy.is_current()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current URL's query string with `page` replaced, so filters survive paging."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
