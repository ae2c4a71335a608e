"""The exports page: start an export, watch its progress, download past exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from annotator.exports.models import ExportFormat
from annotator.exports.selectors import exports_of
from annotator.projects.models import Role
from frontend.access import project_for_page

RECENT = 50


@login_required
def exports_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Leads and viewers only (404 for non-members, 403 for annotators)."""
    project, role = project_for_page(request, slug, roles=[Role.LEAD, Role.VIEWER])
    api_root = request.build_absolute_uri("/api/")
    latest = request.build_absolute_uri(
        reverse("api:export-latest-download", kwargs={"pk": project.pk, "export_format": "bundle"})
    )
    context = {
        "project": project,
        "role": role,
        "formats": ExportFormat.choices,
        "exports": list(exports_of(project=project)[:RECENT]),
        "curl_token": f'curl -s -d username=YOU -d password=... {api_root}auth/token/',
        "curl_fetch": f'curl -fL -H "Authorization: Token $ACCORD_TOKEN" -o gold.zip {latest}',
        "load": 'unzip -o gold.zip -d gold && python -c \'import datasets; print(datasets.load_dataset("gold", "ner"))\'',
    }
    return render(request, "frontend/exports.html", context)
