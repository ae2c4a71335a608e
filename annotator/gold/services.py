"""Writing gold: aggregation into candidate gold, a lead's adjudication, reopening.

Who may decide what:
- ``gold_aggregate`` (a job, the CLI) writes machine gold (``majority`` / ``dawid-skene``) and
  the per-sentence :class:`GoldCandidate` rows the adjudication queue is read from, and records
  an :class:`AggregationRun`. A run defines the machine gold set: machine gold it does not
  confirm (left over from an earlier run or method) is withdrawn. It never touches gold a lead
  decided (``adjudicated`` / ``accepted``) nor gold a lead reopened.
- ``gold_save`` is a lead's decision; ``gold_reopen`` puts a decision back in the queue.
Every change of a Gold row appends a :class:`GoldRevision` (append-only history).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from itertools import groupby
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from annotator.annotations.models import Annotation, AnnotationStatus
from annotator.annotations.services import labels_clean
from annotator.annotations.validation import validate_annotation
from annotator.core.errors import Conflict, DomainError, NotFound
from annotator.documents.models import Sentence
from annotator.jobs.models import Job
from annotator.jobs.services import job_create
from annotator.projects.models import Project

from .aggregation import SentenceAnnotations, aggregate_gold
from .models import AggregationRun, Gold, GoldCandidate, GoldRevision, GoldSource

METHODS = ("majority", "dawid-skene")
LEAD_SOURCES = (GoldSource.ADJUDICATED, GoldSource.ACCEPTED)
# what a run may withdraw: its own kind of gold (imported gold is another tool's decision)
MACHINE_SOURCES = (GoldSource.MAJORITY, GoldSource.DAWID_SKENE)
BATCH = 2000
Progress = Callable[[float, str], None]


def _no_progress(fraction: float, message: str = "") -> None:
    return None


def gold_aggregate_check(*, method: object, threshold: object) -> tuple[str, float]:
    """The validated (method, threshold), or DomainError naming the field."""
    if method not in METHODS:
        raise DomainError(f"method must be one of {', '.join(METHODS)}", field="method")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise DomainError("threshold must be a number above 0 and at most 1", field="threshold")
    return str(method), float(threshold)


def _stream(project: Project, ids: dict[int, list[int]]) -> Iterator[SentenceAnnotations]:
    """Submitted annotations grouped by sentence, from one server-side-cursor query.
    Fills ``ids`` (sentence id → annotation ids) on the way, for provenance."""
    rows = (
        Annotation.objects.filter(project=project, status=AnnotationStatus.SUBMITTED)
        .order_by("sentence_id", "annotator_id")
        .values_list("sentence_id", "id", "annotator_id", "labels")
        .iterator(chunk_size=BATCH)
    )
    for sentence_id, group in groupby(rows, key=lambda row: row[0]):
        anns = []
        for _, annotation_id, annotator_id, labels in group:
            # the user id, not the name: Dawid–Skene's confusion matrices are stored by it
            anns.append({**labels, "id": annotation_id, "annotator": str(annotator_id)})
        ids[sentence_id] = [a["id"] for a in anns]
        yield {"sentence_id": sentence_id, "annotations": anns}


def gold_aggregate(
    *, project: Project, method: str = "majority", threshold: float = 0.5, progress: Progress = _no_progress
) -> dict[str, Any]:
    """Aggregate the project's submitted annotations into candidate gold.

    Reads all submitted annotations in one streaming query, runs
    :func:`annotator.gold.aggregation.aggregate_gold`, then in one transaction:
    - upserts one :class:`GoldCandidate` per aggregated sentence (and deletes candidates of
      sentences that no longer have submitted annotations), which records the queue;
    - for sentences that pass the threshold, creates or updates machine Gold (``source`` =
      ``method``, ``confidence``, ``annotation_ids``) with a GoldRevision, unless the stored gold
      was decided by a lead (never overwritten), was reopened by a lead (it waits for them) or is
      already identical (no new version);
    - withdraws (deletes, with its machine-only history) machine gold that this run does not
      confirm: its sentence now needs adjudication or has no submitted annotation any more. So
      the machine gold after a run does not depend on earlier runs (majority → Dawid–Skene →
      majority leaves what one majority run leaves);
    - records an :class:`AggregationRun` (method, threshold, summary, Dawid–Skene models).
    Safe to run twice: the second run with unchanged annotations changes no Gold row and writes
    no revision. Returns counts for the job result.
    """
    method, threshold = gold_aggregate_check(method=method, threshold=threshold)
    progress(0.05, "reading submitted annotations")
    ids: dict[int, list[int]] = {}
    result = aggregate_gold(_stream(project, ids), schema=project.label_schema, method=method, threshold=threshold)  # type: ignore[arg-type]
    progress(0.5, f"aggregated {len(ids)} sentences; writing candidates")
    now = timezone.now()
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept_lead_gold": 0, "kept_reopened": 0, "withdrawn": 0,
              "queue": 0}
    with transaction.atomic():
        run = AggregationRun.objects.create(
            project=project, method=method, threshold=threshold, computed_at=now,
            dawid_skene=dawid_skene_models(result),
        )
        existing = {
            row["sentence_id"]: row
            for row in Gold.objects.filter(project=project).values(
                "id", "sentence_id", "source", "labels", "confidence", "annotation_ids", "version", "reopened"
            )
        }
        withdrawn: list[int] = []
        candidates: list[GoldCandidate] = []
        new_gold: list[Gold] = []
        changed_gold: list[Gold] = []
        total = len(ids)
        for n, candidate in enumerate(result.candidates(), start=1):
            sentence_id = candidate["sentence_id"]
            confidence = min(1.0, max(0.0, float(candidate["confidence"])))
            labels = labels_clean(candidate["gold"])
            annotation_ids = ids[sentence_id]
            needs = candidate["needs_adjudication"]
            candidates.append(
                GoldCandidate(
                    project=project,
                    sentence_id=sentence_id,
                    method=method,
                    threshold=threshold,
                    labels=labels,
                    confidence=confidence,
                    disagreement=1.0 - confidence,
                    needs_adjudication=needs,
                    flags=candidate["flags"],
                    flag_count=len(candidate["flags"]),
                    decisions=_finite(candidate["decisions"]),
                    annotation_ids=annotation_ids,
                    computed_at=now,
                    run=run,
                )
            )
            stored = existing.pop(sentence_id, None)
            machine_gold = {"labels": labels, "source": method, "confidence": confidence, "annotation_ids": annotation_ids}
            if stored is not None and stored["source"] in LEAD_SOURCES:
                counts["kept_lead_gold"] += 1
            elif stored is not None and stored["reopened"]:
                counts["kept_reopened"] += 1
            elif needs:
                counts["queue"] += 1
                if stored is not None and stored["source"] in MACHINE_SOURCES:
                    withdrawn.append(stored["id"])
            elif stored is None:
                new_gold.append(Gold(project=project, sentence_id=sentence_id, decided_at=now, version=1, **machine_gold))
            elif (stored["labels"], stored["source"], stored["confidence"], stored["annotation_ids"]) == tuple(
                machine_gold.values()
            ):
                counts["unchanged"] += 1
            else:
                changed_gold.append(
                    Gold(
                        pk=stored["id"], project=project, sentence_id=sentence_id, decided_by=None, decided_at=now,
                        version=stored["version"] + 1, reopened=False, **machine_gold,
                    )
                )
            if len(candidates) >= BATCH:
                _write_candidates(candidates)
                candidates = []
                progress(0.5 + 0.4 * n / max(total, 1), f"{n} of {total} sentences written")
        _write_candidates(candidates)
        GoldCandidate.objects.filter(project=project, computed_at__lt=now).delete()
        # machine gold of sentences this run did not see (no submitted annotation any more)
        withdrawn += [
            row["id"] for row in existing.values() if row["source"] in MACHINE_SOURCES and not row["reopened"]
        ]
        Gold.objects.filter(pk__in=withdrawn).delete()
        counts["withdrawn"] = len(withdrawn)
        Gold.objects.bulk_create(new_gold, batch_size=BATCH)
        Gold.objects.bulk_update(
            changed_gold,
            ["labels", "source", "confidence", "annotation_ids", "decided_by", "decided_at", "version", "reopened"],
            batch_size=BATCH,
        )
        GoldRevision.objects.bulk_create([_revision(g) for g in new_gold + changed_gold], batch_size=BATCH)
        counts["created"], counts["updated"] = len(new_gold), len(changed_gold)
        summary = {"method": method, "threshold": threshold, "sentences": len(ids), **counts}
        AggregationRun.objects.filter(pk=run.pk).update(summary=summary)
    progress(1.0, "done")
    return summary


def dawid_skene_models(result: Any) -> dict[str, Any]:
    """The Dawid–Skene estimates of a run as JSON: per decision key its ``classes``, ``priors``,
    ``iterations``, ``converged`` and ``confusion`` {annotator user id: K×K rows = true class,
    columns = that annotator's label}. Empty for majority runs."""
    out: dict[str, Any] = {}
    for key, model in result.models.items():
        classes = result.stance_labels if key.startswith("stance:") else ["absent", "present"]
        out[key] = _finite({
            "classes": list(classes),
            "priors": [round(float(p), 6) for p in model.priors],
            "iterations": int(model.iterations),
            "converged": bool(model.converged),
            "confusion": {
                annotator: [[round(float(v), 6) for v in row] for row in model.confusion[j]]
                for j, annotator in enumerate(result.annotators)
            },
        })
    return out


def _finite(value: Any) -> Any:
    """JSON has no NaN: undefined confidences become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _write_candidates(candidates: list[GoldCandidate]) -> None:
    GoldCandidate.objects.bulk_create(
        candidates,
        update_conflicts=True,
        unique_fields=["sentence"],
        update_fields=[
            "method",
            "threshold",
            "labels",
            "confidence",
            "disagreement",
            "needs_adjudication",
            "flags",
            "flag_count",
            "decisions",
            "annotation_ids",
            "computed_at",
        ],
    )


def _revision(gold: Gold, *, decided_by: Any = None, decided_at: Any = None) -> GoldRevision:
    return GoldRevision(
        gold_id=gold.pk,
        version=gold.version,
        labels=gold.labels,
        source=gold.source,
        confidence=gold.confidence,
        annotation_ids=gold.annotation_ids,
        decided_by=decided_by if decided_by is not None else gold.decided_by,
        decided_at=decided_at or gold.decided_at,
        reopened=gold.reopened,
    )


def gold_aggregate_start(*, project: Project, method: object, threshold: object, user: Any) -> Job:
    """Validate, create an ``aggregate_gold`` job and enqueue it after commit."""
    method, threshold = gold_aggregate_check(method=method, threshold=threshold)
    from .tasks import aggregate_gold_job

    return job_create(
        kind="aggregate_gold",
        project=project,
        params={"method": method, "threshold": threshold},
        created_by=user,
        enqueue=lambda job_id: aggregate_gold_job.delay(job_id),
    )


def gold_check(*, sentence: Sentence, labels: object, annotation_ids: object) -> tuple[dict[str, Any], list[int], str]:
    """Validate a lead's gold: the labels against the project's schema (the one validation
    function), the annotation ids against this sentence's annotations. Returns (clean labels,
    sorted ids, source): ``accepted`` when the labels are exactly the one named annotation's,
    else ``adjudicated``."""
    if not isinstance(labels, dict):
        raise DomainError("labels must be an object with entities, stance and events", field="labels")
    errors = [
        {"field": f"labels.{e['field']}" if e["field"] else "labels", "message": e["message"]}
        for e in validate_annotation(sentence.project.label_schema, sentence.text, labels)
    ]
    extra = set(labels) - {"entities", "stance", "events"}
    errors += [{"field": f"labels.{k}", "message": f"unknown key {k!r} in gold labels"} for k in sorted(extra)]
    if errors:
        raise DomainError(f"{errors[0]['field']}: {errors[0]['message']}", field=errors[0]["field"], errors=errors)
    if not isinstance(annotation_ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in annotation_ids
    ):
        raise DomainError("annotation_ids must be a list of annotation ids", field="annotation_ids")
    ids = sorted(set(annotation_ids))
    found = dict(Annotation.objects.filter(sentence=sentence, pk__in=ids).values_list("id", "labels"))
    missing = [i for i in ids if i not in found]
    if missing:
        raise DomainError(
            f"annotation(s) {', '.join(map(str, missing))} are not annotations of this sentence",
            field="annotation_ids",
        )
    clean = labels_clean(labels)
    accepted = len(ids) == 1 and labels_clean(found[ids[0]]) == clean
    return clean, ids, GoldSource.ACCEPTED if accepted else GoldSource.ADJUDICATED


def gold_save(
    *, sentence: Sentence, user: Any, labels: object, annotation_ids: object, version: int | None = None
) -> Gold:
    """A lead's gold for ``sentence`` (the caller checked the lead role).

    ``version``: the gold version the lead last read (0 or None when there was none); a
    different stored version raises Conflict (409) and changes nothing; None skips the check.
    Clears ``reopened``; records who and when; appends a GoldRevision. The row lock makes two
    concurrent saves of the same version serialise, so only one wins.
    """
    clean, ids, source = gold_check(sentence=sentence, labels=labels, annotation_ids=annotation_ids)
    if version is not None and (isinstance(version, bool) or not isinstance(version, int) or version < 0):
        raise DomainError("version must be a whole number (the gold version you last read, 0 for none)", field="version")
    now = timezone.now()
    with transaction.atomic():
        gold = Gold.objects.select_for_update().filter(sentence=sentence).first()
        if gold is None:
            if version not in (None, 0):
                raise Conflict(f"version {version} is stale: this sentence has no gold any more", field="version")
            try:
                with transaction.atomic():
                    gold = Gold.objects.create(
                        project_id=sentence.project_id,
                        sentence=sentence,
                        labels=clean,
                        source=source,
                        confidence=None,
                        annotation_ids=ids,
                        decided_by=user,
                        decided_at=now,
                        version=1,
                    )
            except IntegrityError:
                raise Conflict("someone saved gold for this sentence at the same time; reload it", field="version") from None
        else:
            if version is not None and version != gold.version:
                raise Conflict(f"version {version} is stale: the stored gold is version {gold.version}", field="version")
            gold.labels, gold.source, gold.confidence, gold.annotation_ids = clean, source, None, ids
            gold.decided_by, gold.decided_at, gold.reopened = user, now, False
            gold.version += 1
            gold.save()
        _revision(gold).save()
    return gold


def gold_reopen(*, sentence: Sentence, user: Any) -> Gold:
    """Put the sentence's gold back in the adjudication queue (``reopened=True``, one new
    version and revision recording who reopened it and when; labels and provenance stay).
    Safe to run twice: an already reopened gold is returned unchanged."""
    with transaction.atomic():
        gold = Gold.objects.select_for_update().filter(sentence=sentence).first()
        if gold is None:
            raise NotFound("this sentence has no gold to reopen")
        if gold.reopened:
            return gold
        gold.reopened = True
        gold.version += 1
        gold.save(update_fields=["reopened", "version"])
        _revision(gold, decided_by=user, decided_at=timezone.now()).save()
    return gold
