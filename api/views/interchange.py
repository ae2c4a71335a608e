"""The annotation import's half of ``POST /api/projects/{id}/imports/`` (with ``format``)."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from annotator.interchange.services import annotations_import_start, label_map_parse
from annotator.projects.models import Project


def annotations_import_post(request: Request, project: Project, data: dict[str, Any]) -> Response:
    """Validated request data → a preview (200, ``dry_run``) or a started job (202)."""
    uploads = [(f.name, f.read()) for f in data["files"]]
    users = data.get("users")
    started = annotations_import_start(
        project=project,
        format=data["format"],
        uploads=uploads,
        on_misfit=data["on_misfit"],
        label_map=label_map_parse(data.get("map") or []),
        as_user=data.get("as_user") or None,
        users_file=users.read() if users is not None else None,
        gold_from=data.get("gold_from") or None,
        annotator_map=label_map_parse(data.get("annotators") or [], field="annotators"),
        dry_run=data["dry_run"],
        created_by=request.user,
    )
    if data["dry_run"]:
        return Response(started.as_dict(), status=status.HTTP_200_OK)
    return Response({"job": started.id}, status=status.HTTP_202_ACCEPTED)
