"""Reading exports. Membership checks live in the API permissions; these only scope by project."""

from __future__ import annotations

import hashlib
import json

from django.db.models import Count, Max, QuerySet, Sum

from annotator.agreement.models import AgreementReport
from annotator.annotations.models import Annotation
from annotator.core.errors import NotFound
from annotator.documents.models import Document
from annotator.exports.models import Export, ExportState
from annotator.gold.models import Gold, GoldCandidate
from annotator.projects.models import Membership, Project


def _without_names(exports: QuerySet[Export]) -> QuerySet[Export]:
    """Leave out exports that name annotators (a lead asked for ``annotator_names``)."""
    return exports.exclude(params__annotator_names=True)


def exports_of(*, project: Project, with_names: bool = True) -> QuerySet[Export]:
    """A project's exports, newest first, with their job and creator (one query per page).
    ``with_names=False`` (anyone but a lead) leaves out exports that name annotators."""
    exports = Export.objects.filter(project=project)
    if not with_names:
        exports = _without_names(exports)
    return exports.select_related("job", "created_by").order_by("-id")


def export_get(*, export_id: int) -> Export:
    """The export, or :class:`NotFound`."""
    export = Export.objects.select_related("project", "job", "created_by").filter(pk=export_id).first()
    if export is None:
        raise NotFound("no such export")
    return export


def export_latest(*, project: Project, format: str, with_names: bool = True) -> Export:
    """The version of ``format`` a request resolved to most recently (the one that matches the
    project's data as of the newest export request; ``with_names=False``: of those that name no
    annotator), or :class:`NotFound` saying so."""
    exports = Export.objects.filter(project=project, format=format, state=ExportState.DONE, same_as__isnull=True)
    if not with_names:
        exports = _without_names(exports)
    export = (
        exports
        .select_related("project")
        .order_by("-current_at", "-version")
        .first()
    )
    if export is None:
        raise NotFound(f"project {project.slug!r} has no finished {format!r} export yet", field="format")
    return export


# bump when the writers change what they write, so equal data no longer counts as exported
EXPORT_FORMAT_REVISION = 3  # 3: every sentence's status, confidence, soft labels, coverage


def export_data_key(*, project: Project) -> str:
    """A fingerprint of everything an export of ``project`` reads (six small aggregate
    queries): gold (count, id and version sums, newest decision), aggregation candidates,
    annotations (count, newest save), documents, the project row itself (schema, license, name,
    guidelines: ``updated_at``), membership, and the newest agreement report. Any change there
    changes the key; it may also change when the exported bytes would not (the job's content
    hash then finds the existing version), never the other way round."""
    gold = Gold.objects.filter(project=project).aggregate(
        n=Count("id"), ids=Sum("id"), versions=Sum("version"), last=Max("decided_at")
    )
    candidates = GoldCandidate.objects.filter(project=project).aggregate(n=Count("id"), last=Max("computed_at"))
    annotations = Annotation.objects.filter(project=project).aggregate(n=Count("id"), last=Max("updated_at"))
    documents = Document.objects.filter(project=project).aggregate(n=Count("id"), ids=Sum("id"))
    members = Membership.objects.filter(project=project).aggregate(n=Count("id"), ids=Sum("id"))
    report = AgreementReport.objects.filter(project=project).aggregate(last=Max("id"))
    updated = Project.objects.filter(pk=project.pk).values_list("updated_at", flat=True).first()
    parts = [EXPORT_FORMAT_REVISION, gold, candidates, annotations, documents, members, report, updated]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
