"""Handing out work: each sentence to at most k annotators, in document order.

Every path that creates an assignment first locks the sentence row
(``select_for_update(skip_locked=True)`` on PostgreSQL), then counts the sentence's live
assignments with a fresh statement. Because all assigners hold that lock while counting
and inserting, two requests can never both take the last of the k places. On SQLite the
lock is a no-op, but writes there are serialised by ``BEGIN IMMEDIATE`` (settings), which
gives the same guarantee.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from annotator.core.errors import DomainError
from annotator.documents.models import Sentence
from annotator.projects.models import Membership, Project, Role

from .models import Annotation, AnnotationStatus, Assignment, AssignmentState

MAX_CANDIDATES = 50


def _expired(project: Project) -> Q:
    cutoff = timezone.now() - timedelta(minutes=project.assignment_timeout_minutes)
    return Q(state=AssignmentState.OPEN, assigned_at__lt=cutoff)


def assignments_release_expired(*, project: Project) -> int:
    """Put open assignments older than the project's timeout back in the pool.
    The annotator's draft, if any, is kept. Returns how many were released."""
    released, _ = Assignment.objects.filter(_expired(project), project=project).delete()
    return released


def _live_count(sentence_id: int, project: Project) -> int:
    return Assignment.objects.filter(sentence_id=sentence_id).exclude(_expired(project)).count()


def _lock(queryset, *, skip_locked: bool = True):  # type: ignore[no-untyped-def]
    """Sentence rows are locked FOR NO KEY UPDATE: it serialises assigners and late
    submissions among themselves but, unlike FOR UPDATE, does not block the FOR KEY SHARE
    that another transaction's foreign-key check takes on the sentence at its COMMIT
    (constraints are deferred) -- that wait, behind a submission waiting for the project
    row, deadlocked racing submissions."""
    if connection.features.has_select_for_update_skip_locked:
        no_key = connection.features.has_select_for_no_key_update
        return queryset.select_for_update(skip_locked=skip_locked, of=("self",), no_key=no_key)
    return queryset


def assignment_next(*, project: Project, annotator: Any) -> Assignment | None:
    """The annotator's current work item, or a newly assigned sentence; None when done.

    An open assignment (a sentence served but not yet submitted or skipped) is returned
    again first, so a reload resumes where the annotator was. Safe to call concurrently.
    """
    current = (
        Assignment.objects.filter(project=project, annotator=annotator, state=AssignmentState.OPEN)
        .exclude(_expired(project))
        .select_related("sentence__document")
        .order_by("sentence__document_id", "sentence__index")
        .first()
    )
    if current is not None:
        return current
    assignments_release_expired(project=project)
    mine = Assignment.objects.filter(sentence=OuterRef("pk"), annotator=annotator)
    # Sentences that already have k live assignments are left out in SQL: skipping them one
    # by one in Python gave up after MAX_CANDIDATES full sentences and answered "nothing
    # left" while later sentences were still free (found by bench/load.py).
    live = (
        Assignment.objects.filter(sentence=OuterRef("pk")).exclude(_expired(project))
        .order_by().values("sentence").annotate(n=Count("id")).values("n")
    )
    checked: list[int] = []
    with transaction.atomic():
        for _ in range(MAX_CANDIDATES):
            pool = (
                Sentence.objects.filter(project=project)
                .exclude(Exists(mine))
                .exclude(pk__in=checked)
                .alias(live=Coalesce(Subquery(live), 0))
                .filter(live__lt=project.overlap)
                .order_by("document_id", "index")
                .only("id")
            )
            candidate = _lock(pool).values_list("id", flat=True).first()
            if candidate is None:
                # Every candidate may be locked by a concurrent request: wait for the
                # first one rather than wrongly answering "nothing left".
                candidate = _lock(pool, skip_locked=False).values_list("id", flat=True).first()
            if candidate is None:
                return None
            # A fresh count while holding the sentence lock: see the module docstring.
            if _live_count(candidate, project) < project.overlap:
                assignment = Assignment.objects.create(project=project, sentence_id=candidate, annotator=annotator)
                return Assignment.objects.select_related("sentence__document").get(pk=assignment.pk)
            checked.append(candidate)
    return None


def assignment_create(*, project: Project, sentence: Sentence, annotator: Any) -> Assignment:
    """A lead gives a sentence to an annotator by hand (still at most k per sentence)."""
    if not Membership.objects.filter(project=project, user=annotator, role=Role.ANNOTATOR).exists():
        raise DomainError("that user is not an annotator of this project", field="annotator")
    if sentence.project_id != project.pk:
        raise DomainError("that sentence is not in this project", field="sentence")
    with transaction.atomic():
        _lock(Sentence.objects.filter(pk=sentence.pk)).values_list("id", flat=True).first()
        if Assignment.objects.filter(sentence=sentence, annotator=annotator).exists():
            raise DomainError("the annotator already has this sentence", field="sentence")
        if _live_count(sentence.pk, project) >= project.overlap:
            raise DomainError(f"this sentence already has {project.overlap} annotators (the project's k)", field="sentence")
        return Assignment.objects.create(project=project, sentence=sentence, annotator=annotator)


def assignment_hold_for_submission(
    *, project_id: int, sentence_id: int, annotator_id: int, overlap: int, live_since: datetime, now: datetime
) -> bool:
    """Make sure the annotator holds one of the sentence's k places before their
    annotation is stored as submitted; False (and nothing changed) when it is full.

    A live assignment (done, skipped, or open and handed out at or after ``live_since``)
    already holds a place and is marked done. An expired or released one holds none: the
    submission then takes a free place (an assignment of theirs, done) only while fewer
    than k other annotators hold the sentence -- by a live assignment or a submitted
    annotation. Every submitted annotation thus sits on a done assignment, which never
    expires, and assigners never hand out more than k live ones: submitted <= k.

    Precondition: inside a transaction. A live assignment is marked done by one
    conditional UPDATE (a concurrent release of expired rows cannot slip between test
    and change, and its place was counted already): one statement, no sentence lock.
    Only taking a new place locks the sentence row, as every assigner does (module
    docstring), and counts with fresh statements under that lock."""
    live = ~Q(state=AssignmentState.OPEN, assigned_at__lt=live_since)
    done = {"state": AssignmentState.DONE, "completed_at": now}
    if Assignment.objects.filter(live, sentence_id=sentence_id, annotator_id=annotator_id).update(**done):
        return True
    _lock(Sentence.objects.filter(pk=sentence_id), skip_locked=False).values_list("id", flat=True).first()
    holders = Assignment.objects.filter(live, sentence_id=sentence_id).exclude(annotator_id=annotator_id)
    submitted = (
        Annotation.objects.filter(sentence_id=sentence_id, status=AnnotationStatus.SUBMITTED)
        .exclude(annotator_id=annotator_id)
        .exclude(annotator_id__in=holders.values("annotator_id"))
    )
    if holders.count() + submitted.count() >= overlap:
        return False
    if not Assignment.objects.filter(sentence_id=sentence_id, annotator_id=annotator_id).update(**done, assigned_at=now):
        Assignment.objects.create(project_id=project_id, sentence_id=sentence_id, annotator_id=annotator_id, **done)
    return True


def assignment_release(*, assignment: Assignment) -> None:
    """A lead takes a sentence back from an annotator; their submitted work stays, a
    draft stays too (it is simply no longer theirs to finish)."""
    if assignment.state != AssignmentState.OPEN:
        raise DomainError("only an open assignment can be released; the work is already done", field="assignment")
    assignment.delete()


def assignment_fields(*, status: str, now: datetime) -> dict[str, object]:
    """The assignment's fields after an annotation with ``status`` was saved."""
    if status == AnnotationStatus.SUBMITTED:
        return {"state": AssignmentState.DONE, "completed_at": now}
    if status == AnnotationStatus.SKIPPED:
        return {"state": AssignmentState.SKIPPED, "completed_at": now}
    # a draft keeps the assignment alive: activity resets the timeout
    return {"state": AssignmentState.OPEN, "completed_at": None, "assigned_at": now}

