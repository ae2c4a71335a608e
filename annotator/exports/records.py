"""Export records streamed from the database, in the shape the pure writers read
(:class:`annotator.exports.formats.GoldRecord`): one per sentence of the project, with its
``status``, ``confidence`` and soft labels (see :mod:`annotator.exports.coverage`).

One query over ``Sentence ⟕ Gold ⟕ GoldCandidate ⨝ Document`` in document order (document id,
then sentence index), read with a server-side cursor (``.iterator(chunk_size=2000)``), so memory
stays flat however many sentences there are. Raw annotations, when asked for, are fetched in one
query per chunk of sentences; document texts (for brat) in one query per chunk of documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import orjson
from django.conf import settings
from django.db.models import BooleanField, Case, Exists, F, JSONField, OuterRef, Q, QuerySet, TextField, When
from django.db.models.functions import Cast

from annotator.annotations.models import Annotation, AnnotationStatus
from annotator.documents.models import Document, Sentence
from annotator.exports.coverage import pseudonym, sentence_status, soft_labels
from annotator.exports.formats import GoldRecord
from annotator.exports.splits import assign_split, document_key
from annotator.gold.models import AggregationRun, Gold
from annotator.projects.models import Project

CHUNK_SIZE = 2000

JSON_COLUMNS = ("tokens_json", "gold_labels", "gold_ids", "decisions", "candidate_labels", "candidate_ids", "meta_json")
_FIELDS = (
    "id",
    "index",
    "start",
    "end",
    "text",
    "document_id",
    "document__title",
    "document__source",
    "document__external_id",
    "document__url",
    "document__published",
    "document__content_hash",
    "gold__source",
    "gold__confidence",
    "gold__decided_by__username",
    "gold__decided_at",
    "gold__reopened",
    "gold_candidate__method",
    "gold_candidate__confidence",
    "gold_candidate__needs_adjudication",
    "gold_candidate__computed_at",
    "submitted",
    *JSON_COLUMNS,
)


_SUBMITTED = _FIELDS.index("submitted")


def _standing_gold() -> Q:
    """Gold that is neither reopened nor unconfirmed by the latest run (its status is settled)."""
    return Q(gold__isnull=False, gold__reopened=False) & (
        Q(gold_candidate__isnull=True) | Q(gold_candidate__needs_adjudication=False)
    )


def _json_columns() -> dict[str, Cast]:
    """The JSON columns of a row as text, decoded with orjson: ``json.loads`` through Django's
    converters was half of an export's time. The candidate's labels and annotation ids are only
    read where there is no standing gold."""
    unconfirmed = Q(gold__isnull=True) | Q(gold_candidate__needs_adjudication=True)
    columns = {
        "tokens_json": F("tokens"),
        "gold_labels": F("gold__labels"),
        "gold_ids": F("gold__annotation_ids"),
        "decisions": F("gold_candidate__decisions"),
        "candidate_labels": Case(When(unconfirmed, then=F("gold_candidate__labels")), default=None,
                                 output_field=JSONField()),
        "candidate_ids": Case(When(unconfirmed, then=F("gold_candidate__annotation_ids")), default=None,
                              output_field=JSONField()),
        "meta_json": F("document__meta"),
    }
    return {name: Cast(value, output_field=TextField()) for name, value in columns.items()}


def _loads(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


def _batched(items: Iterator[Any], size: int) -> Iterator[tuple[Any, ...]]:
    """``itertools.batched`` (Python 3.12) for 3.11."""
    while chunk := tuple(islice(items, size)):
        yield chunk


def iso_utc(value: datetime | None) -> str | None:
    """``2024-05-01T12:00:00.123456Z`` (CONTRACT: UTC, ``Z`` suffix)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _layers(labels: Any) -> dict[str, list[Any]]:
    labels = labels if isinstance(labels, dict) else {}
    return {
        "entities": list(labels.get("entities") or []),
        "stance": list(labels.get("stance") or []),
        "events": list(labels.get("events") or []),
    }


def gold_count(*, project: Project) -> int:
    """How many sentences of the project have gold."""
    return Gold.objects.filter(project=project).count()


def sentence_count(*, project: Project) -> int:
    """How many sentences the export streams (every sentence of the project)."""
    return Sentence.objects.filter(project=project).count()


def annotator_labeller(*, project: Project, names: bool) -> Any:
    """``user id → what an export calls that annotator``: the username when ``names`` (a lead
    asked for names), else a stable pseudonymous id (SECURITY.md: viewers never get names)."""
    if names:
        usernames = dict(
            Annotation.objects.filter(project=project).values_list("annotator_id", "annotator__username").distinct()
        )
        return lambda user_id: usernames.get(int(user_id), str(user_id))
    secret = str(settings.SECRET_KEY)
    return lambda user_id: pseudonym(secret, project.pk, int(user_id))


def latest_run(*, project: Project) -> dict[str, Any] | None:
    """The latest aggregation run: method, threshold, computed_at, summary, dawid_skene; or None."""
    return (
        AggregationRun.objects.filter(project=project)
        .order_by("-computed_at", "-id")
        .values("method", "threshold", "computed_at", "summary", "dawid_skene")
        .first()
    )


def sentence_rows(*, project: Project) -> QuerySet[Sentence, tuple[Any, ...]]:
    """The one query of an export: every sentence with its gold, candidate and JSON columns
    (:data:`_FIELDS`), in document order."""
    submitted = Annotation.objects.filter(sentence=OuterRef("pk"), status=AnnotationStatus.SUBMITTED)
    return (
        Sentence.objects.filter(project=project)
        # only a sentence without standing gold needs the (per-row) EXISTS probe
        .annotate(submitted=Case(When(_standing_gold(), then=True), default=Exists(submitted),
                                 output_field=BooleanField()), **_json_columns())
        .order_by("document_id", "index")
        .values_list(*_FIELDS)
    )


def gold_records(
    *,
    project: Project,
    seed: int | str = 0,
    include_raw: bool = False,
    document_text: bool = False,
    annotator_names: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[GoldRecord]:
    """Yield one record per sentence of ``project`` (every status), in document order.

    Each record has ``status`` and ``confidence`` (:func:`annotator.exports.coverage.sentence_status`),
    ``gold`` (for ``gold``/``adjudicated`` the gold labels; otherwise the best labels there are:
    a reopened decision or the aggregation's candidate that missed the threshold, else empty),
    ``provenance`` (where those labels come from) and ``soft`` (soft labels of the latest
    aggregation run, ``None`` when no run scored the sentence). The caller filters
    (:class:`annotator.exports.coverage.RecordFilter`) and counts what it leaves out.

    ``document.split`` is :func:`assign_split` of the document's stable ``key``
    (:func:`document_key`: external id, else URL, else text hash) with ``seed``, so it is the
    same across re-exports, projects and installations. The document dict carries the identity
    fields ``key``, ``external_id``, ``url``, ``published`` (ISO date or None) and ``meta``. With ``include_raw`` each record carries ``raw``: every submitted annotation of
    the sentence (annotator and its layers, in annotator order) — disputed sentences included;
    the annotator is a pseudonymous id unless ``annotator_names``. With ``document_text`` the
    document dict carries the full ``text`` (brat needs it; drop it before handing records to
    writers that would copy it into every line).

    Reads only; the main query is one consistent snapshot (one cursor). Queries:
    1 + (1 per chunk if ``include_raw``) + (1 per chunk if ``document_text``).
    """
    rows = sentence_rows(project=project).iterator(chunk_size=chunk_size)
    label = annotator_labeller(project=project, names=annotator_names) if include_raw else None
    splits: dict[int, str] = {}
    for chunk in _batched(rows, chunk_size):
        raw = _raw_for([r[0] for r in chunk if r[_SUBMITTED]], label) if include_raw else {}
        texts = _texts_for({r[5] for r in chunk}) if document_text else {}
        for (
            sid, index, start, end, text, did, title, source, external_id, url, published, chash,
            gold_source, gold_confidence, by, at, reopened,
            c_method, c_confidence, c_needs, c_at, has_submitted, *columns,
        ) in chunk:
            tokens, labels, annotation_ids, c_decisions, c_labels, c_ids, meta = map(_loads, columns)
            key = document_key(external_id=external_id, url=url, content_hash=chash)
            split = splits.get(did)
            if split is None:
                # only the current document's split is worth keeping: records are in document order
                splits.clear()
                split = splits[did] = assign_split(key, seed=seed)
            document: dict[str, Any] = {
                "id": did, "key": key, "external_id": external_id, "url": url, "title": title, "source": source,
                "published": published.isoformat() if published else None, "meta": meta or {}, "split": split,
            }
            if document_text:
                document["text"] = texts.get(did, "")
            status = sentence_status(
                gold_source=gold_source, reopened=bool(reopened), candidate_method=c_method,
                needs_adjudication=c_needs, submitted=has_submitted,
            )
            provenance: dict[str, Any] | None
            if gold_source is not None and (status in ("gold", "adjudicated") or reopened or c_method is None):
                provenance = {
                    "source": gold_source,
                    "by": by,
                    "at": iso_utc(at),
                    "annotations": list(annotation_ids or []),
                    "confidence": gold_confidence,
                }
                if reopened:
                    provenance["reopened"] = True
                best = labels
            elif c_method is not None:
                # the aggregation's best guess, which missed the threshold: not gold
                provenance = {
                    "source": c_method,
                    "by": None,
                    "at": iso_utc(c_at),
                    "annotations": list(c_ids or []),
                    "confidence": c_confidence,
                    "candidate": True,
                }
                best = c_labels
            else:
                provenance, best = None, None
            if status == "adjudicated":
                confidence: float | None = 1.0
            elif status == "gold":
                confidence = gold_confidence
            else:
                confidence = c_confidence
            record: dict[str, Any] = {
                "document": document,
                "sentence": {"id": sid, "index": index, "start": start, "end": end, "text": text, "tokens": tokens},
                "status": status,
                "confidence": confidence,
                "gold": _layers(best),
                "soft": soft_labels(c_method, c_decisions) if c_method is not None else None,
            }
            if provenance is not None:
                record["provenance"] = provenance
            if include_raw:
                record["raw"] = raw.get(sid, [])
            yield record  # type: ignore[misc]


def _raw_for(sentence_ids: list[int], label: Any) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    rows = (
        Annotation.objects.filter(sentence_id__in=sentence_ids, status=AnnotationStatus.SUBMITTED)
        .order_by("sentence_id", "annotator_id")
        .values_list("sentence_id", "annotator_id", "labels")
    )
    for sid, annotator_id, labels in rows:
        out.setdefault(sid, []).append({"annotator": label(annotator_id), **_layers(labels)})
    return out


def _texts_for(document_ids: set[int]) -> dict[int, str]:
    return dict(Document.objects.filter(pk__in=document_ids).values_list("id", "text"))
