"""The annotator workspace page and its one JavaScript file.

URLs (frontend/urls.py):
    path("p/<slug:slug>/annotate/", workspace.workspace, name="workspace"),
    path("workspace.js", workspace.workspace_js, name="workspace-js"),
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition

from annotator.projects.models import Role
from frontend.access import project_for_page

from .esbundle import bundle

JS_ROOT = Path(__file__).resolve().parent / "static" / "frontend" / "js"
ENTRY = "workspace/main.js"

_cache: dict[str, tuple[tuple[tuple[str, float], ...], str, str]] = {}


def _sources_signature() -> tuple[tuple[str, float], ...]:
    return tuple(sorted((str(p), p.stat().st_mtime) for p in JS_ROOT.rglob("*.js")))


def _bundled() -> tuple[str, str]:
    """(javascript, etag), rebuilt only when a source file changed (cheap in dev, once in prod)."""
    signature = _sources_signature()
    hit = _cache.get(ENTRY)
    if hit is None or hit[0] != signature:
        js = bundle(ENTRY, lambda path: (JS_ROOT / path).read_text(encoding="utf-8"))
        _cache[ENTRY] = (signature, js, hashlib.sha256(js.encode()).hexdigest()[:20])
        hit = _cache[ENTRY]
    return hit[1], hit[2]


@condition(etag_func=lambda request: _bundled()[1])
def workspace_js(request: HttpRequest) -> HttpResponse:
    """Our ES modules joined into one (see esbundle.py); public, like any static file."""
    js, _ = _bundled()
    response = HttpResponse(js, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # revalidate with the ETag: 304 when unchanged
    return response


@login_required
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    """The annotation workspace of one project, for its annotators and leads.

    ``?sentence=<id>`` opens one of the caller's earlier sentences instead of the next.
    ``?modules=1`` loads the ES modules one by one (for debugging in the browser).
    """
    project, _ = project_for_page(
        request, slug, roles=[Role.ANNOTATOR, Role.LEAD], hide_from_other_roles=True,
        fields=("id", "name", "slug", "label_schema", "guidelines_html", "guidelines_version"),
    )
    sentence = request.GET.get("sentence", "")
    context = {
        "project": project,
        "schema": project.label_schema,
        "start_sentence": sentence if sentence.isdigit() else "",
        "separate_modules": request.GET.get("modules") == "1",
    }
    return render(request, "frontend/workspace.html", context)
