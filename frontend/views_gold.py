"""Adjudication pages (leads only): the queue and one sentence's versions side by side.

The sentence page is a shell; ``adjudicate.js`` reads ``GET /api/sentences/{id}/adjudication/``
and saves with ``PUT /api/sentences/{id}/gold/``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from annotator.documents.models import Sentence
from annotator.gold.selectors import adjudication_queue
from annotator.projects.models import Project, Role
from frontend.access import project_for_page

QUEUE_PAGE = 200


def _lead_project(request: HttpRequest, slug: str) -> Project:
    """The project if the caller leads it; other members get 403 (the styled page, like the
    agreement dashboard and the adjudication API: they know the project, the refusal is what
    keeps others' labels from them), non-members 404."""
    return project_for_page(request, slug, roles=[Role.LEAD], fields=("id", "slug", "name", "label_schema"))[0]


@login_required
def adjudication_queue_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The queue, worst first (the first 200; the API pages through all of them)."""
    project = _lead_project(request, slug)
    queue = adjudication_queue(project=project)
    context = {"project": project, "rows": queue[:QUEUE_PAGE], "total": queue.count(), "limit": QUEUE_PAGE}
    return render(request, "frontend/adjudicate_queue.html", context)


@login_required
def adjudicate_sentence_page(request: HttpRequest, slug: str, sentence_id: int) -> HttpResponse:
    project = _lead_project(request, slug)
    if not Sentence.objects.filter(pk=sentence_id, project=project).exists():
        raise Http404("no such sentence")
    context = {"project": project, "schema": project.label_schema, "sentence_id": sentence_id}
    return render(request, "frontend/adjudicate.html", context)
