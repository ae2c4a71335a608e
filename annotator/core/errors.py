"""The one error type of the domain; the API maps it to a stable JSON shape."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses. ``field`` names what is wrong (a path like
    ``entities[0].start``) and ``errors`` may carry every error found at once.
    ``status`` is the HTTP status the API answers with (400 unless said otherwise)."""

    status = 400

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors if errors is not None else ([{"field": field, "message": message}] if field else [])
        if status is not None:
            self.status = status


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class PermissionDenied(DomainError):
    status = 403


class Gone(DomainError):
    status = 410


class TooManyRequests(DomainError):
    """A quota is used up; the same request later may succeed."""

    status = 429
