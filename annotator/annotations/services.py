"""Saving annotations: validated against the schema, versioned, with history."""

from __future__ import annotations

import math
from contextlib import nullcontext
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from annotator.core.errors import Conflict, DomainError
from annotator.core.text import text_problem
from annotator.documents.models import Sentence

from . import sql
from .assignment import assignment_fields, assignment_hold_for_submission
from .models import Annotation, AnnotationStatus
from .sql import SaveTarget
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


def annotation_check(*, schema: dict[str, Any], text: str, payload: object) -> dict[str, Any]:
    """Validate a CONTRACT.md annotation body; returns the cleaned fields or raises
    DomainError carrying every error with its field path."""
    if not isinstance(payload, dict):
        raise DomainError("the annotation must be a JSON object", field="body")
    errors = list(validate_annotation(schema, text, payload))
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
        elif value and (problem := text_problem(value)):
            errors.append({"field": key, "message": f"{key} {problem}"})
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
    *, sentence: Sentence, annotator: Any, payload: object, schema: dict[str, Any] | None = None
) -> Annotation:
    """Create or update ``annotator``'s annotation of ``sentence`` (see annotation_write);
    assignments are left as they are."""
    current = Annotation.objects.filter(sentence=sentence, annotator=annotator).only("id", "version", "created_at").first()
    target = SaveTarget(
        sentence_id=sentence.pk,
        project_id=sentence.project_id,
        text=sentence.text,
        schema=sentence.project.label_schema if schema is None else schema,
        annotation_id=current.pk if current else None,
        version=current.version if current else 0,
        created_at=current.created_at if current else None,
    )
    return annotation_write(target=target, annotator_id=annotator.pk, payload=payload)


def annotation_write(*, target: SaveTarget, annotator_id: int, payload: object, follow: bool = False) -> Annotation:
    """Validate ``payload`` and store it as the annotator's annotation of the target.

    ``payload["version"]`` must equal the stored version (0 when there is none yet):
    otherwise Conflict (409, with the stored annotation in ``exc.current``) and nothing
    changes. The compare-and-set is one conditional UPDATE (or an INSERT guarded by the
    unique constraint), so two concurrent saves of the same version cannot both win.
    Every successful save appends an AnnotationRevision. With ``follow`` the assignment
    follows the status (submitted/skipped close it, a draft keeps it open; an expired
    one is left expired) and a submission schedules the project's debounced agreement
    job. A followed submission must hold one of the sentence's k places
    (``assignment_hold_for_submission``): on a full sentence it is a Conflict on
    ``status`` and the stored draft is kept as it was. All or nothing; an autosave of an
    existing draft is a single statement on PostgreSQL.
    """
    clean = annotation_check(schema=target.schema, text=target.text, payload=payload)
    if clean["version"] != target.version:
        raise _stale(clean["version"], _current(target, annotator_id))
    now = timezone.now()
    submitted = clean["status"] == AnnotationStatus.SUBMITTED
    fields = {
        "labels": clean["labels"],
        "status": clean["status"],
        "unsure": clean["unsure"],
        "seconds": clean["seconds"],
        "skip_reason": clean["skip_reason"],
        "note": clean["note"],
        "submitted_at": now if submitted else None,
        "updated_at": now,
    }
    schedule = follow and submitted
    # A submission settles its assignment first (assignment_hold_for_submission); other
    # saves carry it along in their write, if it is still live.
    assignment = assignment_fields(status=clean["status"], now=now) if follow and not submitted else None
    live_since = target.live_since(now) if assignment else None
    try:
        with transaction.atomic() if schedule or target.annotation_id is None else nullcontext():
            if schedule and not assignment_hold_for_submission(
                project_id=target.project_id, sentence_id=target.sentence_id, annotator_id=annotator_id,
                overlap=target.overlap, live_since=target.live_since(now), now=now,
            ):
                raise _full(target, annotator_id)
            if target.annotation_id is None:
                annotation = Annotation.objects.create(
                    project_id=target.project_id, sentence_id=target.sentence_id, annotator_id=annotator_id, version=1, **fields
                )
                sql.revision_insert(annotation_id=annotation.pk, version=1, fields=fields, saved_at=now)
                if assignment:
                    sql.assignment_update(
                        sentence_id=target.sentence_id, annotator_id=annotator_id, fields=assignment, live_since=live_since
                    )
            else:
                saved = sql.annotation_update(
                    annotation_id=target.annotation_id,
                    version=target.version,
                    fields=fields,
                    saved_at=now,
                    assignment=(target.sentence_id, annotator_id, assignment) if assignment else None,
                    live_since=live_since,
                )
                if not saved:
                    raise _stale(clean["version"], _current(target, annotator_id))
                annotation = Annotation(
                    id=target.annotation_id,
                    project_id=target.project_id,
                    sentence_id=target.sentence_id,
                    annotator_id=annotator_id,
                    version=target.version + 1,
                    created_at=target.created_at,  # type: ignore[misc]  # set whenever annotation_id is
                    **fields,
                )
            if schedule:
                from annotator.agreement.services import agreement_schedule, agreement_scheduled
                from annotator.projects.models import Project

                if not agreement_scheduled(project_id=target.project_id):  # one waits: no query
                    agreement_schedule(project=Project.objects.get(pk=target.project_id))
    except IntegrityError:
        # Another request created it between our read and our insert.
        raise _stale(clean["version"], _current(target, annotator_id)) from None
    return annotation


def _current(target: SaveTarget, annotator_id: int) -> Annotation | None:
    return Annotation.objects.filter(sentence_id=target.sentence_id, annotator_id=annotator_id).first()


def _full(target: SaveTarget, annotator_id: int) -> Conflict:
    """The sentence's k places were taken while the caller's assignment was expired."""
    k = target.overlap
    error = Conflict(
        f"not submitted: this sentence already has its {k} annotator{'s' if k != 1 else ''} (the project's k) -- "
        "your assignment expired or was taken back, and the sentence went to others; your draft is kept",
        field="status",
    )
    error.current = _current(target, annotator_id)  # type: ignore[attr-defined]
    return error


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
    """The annotator's save through the API: only by a current annotator of the
    project, of a sentence assigned to them or annotated by them (else NotFound, so
    nobody learns what others were given); the assignment follows the annotation, and a
    submission needs a live assignment or room on the sentence (see annotation_write).
    An autosave is two statements: the read (with the permission test) and the write."""
    from annotator.core.errors import NotFound

    target = sql.save_target(sentence_id=sentence_id, annotator_id=annotator.pk)
    if target is None:
        raise NotFound("no such sentence in your assignments")
    return annotation_write(target=target, annotator_id=annotator.pk, payload=payload, follow=True)
