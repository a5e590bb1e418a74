"""Turn every error into one JSON shape, in the request's language.

    {"detail": "<one sentence>", "errors": {"<field>": ["<message>", ...]}}

`errors` is present only for invalid input (422). Pydantic's own messages are English and
technical, so each error type is mapped to a gettext'd message; where Django already has the same
sentence the msgid is Django's, so it is translated even before our catalogue is.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

NON_FIELD = NON_FIELD_ERRORS  # "__all__"

# Where a request parameter came from, as Ninja puts it first in an error's location.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _message(error: dict) -> str:
    """One user-facing sentence for one pydantic error."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind.startswith(("float_", "decimal_")):
        return _("Enter a valid number.")
    if kind.startswith("datetime_"):
        return _("Enter a valid date/time.")
    if kind.startswith("date_"):
        return _("Enter a valid date.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind == "string_type":
        return _("Enter text.")
    if kind == "string_too_long":
        limit = ctx.get("max_length", 0)
        return ngettext("Enter at most %(count)d character.", "Enter at most %(count)d characters.",
                        limit) % {"count": limit}
    if kind in ("string_pattern_mismatch", "string_unicode"):
        # The only patterns are schemas.NO_NUL; lone surrogates are not text either.
        return _("Remove the characters that cannot be stored (such as NUL) from this text.")
    if kind == "string_too_short":
        return _("This field cannot be blank.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le", ctx.get("lt"))}
    if kind in ("enum", "literal_error"):
        return _("Select a valid choice.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Enter a list of values.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Enter a JSON object.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    return _("Enter a valid value.")


def _field(loc) -> str:
    """The input field an error belongs to: the first name after the source and Ninja's parameter.

    Ninja prefixes locations with the source and, for a body, the view's parameter name
    (("body", "payload", "phones", 1)); list positions are dropped so a bad phone is under "phones".
    """
    parts = list(loc or ())
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and len(parts) > 1 and parts[0] == "payload":
            parts.pop(0)
    names = [p for p in parts if isinstance(p, str) and p and p != "payload"]  # {"": 1}: not a field
    return names[0] if names else NON_FIELD


def schema_errors(errors: list[dict]) -> dict[str, list[str]]:
    """{field: [messages]} from Ninja's list of pydantic errors."""
    out: dict[str, list[str]] = {}
    for error in errors:
        message = _message(error)
        bucket = out.setdefault(_field(error.get("loc")), [])
        if message not in bucket:
            bucket.append(message)
    return out


def django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """{field: [messages]} from a service's ValidationError (already in the active language)."""
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {NON_FIELD: list(exc.messages)}


def required(field: str):
    """Raise the same 422 a missing field gets, for a field that is required only in some cases."""
    raise DjangoValidationError({field: _("This field is required.")})


def invalid_body(errors: dict[str, list[str]]) -> dict:
    return {"detail": _("The data you sent is not valid. See the errors of each field."), "errors": errors}
