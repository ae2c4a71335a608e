"""Reading exports. Membership checks live in the API permissions; these only scope by project."""

from __future__ import annotations

from django.db.models import QuerySet

from annotator.core.errors import NotFound
from annotator.exports.models import Export, ExportState
from annotator.projects.models import Project


def exports_of(*, project: Project) -> QuerySet[Export]:
    """A project's exports, newest first, with their job and creator (one query per page)."""
    return (
        Export.objects.filter(project=project)
        .select_related("job", "created_by")
        .order_by("-id")
    )


def export_get(*, export_id: int) -> Export:
    """The export, or :class:`NotFound`."""
    export = Export.objects.select_related("project", "job", "created_by").filter(pk=export_id).first()
    if export is None:
        raise NotFound("no such export")
    return export


def export_latest(*, project: Project, format: str) -> Export:
    """The newest finished export of ``format``, or :class:`NotFound` saying so."""
    export = (
        Export.objects.filter(project=project, format=format, state=ExportState.DONE)
        .select_related("project")
        .order_by("-version")
        .first()
    )
    if export is None:
        raise NotFound(f"project {project.slug!r} has no finished {format!r} export yet", field="format")
    return export
