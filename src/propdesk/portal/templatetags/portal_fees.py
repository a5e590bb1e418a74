"""Fees in portal templates: quantities and prices without trailing zeros (89.5 m² × ¥2.35)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain(value) -> str:
    """89.5000 → 89.5, 10.0000 → 10 (a Decimal shown as people write it, never through a float)."""
    if value in (None, ""):
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return format(number.normalize(), "f")
