"""Errors raised by services, understood alike by the console, the API and commands."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "NotFound"]


class NotFound(Exception):
    """The object does not exist for this user (out of scope is reported the same way)."""
