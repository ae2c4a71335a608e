"""Reading an annotator's work. Every function returns only the caller's own labels."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Aggregate,
    Count,
    DateTimeField,
    Exists,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from annotator.documents.models import Sentence
from annotator.projects.models import Membership, Project, Role

from .assignment import _expired
from .models import Annotation, AnnotationStatus, Assignment, AssignmentState

CONTEXT = 2  # sentences shown before and after the one in focus


def annotation_of(*, sentence_id: int, annotator: Any) -> Annotation | None:
    return Annotation.objects.filter(sentence_id=sentence_id, annotator=annotator).first()


def sentence_for_annotator(*, sentence_id: int, annotator: Any) -> Sentence | None:
    """The sentence (with document and project) if ``annotator`` is an annotator of its
    project now (a removed or demoted member reads nothing) and it is assigned to them or
    they annotated it; None otherwise. One query: the permission test rides along. (A
    save reads its sentence with ``sql.save_target``, which tests the same.)"""
    queryset = Sentence.objects.select_related("document", "project")
    sentence = (
        queryset.filter(pk=sentence_id, project__memberships__user=annotator, project__memberships__role=Role.ANNOTATOR)
        .annotate(
            is_assigned=Exists(Assignment.objects.filter(sentence=OuterRef("pk"), annotator=annotator)),
            is_annotated=Exists(Annotation.objects.filter(sentence=OuterRef("pk"), annotator=annotator)),
        )
        .first()
    )
    if sentence is None or not (sentence.is_assigned or sentence.is_annotated):  # type: ignore[attr-defined]
        return None
    return sentence


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


def _progress_and_queue(*, project: Project, annotator: Any, document_id: int | None, index: int | None) -> dict[str, Any]:
    """One statement: the annotator's progress (done / assigned (open) / remaining: the
    sentences still available to them, i.e. neither theirs nor already held by k live
    assignments) and, given a position, their queue neighbours there.

    ``remaining`` is counted from the project's assignments (grouped by sentence) rather
    than by testing every sentence, so the cost follows the work handed out, not the
    project's size; every figure is a scalar subquery of one row (issue 12: 5 statements
    were 3)."""
    mine = Assignment.objects.filter(project=project, annotator=annotator)

    def count_of(queryset: QuerySet[Any]) -> Coalesce:
        counted = queryset.order_by().values("project_id").annotate(n=Count("id")).values("n")[:1]
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    taken_sql, taken_params = (
        Assignment.objects.filter(project=project)
        .values("sentence_id")
        .annotate(mine=Count("id", filter=Q(annotator=annotator)), live=Count("id", filter=~_expired(project)))
        .filter(Q(mine__gt=0) | Q(live__gte=project.overlap))
        .values("sentence_id")
        .query.sql_with_params()
    )
    figures: dict[str, Any] = {
        "done": count_of(mine.filter(state__in=[AssignmentState.DONE, AssignmentState.SKIPPED])),
        "assigned": count_of(mine.filter(state=AssignmentState.OPEN)),
        "total": count_of(Sentence.objects.filter(project=project)),
        "taken": RawSQL(f"SELECT COUNT(*) FROM ({taken_sql}) AS taken", taken_params, output_field=IntegerField()),  # noqa: S608, S611 - Django's own SQL, parameters bound
    }
    if document_id is not None and index is not None:
        before = Q(sentence__document_id__lt=document_id) | Q(sentence__document_id=document_id, sentence__index__lt=index)
        after = Q(sentence__document_id__gt=document_id) | Q(sentence__document_id=document_id, sentence__index__gt=index)
        previous = mine.filter(before).order_by("-sentence__document_id", "-sentence__index").values("sentence_id")[:1]
        following = mine.filter(after).order_by("sentence__document_id", "sentence__index").values("sentence_id")[:1]
        figures["previous"] = Subquery(previous, output_field=IntegerField())
        figures["next"] = Subquery(following, output_field=IntegerField())
    row = Project.objects.filter(pk=project.pk).annotate(**figures).values(*figures).get()
    return {
        "progress": {"done": row["done"], "assigned": row["assigned"], "remaining": row["total"] - row["taken"]},
        "queue": {"previous": row.get("previous"), "next": row.get("next")},
    }


def progress_of(*, project: Project, annotator: Any) -> dict[str, int]:
    """done / assigned (open) / remaining, in one statement (see ``_progress_and_queue``)."""
    progress: dict[str, int] = _progress_and_queue(project=project, annotator=annotator, document_id=None, index=None)["progress"]
    return progress


def work_item(*, sentence: Sentence, annotator: Any) -> dict[str, Any]:
    """What the workspace shows for one sentence, in 3 statements whatever the project's
    size: the sentence with its context, the caller's own annotation (a model, or None),
    and their progress with their queue neighbours. ``sentence`` comes with its document
    and project joined."""
    figures = _progress_and_queue(
        project=sentence.project, annotator=annotator, document_id=sentence.document_id, index=sentence.index
    )
    return {
        "sentence": sentence_payload(sentence=sentence),
        "annotation": annotation_of(sentence_id=sentence.pk, annotator=annotator),
        **figures,
    }


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
        .select_related("annotator", "sentence__document")
        .order_by("sentence__document_id", "sentence__index", "annotator__username")
    )


class _Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the median, interpolated."""

    function = "PERCENTILE_CONT"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def members_with_progress(*, project: Project) -> QuerySet[Membership]:
    """The project's members (user joined) in one query, each annotated with their work:
    ``assigned`` (all assignments), ``open``, ``submitted``, ``skipped``, ``drafts``,
    ``median_seconds`` (of submitted annotations; None if none) and ``last_activity``
    (their latest annotation save; None if none). Counts and times only, never anyone's
    labels, so the list keeps annotation blind; it is meant for the project's leads.

    Every figure is a correlated subquery of the same statement, so the list costs one
    query however many members there are. The median needs PostgreSQL's
    ``percentile_cont``; on another database it is None here and
    :func:`median_seconds_fallback` fills it in with one more query.
    """
    from django.db import connection

    def per_user(queryset: QuerySet[Any], value: Any, output: Any) -> Subquery:
        return Subquery(
            queryset.filter(project=project, annotator=OuterRef("user_id"))
            .order_by()
            .values("annotator")
            .annotate(v=value)
            .values("v")[:1],
            output_field=output,
        )

    def count_of(queryset: QuerySet[Any]) -> Coalesce:
        return Coalesce(per_user(queryset, Count("id"), IntegerField()), Value(0))

    annotations = Annotation.objects.all()
    median: Any = Value(None, output_field=FloatField())
    if connection.vendor == "postgresql":
        median = per_user(annotations.filter(status=AnnotationStatus.SUBMITTED), _Median("seconds"), FloatField())
    return (
        Membership.objects.filter(project=project)
        .select_related("user")
        .annotate(
            assigned=count_of(Assignment.objects.all()),
            open=count_of(Assignment.objects.filter(state=AssignmentState.OPEN)),
            submitted=count_of(annotations.filter(status=AnnotationStatus.SUBMITTED)),
            skipped=count_of(annotations.filter(status=AnnotationStatus.SKIPPED)),
            drafts=count_of(annotations.filter(status=AnnotationStatus.DRAFT)),
            median_seconds=median,
            last_activity=per_user(annotations, Max("updated_at"), DateTimeField()),
        )
        .order_by("user__username")
    )


def median_seconds_fallback(*, project: Project, memberships: list[Membership]) -> None:
    """Fill ``median_seconds`` on rows from :func:`members_with_progress` where the
    database could not (not PostgreSQL): one query for the given rows, in place."""
    from statistics import median

    users = [m.user_id for m in memberships]
    seconds: dict[int, list[float]] = {}
    rows = Annotation.objects.filter(project=project, annotator_id__in=users, status=AnnotationStatus.SUBMITTED)
    for user_id, value in rows.values_list("annotator_id", "seconds"):
        seconds.setdefault(user_id, []).append(value)
    for membership in memberships:
        values = seconds.get(membership.user_id)
        membership.median_seconds = median(values) if values else None  # type: ignore[attr-defined]
