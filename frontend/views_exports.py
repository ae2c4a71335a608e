"""The exports page: start an export, watch its progress, download past exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotator.exports.models import ExportFormat
from annotator.exports.selectors import exports_of
from annotator.exports.services import export_filename
from annotator.projects.models import Role
from frontend.access import project_for_page

RECENT = 50


@login_required
def exports_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Leads and viewers only (404 for non-members, 403 for annotators)."""
    project, role = project_for_page(request, slug, roles=[Role.LEAD, Role.VIEWER])
    # the copy-paste lines are built by static/frontend/js/lib/snippet.js from these
    api_root = request.build_absolute_uri("/api/")
    context = {
        "project": project,
        "role": role,
        "formats": ExportFormat.choices,
        "ml_formats": [
            (value, label, export_filename(slug=project.slug, format=value, version=None))
            for value, label in ExportFormat.choices
        ],
        "api_root": api_root,
        "exports": list(exports_of(project=project, with_names=role == Role.LEAD)[:RECENT]),
    }
    return render(request, "frontend/exports.html", context)
