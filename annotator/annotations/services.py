"""Saving annotations: validated against the schema, versioned, with history."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from annotator.core.errors import Conflict, DomainError
from annotator.documents.models import Sentence

from .models import Annotation, AnnotationRevision, AnnotationStatus
from .validation import validate_annotation

LABEL_KEYS = ("entities", "stance", "events")
MAX_SECONDS = 24 * 3600


def labels_clean(payload: dict[str, Any]) -> dict[str, Any]:
    """Only the label layers, in canonical order, entities sorted for stable diffs."""
    entities = sorted(payload.get("entities") or [], key=lambda e: (e["start"], e["end"], e["label"]))
    return {
        "entities": [{"start": e["start"], "end": e["end"], "label": e["label"]} for e in entities],
        "stance": [{"target": s["target"], "label": s["label"]} for s in payload.get("stance") or []],
        "events": [
            {
                "type": ev["type"],
                "trigger": {"start": ev["trigger"]["start"], "end": ev["trigger"]["end"]},
                "arguments": [
                    {"role": a["role"], "start": a["start"], "end": a["end"]} for a in ev.get("arguments") or []
                ],
            }
            for ev in payload.get("events") or []
        ],
    }


def annotation_check(*, schema: dict[str, Any], sentence: Sentence, payload: object) -> dict[str, Any]:
    """Validate a CONTRACT.md annotation body; returns the cleaned fields or raises
    DomainError carrying every error with its field path."""
    if not isinstance(payload, dict):
        raise DomainError("the annotation must be a JSON object", field="body")
    errors = list(validate_annotation(schema, sentence.text, payload))
    status = payload.get("status", AnnotationStatus.DRAFT)
    if status not in AnnotationStatus.values:
        errors.append({"field": "status", "message": f"status must be one of {', '.join(AnnotationStatus.values)}"})
    unsure = payload.get("unsure", False)
    if not isinstance(unsure, bool):
        errors.append({"field": "unsure", "message": "unsure must be true or false"})
    seconds = payload.get("seconds", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or not 0 <= seconds <= MAX_SECONDS:
        errors.append({"field": "seconds", "message": f"seconds must be a number from 0 to {MAX_SECONDS}"})
    version = payload.get("version", 0)
    if version is None:
        version = 0
    if isinstance(version, bool) or not isinstance(version, int) or version < 0 or version > 2**31:
        errors.append({"field": "version", "message": "version must be a whole number (the version you last read, 0 for new)"})
    for key in ("skip_reason", "note"):
        value = payload.get(key, "")
        if value is not None and (not isinstance(value, str) or len(value) > 2000):
            errors.append({"field": key, "message": f"{key} must be text of at most 2000 characters"})
    if status == AnnotationStatus.SKIPPED and not (payload.get("skip_reason") or "").strip():
        errors.append({"field": "skip_reason", "message": "say why the sentence is skipped"})
    if errors:
        raise DomainError(f"{errors[0]['field']}: {errors[0]['message']}", field=errors[0]["field"], errors=errors)
    return {
        "labels": labels_clean(payload),
        "status": status,
        "unsure": unsure,
        "seconds": float(seconds),
        "version": version,
        "skip_reason": (payload.get("skip_reason") or "").strip(),
        "note": payload.get("note") or "",
    }


def annotation_save(
    *,
    sentence: Sentence,
    annotator: Any,
    payload: object,
    schema: dict[str, Any] | None = None,
    on_saved: Callable[[Annotation], None] | None = None,
) -> Annotation:
    """Create or update ``annotator``'s annotation of ``sentence``.

    ``payload["version"]`` must equal the stored version (0 when there is none yet):
    otherwise Conflict (409, with the stored annotation in ``exc.current``) and nothing
    changes. The compare-and-set is one conditional UPDATE (or an INSERT guarded by the
    unique constraint), so two concurrent saves of the same version cannot both win.
    Every successful save appends an AnnotationRevision; ``on_saved`` runs in the same
    transaction. One transaction, no savepoints: a save is a handful of statements.
    """
    if schema is None:
        schema = sentence.project.label_schema
    clean = annotation_check(schema=schema, sentence=sentence, payload=payload)
    now = timezone.now()
    fields = {
        "labels": clean["labels"],
        "status": clean["status"],
        "unsure": clean["unsure"],
        "seconds": clean["seconds"],
        "skip_reason": clean["skip_reason"],
        "note": clean["note"],
        "submitted_at": now if clean["status"] == AnnotationStatus.SUBMITTED else None,
        "updated_at": now,
    }
    current = Annotation.objects.filter(sentence=sentence, annotator=annotator).first()
    stored_version = current.version if current else 0
    if clean["version"] != stored_version:
        raise _stale(clean["version"], current)
    try:
        with transaction.atomic():
            if current is None:
                annotation = Annotation.objects.create(
                    project_id=sentence.project_id, sentence=sentence, annotator=annotator, version=1, **fields
                )
            else:
                if not Annotation.objects.filter(pk=current.pk, version=stored_version).update(
                    version=stored_version + 1, **fields
                ):
                    raise _stale(clean["version"], Annotation.objects.filter(pk=current.pk).first())
                annotation = current
                for key, value in fields.items():
                    setattr(annotation, key, value)
                annotation.version = stored_version + 1
            AnnotationRevision.objects.create(
                annotation=annotation,
                version=annotation.version,
                labels=annotation.labels,
                status=annotation.status,
                unsure=annotation.unsure,
                seconds=annotation.seconds,
            )
            if on_saved is not None:
                on_saved(annotation)
    except IntegrityError:
        # Another request created it between our read and our insert.
        raise _stale(clean["version"], Annotation.objects.filter(sentence=sentence, annotator=annotator).first()) from None
    return annotation


def _stale(sent: int, current: Annotation | None) -> Conflict:
    if current is None:
        error = Conflict("there is no saved annotation to update; send version 0", field="version")
    elif sent == 0:
        error = Conflict(
            f"this annotation was saved elsewhere (now version {current.version}); reload it or save over it deliberately",
            field="version",
        )
    else:
        error = Conflict(f"version {sent} is stale: the stored version is {current.version}", field="version")
    error.current = current  # type: ignore[attr-defined]
    return error


def annotation_put(*, sentence_id: int, annotator: Any, payload: object) -> Annotation:
    """The annotator's save through the API: only a sentence assigned to them (else
    NotFound, so nobody learns what others were given); the assignment follows the
    annotation's status (submitted/skipped close it, a draft keeps it open), and a
    submission schedules the project's debounced agreement job."""
    from annotator.core.errors import NotFound

    from .assignment import assignment_mark
    from .selectors import sentence_for_annotator

    sentence = sentence_for_annotator(sentence_id=sentence_id, annotator=annotator, for_save=True)
    if sentence is None:
        raise NotFound("no such sentence in your assignments")

    def follow(annotation: Annotation) -> None:
        assignment_mark(sentence_id=sentence.pk, annotator=annotator, status=annotation.status)
        if annotation.status == AnnotationStatus.SUBMITTED:
            from annotator.agreement.services import agreement_schedule

            agreement_schedule(project=sentence.project)

    return annotation_save(sentence=sentence, annotator=annotator, payload=payload, on_saved=follow)
