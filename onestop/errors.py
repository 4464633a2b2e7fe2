"""Errors a service raises when it refuses; views and the API turn them into 400/403/409."""


class DomainError(Exception):
    """A refusal with a message the user can read (in Vietnamese)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """The request names something wrong (400): a value out of range, an unknown reference."""

    status_code = 400


class NotAllowed(DomainError):
    """The user's role may not do this (403)."""

    status_code = 403


class Conflict(DomainError):
    """The current state does not allow this (409): a wrong lifecycle step, a clash."""

    status_code = 409
