"""Text in the URL that the database cannot store, refused before any view runs.

JSON bodies are checked by the parser (api/parsers.py) and form file names are cleaned by
Django; what is left is the URL: a ``%00`` in a query parameter (``?annotator=``) or a
path segment (``members/<username>/``) reached a query and came back as a 500.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from annotator.core.text import text_problem


class UnstorableTextMiddleware:
    """Under /api/: a 400 in the error shape naming the query parameter (or ``path``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            found = _first_problem(request)
            if found is not None:
                field, problem = found
                detail = f"{field}: {problem}"
                return JsonResponse(
                    {"detail": detail, "field": field, "errors": [{"field": field, "message": problem}]}, status=400
                )
        return self.get_response(request)


def _first_problem(request: HttpRequest) -> tuple[str, str] | None:
    problem = text_problem(request.path)
    if problem:
        return "path", problem
    for key, values in request.GET.lists():
        for value in (key, *values):
            problem = text_problem(value)
            if problem:
                return key if value is not key else "query", problem
    return None
