"""One error shape for every API failure:
``{"detail": "...", "field": "entities[0].start" | null, "errors": [{"field", "message"}]}``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
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
        # a domain error may carry more for the client (e.g. a schema change's ``impact``)
        extra = getattr(exc, "extra", None) or {}
        return Response(
            {"detail": exc.message, "field": exc.field, "errors": exc.errors, **extra},
            status=exc.status,
        )
    if isinstance(exc, RequestDataTooBig):
        # Django's own answer is an HTML 400 page; an API client gets JSON it can read.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {"detail": f"the request body is larger than the limit of {limit} bytes", "field": "body", "errors": []},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return _error(f"too many files in one upload: at most {limit}", "files", status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return _error(f"too many form fields: at most {limit}", "body", status.HTTP_400_BAD_REQUEST)
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


def _error(detail: str, field: str | None, code: int) -> Response:
    return Response({"detail": detail, "field": field, "errors": [{"field": field, "message": detail}] if field else []},
                    status=code)


# Django's own error views (annotator/urls.py handler400/403/404/500): under /api/ they
# answer in the API's JSON error shape, never an HTML page; pages keep Django's.


def _api_json(request: Any, detail: str, code: int) -> Any:
    from django.http import JsonResponse

    return JsonResponse({"detail": detail, "field": None, "errors": []}, status=code)


def _is_api(request: Any) -> bool:
    return str(getattr(request, "path", "")).startswith("/api/")


def not_found(request: Any, exception: Exception | None = None) -> Any:
    """``handler404``: a URL under /api/ that matches no route (e.g. a negative id, which
    ``<int:...>`` does not match) answers in the API's JSON error shape, not an HTML page."""
    from django.views.defaults import page_not_found

    if _is_api(request):
        return _api_json(request, "not found", 404)
    return page_not_found(request, exception)


def server_error(request: Any) -> Any:
    """``handler500``: an unhandled exception (logged by Django as usual); the client gets
    no internals, only that it failed."""
    from django.views.defaults import server_error as page_server_error

    if _is_api(request):
        return _api_json(request, "internal server error; the failure has been logged", 500)
    return page_server_error(request)


def bad_request(request: Any, exception: Exception | None = None) -> Any:
    """``handler400`` (e.g. a SuspiciousOperation outside a DRF view)."""
    from django.views.defaults import bad_request as page_bad_request

    if _is_api(request):
        return _api_json(request, "bad request", 400)
    return page_bad_request(request, exception)


def permission_denied(request: Any, exception: Exception | None = None) -> Any:
    """``handler403``."""
    from django.views.defaults import permission_denied as page_permission_denied

    if _is_api(request):
        return _api_json(request, "permission denied", 403)
    return page_permission_denied(request, exception)
