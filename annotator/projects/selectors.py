"""Reading projects as a given user may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import Membership, Project, Role


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


def project_progress(*, project: Project) -> dict[str, int]:
    """Sentences, and how many have all k submitted annotations (two queries)."""
    from annotator.annotations.models import Annotation, AnnotationStatus

    sentences = project.sentences.count()
    per_sentence = (
        Annotation.objects.filter(project=project, status=AnnotationStatus.SUBMITTED)
        .values("sentence_id")
        .annotate(n=Count("id"))
        .aggregate(complete=Count("sentence_id", filter=Q(n__gte=project.overlap)), started=Count("sentence_id"))
    )
    return {"sentences": sentences, "complete": per_sentence["complete"], "started": per_sentence["started"]}
