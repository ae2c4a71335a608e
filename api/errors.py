"""One error shape for every API failure:
``{"detail": "...", "field": "entities[0].start" | null, "errors": [{"field", "message"}]}``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotator.core.errors import DomainError


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            path = key if key == "non_field_errors" and not prefix else (f"{prefix}.{key}" if prefix else str(key))
            out.extend(_flatten(value, path))
        return out
    if isinstance(detail, list):
        if all(not isinstance(v, (dict, list)) for v in detail):
            return [{"field": prefix or "body", "message": str(v)} for v in detail]
        out = []
        for index, value in enumerate(detail):
            out.extend(_flatten(value, f"{prefix}[{index}]"))
        return out
    return [{"field": prefix or "body", "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(
            {"detail": exc.message, "field": exc.field, "errors": exc.errors},
            status=exc.status,
        )
    if isinstance(exc, RequestDataTooBig):
        # Django's own answer is an HTML 400 page; an API client gets JSON it can read.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {"detail": f"the request body is larger than the limit of {limit} bytes", "field": "body", "errors": []},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, (OperationalError, InterfaceError)) or type(exc) is DatabaseError:
        # The database went away: say so and let the client retry (the next request reconnects).
        from django.db import connection

        connection.close_if_unusable_or_obsolete()
        return Response(
            {"detail": "the database is unavailable; try again shortly", "field": None, "errors": []},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = errors[0] if errors else {"field": None, "message": "invalid input"}
        response.data = {"detail": f"{first['field']}: {first['message']}", "field": first["field"], "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"]), "field": None, "errors": []}
    return response


def not_found(request: Any, exception: Exception | None = None) -> Any:
    """``handler404``: a URL under /api/ that matches no route (e.g. a negative id, which
    ``<int:...>`` does not match) answers in the API's JSON error shape, not an HTML page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "not found", "field": None, "errors": []}, status=404)
    return page_not_found(request, exception)
