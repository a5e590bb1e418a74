"""Phone numbers: one normal form for storage and search."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline with area code, e.g. 010-88886666 or 0755-8888666, optionally with an extension.
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}(\d{1,5})?$")


def normalize_phone(raw: str) -> str:
    """Digits only, without a +86/0086 country prefix."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def validate_phone(raw: str) -> str:
    """Return the normalised number or raise ValidationError (mainland mobile or landline)."""
    number = normalize_phone(raw)
    if _MOBILE.match(number) or _LANDLINE.match(number):
        return number
    raise ValidationError(_("“%(value)s” is not a valid phone number."), code="invalid_phone", params={"value": raw})
