"""Reading projects as a given user may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from annotator.annotations.models import Annotation
from annotator.gold.models import Gold

from .models import Membership, Project, Role
from .schema import NameKey, labels_name_keys


def projects_for_user(*, user: Any) -> QuerySet[Project]:
    """The projects ``user`` belongs to, with sentence and document counts (one query)."""
    return (
        Project.objects.filter(memberships__user=user)
        .annotate(
            sentence_count=Count("sentences", distinct=True),
            document_count=Count("documents", distinct=True),
        )
        .order_by("id")
    )


def role_of(*, user: Any, project_id: int) -> str | None:
    """The user's role in the project, or None for a non-member."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(project_id=project_id, user=user).values_list("role", flat=True).first()


def members_of(*, project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("user").order_by("role", "user__username")


def annotator_ids(*, project: Project) -> list[int]:
    return list(project.memberships.filter(role=Role.ANNOTATOR).values_list("user_id", flat=True))


def projects_progress(*, project_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per project: sentences, sentences with at least one submitted annotation (started)
    and with all k of them (complete). One query for any number of projects."""
    from django.db.models import F, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from annotator.annotations.models import Annotation, AnnotationStatus
    from annotator.documents.models import Sentence

    submitted = (
        Annotation.objects.filter(sentence=OuterRef("pk"), status=AnnotationStatus.SUBMITTED)
        .order_by()
        .values("sentence")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = (
        Sentence.objects.filter(project_id__in=project_ids)
        .annotate(n=Coalesce(Subquery(submitted, output_field=IntegerField()), Value(0)))
        .values("project_id")
        .annotate(
            sentences=Count("id"),
            started=Count("id", filter=Q(n__gt=0)),
            complete=Count("id", filter=Q(n__gte=F("project__overlap"))),
        )
        .order_by()
    )
    progress = {pid: {"sentences": 0, "complete": 0, "started": 0} for pid in project_ids}
    for row in rows:
        progress[row["project_id"]] = {k: row[k] for k in ("sentences", "complete", "started")}
    return progress


def project_progress(*, project: Project) -> dict[str, int]:
    """Sentences, and how many have all k submitted annotations (see projects_progress)."""
    return projects_progress(project_ids=[project.pk])[project.pk]


def label_usage(*, project: Project, keys: set[NameKey]) -> dict[NameKey, tuple[int, int]]:
    """How many of the project's annotations and gold decisions use each of ``keys``
    (``(annotations, gold)``; a row counts once however often it uses a name). Streams the
    labels once per table (two queries); nothing is read when ``keys`` is empty."""
    counts: dict[NameKey, list[int]] = {key: [0, 0] for key in keys}
    if not keys:
        return {}
    for column, model in enumerate((Annotation, Gold)):
        rows = model.objects.filter(project=project).values_list("labels", flat=True)  # type: ignore[attr-defined]
        for labels in rows.iterator(chunk_size=2000):
            for key in labels_name_keys(labels) & keys:
                counts[key][column] += 1
    return {key: (a, g) for key, (a, g) in counts.items()}
