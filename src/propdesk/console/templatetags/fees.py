"""Fees in console templates: amounts as ¥1,234.50, and whether the user reads fees at all."""

from django import template

from propdesk.billing import access, money

register = template.Library()


@register.filter
def yuan(value) -> str:
    """¥1,234.50 (blank for None)."""
    if value in (None, ""):
        return ""
    return money.yuan(value)


@register.filter
def reads_fees(user) -> bool:
    """Whether the fees panel belongs on this user's cards (not a technician's, guard's or cleaner's)."""
    return access.can(user, access.readers())
