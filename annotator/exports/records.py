"""Gold records streamed from the database, in the shape the pure writers read
(:class:`annotator.exports.formats.GoldRecord`).

One query over ``Gold ⨝ Sentence ⨝ Document`` in document order (document id, then sentence
index), read with a server-side cursor (``.iterator(chunk_size=2000)``), so memory stays flat
however many sentences there are. Raw annotations, when asked for, are fetched in one query per
chunk of sentences; document texts (for brat) in one query per chunk of documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from annotator.annotations.models import Annotation, AnnotationStatus
from annotator.documents.models import Document
from annotator.exports.formats import GoldRecord
from annotator.exports.splits import assign_split, document_key
from annotator.gold.models import Gold
from annotator.projects.models import Project

CHUNK_SIZE = 2000

_FIELDS = (
    "sentence_id",
    "sentence__index",
    "sentence__start",
    "sentence__end",
    "sentence__text",
    "sentence__tokens",
    "sentence__document_id",
    "sentence__document__title",
    "sentence__document__source",
    "sentence__document__external_id",
    "sentence__document__url",
    "sentence__document__published",
    "sentence__document__meta",
    "sentence__document__content_hash",
    "labels",
    "source",
    "confidence",
    "annotation_ids",
    "decided_by__username",
    "decided_at",
)


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
    """How many sentences of the project have gold (what an export will write)."""
    return Gold.objects.filter(project=project).count()


def gold_records(
    *,
    project: Project,
    seed: int | str = 0,
    include_raw: bool = False,
    document_text: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[GoldRecord]:
    """Yield one :class:`GoldRecord` per gold sentence of ``project``, in document order.

    ``document.split`` is :func:`assign_split` of the document's stable ``key``
    (:func:`document_key`: external id, else URL, else text hash) with ``seed``, so it is the
    same across re-exports, projects and installations. The document dict carries the identity
    fields ``key``, ``external_id``, ``url``, ``published`` (ISO date or None) and ``meta``. With ``include_raw`` each record carries ``raw``: every submitted annotation of
    the sentence (annotator username and its layers, ordered by username). With
    ``document_text`` the document dict carries the full ``text`` (brat needs it; drop it before
    handing records to writers that would copy it into every line).

    Reads only; the main query is one consistent snapshot (one cursor). Queries:
    1 + (1 per chunk if ``include_raw``) + (1 per chunk if ``document_text``).
    """
    rows = (
        Gold.objects.filter(project=project)
        .order_by("sentence__document_id", "sentence__index")
        .values_list(*_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    splits: dict[int, str] = {}
    for chunk in _batched(rows, chunk_size):
        raw = _raw_for([r[0] for r in chunk]) if include_raw else {}
        texts = _texts_for({r[6] for r in chunk}) if document_text else {}
        for (
            sid, index, start, end, text, tokens, did, title, source, external_id, url, published, meta, chash,
            labels, gold_source, confidence, annotation_ids, by, at,
        ) in chunk:
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
            record: dict[str, Any] = {
                "document": document,
                "sentence": {"id": sid, "index": index, "start": start, "end": end, "text": text, "tokens": tokens},
                "gold": _layers(labels),
                "provenance": {
                    "source": gold_source,
                    "by": by,
                    "at": iso_utc(at),
                    "annotations": list(annotation_ids or []),
                    "confidence": confidence,
                },
            }
            if include_raw:
                record["raw"] = raw.get(sid, [])
            yield record  # type: ignore[misc]


def _raw_for(sentence_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    rows = (
        Annotation.objects.filter(sentence_id__in=sentence_ids, status=AnnotationStatus.SUBMITTED)
        .order_by("sentence_id", "annotator__username")
        .values_list("sentence_id", "annotator__username", "labels")
    )
    for sid, username, labels in rows:
        out.setdefault(sid, []).append({"annotator": username, **_layers(labels)})
    return out


def _texts_for(document_ids: set[int]) -> dict[int, str]:
    return dict(Document.objects.filter(pk__in=document_ids).values_list("id", "text"))
