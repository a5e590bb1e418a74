"""Errors raised by services, understood alike by the console, the API and commands."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "NotFound", "Conflict"]


class NotFound(Exception):
    """The object does not exist for this user (out of scope is reported the same way)."""


class Conflict(Exception):
    """The action does not fit the object's current state, or someone else changed it first (HTTP 409)."""

    def __init__(self, message: str, code: str = "conflict", state: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        # The object's state when the action was refused, for a client to show or reload.
        self.state = state
