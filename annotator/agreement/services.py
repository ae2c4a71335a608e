"""Computing and storing agreement reports from the database.

Reads are streamed: one query per layer, ``values_list(...).iterator(chunk_size=...)`` ordered by
sentence, fed sentence by sentence into the pure accumulators of ``report.py``, so memory grows
with the number of sentences (a few numbers each), not with the size of the annotations.

The same functions run in three places: inline (``compute_agreement`` and small projects),
and split across Celery workers (``tasks.py``: a chord with one task per layer, then an
assembly task that stores the report).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Max
from django.db.models.functions import Least
from django.utils import timezone

from annotator.annotations.models import Annotation, AnnotationStatus
from annotator.documents.models import Sentence
from annotator.jobs.models import Job, JobState
from annotator.jobs.services import job_create
from annotator.projects.models import Project

from . import report as rp
from .models import AgreementReport

JOB_KIND = "agreement"
LAYERS = ("stance", "events", "entities")
CHUNK_SIZE = 5000
# Below this many submitted annotations a job computes in one task (fan-out costs more than it saves).
INLINE_MAX_ANNOTATIONS = 20_000
SCHEDULE_COUNTDOWN_SECONDS = 60

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, message: str = "") -> None:
    return None


def _submitted(project_id: int) -> Any:
    return Annotation.objects.filter(project_id=project_id, status=AnnotationStatus.SUBMITTED)


def agreement_data_version(*, project_id: int) -> str:
    """``"<count>@<max updated_at>"`` of the submitted annotations (one query): any save of a
    submitted annotation, or a new submission, changes it."""
    agg = _submitted(project_id).aggregate(n=Count("id"), last=Max("updated_at"))
    last = agg["last"].isoformat() if agg["last"] else "-"
    return f"{agg['n']}@{last}"


def agreement_plan(*, project: Project) -> dict[str, Any]:
    """What every part of one computation must agree on (JSON-able, passed to the tasks): the
    annotators who submitted anything, in username order (their index is their row), the data
    version and the start time. Three queries."""
    users = (
        get_user_model()
        .objects.filter(annotations__project_id=project.pk, annotations__status=AnnotationStatus.SUBMITTED)
        .distinct()
        .order_by("username")
        .values_list("id", "username")
    )
    return {
        "project_id": project.pk,
        "annotators": [[uid, name] for uid, name in users],
        "data_version": agreement_data_version(project_id=project.pk),
        "annotations": _submitted(project.pk).count(),
        "started": timezone.now().isoformat(),
    }


def _stream(project_id: int, field: str, index: dict[int, int]) -> Iterator[tuple[int, dict[int, Any]]]:
    """(sentence id, {annotator index: value of ``field``}) per sentence, from one streaming
    query in sentence order (the unique (sentence, annotator) index gives that order)."""
    rows = (
        _submitted(project_id)
        .order_by("sentence_id", "annotator_id")
        .values_list("sentence_id", "annotator_id", field)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    current: int | None = None
    group: dict[int, Any] = {}
    for sentence_id, annotator_id, value in rows:
        if sentence_id != current:
            if current is not None:
                yield current, group
            current, group = sentence_id, {}
        if annotator_id in index:
            group[index[annotator_id]] = value
    if current is not None:
        yield current, group


def agreement_layer(*, plan: dict[str, Any], layer: str, progress: Progress = _no_progress) -> rp.LayerPart:
    """Compute one layer's part of the report (reads only that layer's JSON key). Pure read:
    safe to run any number of times."""
    project = Project.objects.get(pk=plan["project_id"])
    schema = project.label_schema or {}
    names = [name for _, name in plan["annotators"]]
    index = {uid: k for k, (uid, _) in enumerate(plan["annotators"])}
    acc: Any
    if layer == "stance":
        stance = schema.get("stance") or {}
        acc = rp.StanceAccumulator(stance.get("targets") or [], stance.get("labels") or [], len(names))
    elif layer == "events":
        acc = rp.EventAccumulator([t["name"] for t in schema.get("event_types") or []], len(names))
    elif layer == "entities":
        acc = rp.EntityAccumulator([t["name"] for t in schema.get("entity_types") or []])
    else:
        raise ValueError(f"unknown layer {layer!r}")
    total = max(plan.get("annotations") or 1, 1)
    seen = 0
    for n, (sentence_id, group) in enumerate(_stream(project.pk, f"labels__{layer}", index)):
        acc.add(sentence_id, group)
        seen += len(group)
        if n % 20_000 == 0 and n:
            progress(seen / total, f"{layer}: {seen} of {total} annotations read")
    return acc.finish(names)


def agreement_assemble(*, plan: dict[str, Any], parts: list[rp.LayerPart], job_id: int | None = None) -> AgreementReport:
    """Join the layer parts with per-annotator figures and the disputed sentences, and store
    the report. Safe to run twice: a job's report is updated in place (one row per job)."""
    project = Project.objects.get(pk=plan["project_id"])
    index = {uid: k for k, (uid, _) in enumerate(plan["annotators"])}
    seconds: dict[int, list[float]] = defaultdict(list)
    sentence_ids: set[int] = set()
    for sentence_id, annotator_id, secs in (
        _submitted(project.pk).values_list("sentence_id", "annotator_id", "seconds").iterator(chunk_size=CHUNK_SIZE)
    ):
        sentence_ids.add(sentence_id)
        if annotator_id in index:
            seconds[index[annotator_id]].append(secs)
    ranked = rp.disputed(parts)
    texts = dict(Sentence.objects.filter(pk__in=[sid for sid, _, _ in ranked]).values_list("id", "text"))
    now = timezone.now()
    report = rp.assemble_report(
        project=project.slug,
        computed_at=now.isoformat(),
        annotators=[name for _, name in plan["annotators"]],
        sentences=Sentence.objects.filter(project=project).count(),
        sentences_annotated=len(sentence_ids),
        parts=parts,
        seconds=seconds,
        texts=texts,
    )
    report["data_version"] = plan["data_version"]
    started = _parse(plan.get("started"))
    elapsed = (now - started).total_seconds() if started else 0.0
    fields = {"project": project, "report": report, "data_version": plan["data_version"], "computed_at": now,
              "seconds": elapsed}
    if job_id is None:
        return AgreementReport.objects.create(**fields)
    stored, _ = AgreementReport.objects.update_or_create(job_id=job_id, defaults=fields)
    return stored


def _parse(value: str | None) -> Any:
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value) if value else None


def agreement_compute(
    *, project: Project, job_id: int | None = None, progress: Progress = _no_progress
) -> AgreementReport:
    """The whole computation in this process (the command, and jobs on small projects):
    plan, each layer in turn, assemble and store. Reads only; writes one AgreementReport."""
    plan = agreement_plan(project=project)
    parts = []
    for k, layer in enumerate(LAYERS):
        progress(k / (len(LAYERS) + 1), f"computing {layer}")
        parts.append(agreement_layer(plan=plan, layer=layer))
    progress(len(LAYERS) / (len(LAYERS) + 1), "assembling the report")
    return agreement_assemble(plan=plan, parts=parts, job_id=job_id)


def agreement_progress_add(*, job_id: int, points: int, message: str) -> None:
    """Add ``points`` (of 100) to a running job's progress: layer tasks finish in any order on
    any worker, so each adds its share with one atomic UPDATE instead of setting a value."""
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        progress=Least(F("progress") + points, 95), message=message[:1000], updated_at=timezone.now()
    )


def agreement_start(*, project: Project, user: Any = None, fan_out: str = "auto", countdown: int | None = None) -> Job:
    """Create a queued agreement job and enqueue its task after commit.

    ``fan_out``: "auto" (a chord across workers above INLINE_MAX_ANNOTATIONS submitted
    annotations), "always" or "never". ``countdown`` delays the start (the debounced job).
    """
    if fan_out not in ("auto", "always", "never"):
        raise ValueError("fan_out must be auto, always or never")
    from .tasks import agreement_job

    def enqueue(job_id: int) -> Any:
        return agreement_job.apply_async((job_id,), countdown=countdown) if countdown else agreement_job.delay(job_id)

    return job_create(kind=JOB_KIND, project=project, params={"fan_out": fan_out, "scheduled": bool(countdown)},
                      created_by=user, enqueue=enqueue)


def agreement_schedule(*, project: Project, countdown: int = SCHEDULE_COUNTDOWN_SECONDS) -> Job:
    """Debounced recomputation after submissions: at most one scheduled agreement job per
    project waits in the queue; while one is queued this returns it and enqueues nothing (it
    will read the newest annotations when it starts). Locks the project row so that two
    concurrent submissions cannot both enqueue; the common case (a job already waits) takes
    no lock, so submissions do not queue behind each other on the project row."""
    waiting = Job.objects.filter(project=project, kind=JOB_KIND, state=JobState.QUEUED, params__scheduled=True).first()
    if waiting is not None:
        return waiting
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        pending = Job.objects.filter(
            project=project, kind=JOB_KIND, state=JobState.QUEUED, params__scheduled=True
        ).first()
        if pending is not None:
            return pending
        return agreement_start(project=project, countdown=countdown)
