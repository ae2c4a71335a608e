"""Reading an annotator's work. Every function returns only the caller's own labels."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from annotator.documents.models import Sentence
from annotator.projects.models import Project

from .assignment import _expired
from .models import Annotation, Assignment, AssignmentState

CONTEXT = 2  # sentences shown before and after the one in focus


def annotation_of(*, sentence_id: int, annotator: Any) -> Annotation | None:
    return Annotation.objects.filter(sentence_id=sentence_id, annotator=annotator).first()


def sentence_payload(*, sentence: Sentence) -> dict[str, Any]:
    """The sentence with its neighbours (one query) and its document (already joined)."""
    neighbours = list(
        Sentence.objects.filter(document_id=sentence.document_id, index__gte=sentence.index - CONTEXT, index__lte=sentence.index + CONTEXT)
        .exclude(pk=sentence.pk)
        .order_by("index")
        .values("index", "text")
    )
    document = sentence.document
    return {
        "id": sentence.id,
        "text": sentence.text,
        "tokens": sentence.tokens,
        "index": sentence.index,
        "document": {
            "id": document.id,
            "title": document.title,
            "source": document.source,
            "published": document.published,
        },
        "document_sentences": document.sentence_count,
        "context": {
            "before": [n for n in neighbours if n["index"] < sentence.index],
            "after": [n for n in neighbours if n["index"] > sentence.index],
        },
    }


def progress_of(*, project: Project, annotator: Any) -> dict[str, int]:
    """done / assigned (open) / remaining (sentences still available to this annotator)."""
    mine = Assignment.objects.filter(project=project, annotator=annotator).aggregate(
        done=Count("id", filter=Q(state__in=[AssignmentState.DONE, AssignmentState.SKIPPED])),
        assigned=Count("id", filter=Q(state=AssignmentState.OPEN)),
    )
    live = (
        Assignment.objects.filter(sentence=OuterRef("pk"))
        .exclude(_expired(project))
        .values("sentence")
        .annotate(n=Count("id"))
        .values("n")
    )
    from django.db.models import IntegerField, Subquery, Value
    from django.db.models.functions import Coalesce

    remaining = (
        Sentence.objects.filter(project=project)
        .exclude(Exists(Assignment.objects.filter(sentence=OuterRef("pk"), annotator=annotator)))
        .annotate(live=Coalesce(Subquery(live, output_field=IntegerField()), Value(0)))
        .filter(live__lt=project.overlap)
        .count()
    )
    return {"done": mine["done"], "assigned": mine["assigned"], "remaining": remaining}


def queue_of(*, project: Project, annotator: Any) -> QuerySet[Assignment]:
    """The annotator's assignments in document order, with their own annotation status."""
    status = Annotation.objects.filter(sentence=OuterRef("sentence_id"), annotator=annotator).values("status")[:1]
    updated = Annotation.objects.filter(sentence=OuterRef("sentence_id"), annotator=annotator).values("updated_at")[:1]
    from django.db.models import Subquery

    return (
        Assignment.objects.filter(project=project, annotator=annotator)
        .select_related("sentence__document")
        .annotate(annotation_status=Subquery(status), annotation_updated_at=Subquery(updated))
        .order_by("sentence__document_id", "sentence__index")
    )


def assignments_of_project(*, project: Project) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(project=project)
        .select_related("annotator", "sentence")
        .order_by("sentence__document_id", "sentence__index", "annotator__username")
    )
