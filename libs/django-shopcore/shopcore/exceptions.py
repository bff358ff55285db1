"""Errors that services raise on purpose; the API layer turns each into the error shape.

Services know nothing about HTTP, but they do know *why* something cannot happen. Each class
carries a stable `code` for clients and the status it maps to.
"""

from typing import Any


class ApplicationError(Exception):
    """A business rule said no. Subclasses fix the status and the code."""

    status_code = 400
    code = "bad_request"
    default_message = "The request cannot be processed."

    def __init__(
        self, message: str | None = None, *, details: dict[str, Any] | None = None
    ) -> None:
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)


class InvalidInputError(ApplicationError):
    """Input that passed the serializer but breaks a rule only a service can check."""

    code = "validation_error"
    default_message = "The request is not valid."


class NotFoundError(ApplicationError):
    status_code = 404
    code = "not_found"
    default_message = "Not found."


class ConflictError(ApplicationError):
    """The request is valid but clashes with the current state (a taken SKU, a used id)."""

    status_code = 409
    code = "conflict"
    default_message = "The request conflicts with the current state."


class ServiceUnavailableError(ApplicationError):
    status_code = 503
    code = "service_unavailable"
    default_message = "A service this request needs is unavailable. Try again shortly."
