"""Reading gold for leads: the adjudication queue and one sentence's adjudication view.

Only leads may call these through the API and pages: they show every annotator's labels.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from annotator.annotations.models import Annotation, AnnotationStatus
from annotator.documents.models import Sentence
from annotator.projects.models import Project

from .models import Gold, GoldCandidate, GoldRevision, GoldSource

LEAD_SOURCES = (GoldSource.ADJUDICATED, GoldSource.ACCEPTED)


def adjudication_queue(*, project: Project) -> QuerySet[Sentence]:
    """Sentences waiting for a lead, worst first, in one query.

    In the queue: sentences with at least one submitted annotation and either no gold at all,
    reopened gold, or an aggregation candidate that needs adjudication and no lead decision.
    Order: disagreement (desc; never aggregated last), number of flags (desc), reopened first,
    then document order. Each row carries ``disagreement``, ``flag_count``, ``gold_source``,
    ``gold_version``, ``reopened``, ``submitted`` and ``document_title``.
    """
    submitted = Annotation.objects.filter(sentence=OuterRef("pk"), status=AnnotationStatus.SUBMITTED)
    return (
        Sentence.objects.filter(project=project)
        .filter(Exists(submitted))
        .filter(
            Q(gold__isnull=True)
            | Q(gold__reopened=True)
            | (Q(gold_candidate__needs_adjudication=True) & ~Q(gold__source__in=LEAD_SOURCES))
        )
        .annotate(
            disagreement=F("gold_candidate__disagreement"),
            flag_count=F("gold_candidate__flag_count"),
            gold_source=F("gold__source"),
            gold_version=F("gold__version"),
            reopened=F("gold__reopened"),
            document_title=F("document__title"),
            submitted=Count("annotations", filter=Q(annotations__status=AnnotationStatus.SUBMITTED)),
        )
        .order_by(
            F("disagreement").desc(nulls_last=True),
            F("flag_count").desc(nulls_last=True),
            F("reopened").desc(nulls_last=True),
            "document_id",
            "index",
        )
    )


def queue_neighbours(*, project: Project, sentence_id: int, limit: int = 500) -> dict[str, int | None]:
    """The queue sentences before and after ``sentence_id`` (ids only, one query over the
    first ``limit`` of the queue), so the page can move on after a save."""
    ids = list(adjudication_queue(project=project).values_list("id", flat=True)[:limit])
    if sentence_id not in ids:
        return {"previous": None, "next": ids[0] if ids else None, "position": None, "size": len(ids)}
    at = ids.index(sentence_id)
    return {
        "previous": ids[at - 1] if at > 0 else None,
        "next": ids[at + 1] if at + 1 < len(ids) else None,
        "position": at + 1,
        "size": len(ids),
    }


def gold_data(gold: Gold | GoldRevision) -> dict[str, Any]:
    """The public shape of a gold row or revision (``decided_by`` as a username)."""
    return {
        "version": gold.version,
        "labels": gold.labels,
        "source": gold.source,
        "confidence": gold.confidence,
        "annotation_ids": gold.annotation_ids,
        "decided_by": gold.decided_by.username if gold.decided_by else None,
        "decided_at": gold.decided_at,
        "reopened": gold.reopened,
    }


def adjudication_detail(*, sentence: Sentence) -> dict[str, Any]:
    """Everything a lead needs to decide one sentence (five queries): the sentence, every
    submitted annotation with its annotator, the aggregation candidate, the current gold and its
    history (oldest first). Other annotations (drafts, skips) are counted, not shown."""
    annotations = list(
        Annotation.objects.filter(sentence=sentence).select_related("annotator").order_by("annotator__username")
    )
    candidate = GoldCandidate.objects.filter(sentence=sentence).first()
    gold = Gold.objects.filter(sentence=sentence).select_related("decided_by").first()
    history = (
        list(GoldRevision.objects.filter(gold=gold).select_related("decided_by").order_by("version")) if gold else []
    )
    submitted = [a for a in annotations if a.status == AnnotationStatus.SUBMITTED]
    return {
        "sentence": {
            "id": sentence.pk,
            "text": sentence.text,
            "tokens": sentence.tokens,
            "document": sentence.document_id,
            "document_title": sentence.document.title,
            "index": sentence.index,
            "project": sentence.project_id,
        },
        "annotations": [
            {
                "id": a.pk,
                "annotator": a.annotator.username,
                "labels": a.labels,
                "unsure": a.unsure,
                "note": a.note,
                "version": a.version,
                "updated_at": a.updated_at,
            }
            for a in submitted
        ],
        "not_submitted": len(annotations) - len(submitted),
        "candidate": (
            {
                "method": candidate.method,
                "threshold": candidate.threshold,
                "labels": candidate.labels,
                "confidence": candidate.confidence,
                "disagreement": candidate.disagreement,
                "needs_adjudication": candidate.needs_adjudication,
                "flags": candidate.flags,
                "annotation_ids": candidate.annotation_ids,
                "computed_at": candidate.computed_at,
            }
            if candidate
            else None
        ),
        "gold": gold_data(gold) if gold else None,
        "history": [gold_data(r) for r in history],
    }
