"""Errors a domain action raises; the API and pages turn each into a clear 4xx message."""

from __future__ import annotations


class ActionError(Exception):
    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ActionError):
    status_code = 400


class Forbidden(ActionError):
    status_code = 403


class NotFound(ActionError):
    status_code = 404


class Conflict(ActionError):
    """The action is not allowed in the order's current state, or a colleague changed it first."""

    status_code = 409
