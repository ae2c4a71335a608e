"""Computing and storing agreement reports from the database.

One computation = a *plan*, one *chunk* computation per range of sentence ids, and an
*assembly* that merges the chunks and stores the report:

    plan = agreement_plan(project=...)          annotators, data version, chunk bounds (one query)
    partial_k = agreement_chunk(plan=, chunk=k)  one streaming query over the chunk's sentences,
                                                 all three layers; small mergeable statistics
    agreement_assemble(plan=, partials=[...])    merge, finish every layer, store the report

Chunks hold about ``CHUNK_ANNOTATIONS`` submitted annotations each and never split a sentence.
Their results are sums (see ``report.py``), so the report does not depend on how the project was
cut: the same numbers, to the last bit, from one chunk or many, in this process
(``agreement_compute``: the command and small jobs) or as a Celery chord across workers
(``tasks.py``). Memory per chunk grows with its sentences, not with the project.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Max, Window
from django.db.models.functions import Least, Length, RowNumber
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
STREAM_BATCH = 5000  # rows per round trip of the streaming cursor
# Submitted annotations per chunk task: big enough that a task's fixed costs (a query, a
# result through the backend) stay small, small enough that two workers share the work evenly.
CHUNK_ANNOTATIONS = 20_000
# Below this many submitted annotations a job computes in one task (fan-out costs more than it saves).
INLINE_MAX_ANNOTATIONS = 20_000
SCHEDULE_COUNTDOWN_SECONDS = 60

Progress = Callable[[float, str], None]
Chunk = list[int | None]  # [first sentence id or None, end sentence id (exclusive) or None]


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


def agreement_chunks(*, project_id: int, size: int = CHUNK_ANNOTATIONS) -> list[Chunk]:
    """Sentence id ranges holding about ``size`` submitted annotations each, in sentence order
    (one query: the sentence ids at every ``size``-th annotation in (sentence, annotator) order).
    A sentence is never split; the first range is open below and the last open above, so every
    annotation falls in exactly one range even if more arrive after this plan."""
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    numbered = (
        _submitted(project_id)
        .order_by()
        .annotate(rn=Window(RowNumber(), order_by=[F("sentence_id").asc(), F("annotator_id").asc()]))
        .annotate(bucket=(F("rn") - 1) % size)
        .filter(bucket=0)  # filtering on a window: Django wraps it in an outer query
        .values_list("sentence_id", flat=True)
    )
    starts = sorted(set(numbered))[1:]  # the first chunk is open below
    bounds: list[int | None] = [None, *starts, None]
    return [[bounds[k], bounds[k + 1]] for k in range(len(bounds) - 1)]


def agreement_plan(
    *, project: Project, chunk_annotations: int = CHUNK_ANNOTATIONS, structure: bool = True
) -> dict[str, Any]:
    """What every part of one computation must agree on (JSON-able, passed to the tasks): the
    annotators who submitted anything, in username order (their index is their row), the data
    version, the start time, the chunks (sentence id ranges) and whether to compute the
    structure figures (entity u-alpha, event parts; off only to measure their cost). Five
    queries."""
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
        "chunks": agreement_chunks(project_id=project.pk, size=chunk_annotations),
        "structure": structure,
    }


def _accumulators(schema: dict[str, Any], n_annotators: int, structure: bool = True) -> list[Any]:
    """One fresh accumulator per layer, in ``LAYERS`` order."""
    stance = schema.get("stance") or {}
    return [
        rp.StanceAccumulator(stance.get("targets") or [], stance.get("labels") or [], n_annotators),
        rp.EventAccumulator([t["name"] for t in schema.get("event_types") or []], n_annotators, structure=structure),
        rp.EntityAccumulator([t["name"] for t in schema.get("entity_types") or []], structure=structure),
    ]


def _stream(project_id: int, chunk: Chunk) -> Iterator[tuple[int, int, list[tuple[int, dict[str, Any], float]]]]:
    """(sentence id, sentence length, [(annotator id, labels, seconds), ...]) per sentence of
    the chunk, from one streaming query in sentence order (the unique (sentence, annotator)
    index gives that order). The length (code points, as Python counts them) is the sentence's
    stretch of the u-alpha continuum."""
    rows = _submitted(project_id)
    low, high = chunk
    if low is not None:
        rows = rows.filter(sentence_id__gte=low)
    if high is not None:
        rows = rows.filter(sentence_id__lt=high)
    rows = (
        rows.order_by("sentence_id", "annotator_id")
        .values_list("sentence_id", "annotator_id", "labels", "seconds", Length("sentence__text"))
        .iterator(chunk_size=STREAM_BATCH)
    )
    current: int | None = None
    length = 0
    group: list[tuple[int, dict[str, Any], float]] = []
    for sentence_id, annotator_id, labels, seconds, text_length in rows:
        if sentence_id != current:
            if current is not None:
                yield current, length, group
            current, length, group = sentence_id, text_length or 0, []
        group.append((annotator_id, labels or {}, seconds))
    if current is not None:
        yield current, length, group


def agreement_chunk(*, plan: dict[str, Any], chunk: int, progress: Progress = _no_progress) -> dict[str, Any]:
    """The mergeable statistics of chunk number ``chunk`` of ``plan`` (all three layers, the
    seconds per annotator as a histogram, the chunk's most-disputed sentences): small JSON, no
    per-sentence lists. Two queries (the project, then one streaming read). A pure read: safe
    to run any number of times."""
    project = Project.objects.get(pk=plan["project_id"])
    index = {uid: k for k, (uid, _) in enumerate(plan["annotators"])}
    accs = _accumulators(project.label_schema or {}, len(index), plan.get("structure", True))
    seconds: dict[int, Counter[float]] = {k: Counter() for k in range(len(index))}
    sentences = seen = 0
    for sentence_id, length, group in _stream(project.pk, plan["chunks"][chunk]):
        sentences += 1
        seen += len(group)
        per_annotator = {index[uid]: labels for uid, labels, _ in group if uid in index}
        for uid, _, secs in group:
            if uid in index:
                seconds[index[uid]][secs] += 1
        for acc in accs:
            layer = {k: labels.get(acc.layer) for k, labels in per_annotator.items()}
            if acc.layer == "entities":
                acc.add(sentence_id, layer, length=length)
            else:
                acc.add(sentence_id, layer)
        if sentences % 5000 == 0:
            progress(seen / max(plan.get("annotations") or 1, 1), f"{seen} annotations read")
    ranked = rp.disputed([{"layer": acc.layer, "disagreement": acc.disagreement} for acc in accs])
    return {
        "chunk": chunk,
        "sentences": sentences,
        "annotations": seen,
        "seconds": {str(k): [[value, n] for value, n in hist.items()] for k, hist in seconds.items()},
        "disputed": [[sid, score, layers] for sid, score, layers in ranked],
        **{acc.layer: acc.partial() for acc in accs},
    }


def agreement_assemble(*, plan: dict[str, Any], partials: list[dict[str, Any]], job_id: int | None = None) -> AgreementReport:
    """Merge the chunks' statistics (in chunk order, whatever order they arrive in), finish every
    layer, join per-annotator figures and the disputed sentences, and store the report. Safe to
    run twice: a job's report is updated in place (one row per job)."""
    project = Project.objects.get(pk=plan["project_id"])
    names = [name for _, name in plan["annotators"]]
    partials = sorted(partials, key=lambda p: p["chunk"])
    accs = _accumulators(project.label_schema or {}, len(names), plan.get("structure", True))
    seconds: dict[int, Counter[float]] = {k: Counter() for k in range(len(names))}
    for partial in partials:
        for acc in accs:
            acc.merge(partial[acc.layer])
        for k, hist in partial["seconds"].items():
            for value, n in hist:
                seconds[int(k)][float(value)] += int(n)
    parts = [acc.finish(names) for acc in accs]
    for part in parts:
        part["disagreement"] = {}  # the chunks' tops below replace the per-sentence scores
    ranked = rp.disputed_merge(p["disputed"] for p in partials)
    texts = dict(Sentence.objects.filter(pk__in=[sid for sid, _, _ in ranked]).values_list("id", "text"))
    now = timezone.now()
    report = rp.assemble_report(
        project=project.slug,
        computed_at=now.isoformat(),
        annotators=names,
        sentences=Sentence.objects.filter(project=project).count(),
        sentences_annotated=sum(p["sentences"] for p in partials),
        parts=parts,
        # the sorted values themselves: the median is exactly statistics.median of the seconds
        seconds={k: [value for value in sorted(hist) for _ in range(hist[value])] for k, hist in seconds.items()},
        texts=texts,
        ranked=ranked,
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
    *, project: Project, job_id: int | None = None, progress: Progress = _no_progress,
    chunk_annotations: int = CHUNK_ANNOTATIONS, plan: dict[str, Any] | None = None, structure: bool = True,
) -> AgreementReport:
    """The whole computation in this process (the command, and jobs on small projects): plan
    (unless given), each chunk in turn, assemble and store. The same report as the chord across
    workers, for any ``chunk_annotations``. Reads only; writes one AgreementReport."""
    if plan is None:
        plan = agreement_plan(project=project, chunk_annotations=chunk_annotations, structure=structure)
    chunks = len(plan["chunks"])
    partials = []
    for k in range(chunks):
        progress(k / (chunks + 1), f"computing chunk {k + 1} of {chunks}")
        partials.append(agreement_chunk(plan=plan, chunk=k))
    progress(chunks / (chunks + 1), "assembling the report")
    return agreement_assemble(plan=plan, partials=partials, job_id=job_id)


def agreement_progress_add(*, job_id: int, points: int, message: str) -> None:
    """Add ``points`` (of 100) to a running job's progress: chunk tasks finish in any order on
    any worker, so each adds its share with one atomic UPDATE instead of setting a value."""
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        progress=Least(F("progress") + points, 95), message=message[:1000], updated_at=timezone.now()
    )


def agreement_start(
    *, project: Project, user: Any = None, fan_out: str = "auto", countdown: int | None = None,
    chunk_annotations: int = CHUNK_ANNOTATIONS, structure: bool = True,
) -> Job:
    """Create a queued agreement job and enqueue its task after commit.

    ``fan_out``: "auto" (a chord of chunk tasks across workers above INLINE_MAX_ANNOTATIONS
    submitted annotations), "always" or "never". ``chunk_annotations``: about how many
    annotations each chunk task reads. ``countdown`` delays the start (the debounced job).
    ``structure=False`` leaves out the entity u-alpha and the event parts (the benchmark
    measures their cost with it).
    """
    if fan_out not in ("auto", "always", "never"):
        raise ValueError("fan_out must be auto, always or never")
    if chunk_annotations < 1:
        raise ValueError("chunk_annotations must be at least 1")
    from .tasks import agreement_job

    def enqueue(job_id: int) -> Any:
        return agreement_job.apply_async((job_id,), countdown=countdown) if countdown else agreement_job.delay(job_id)

    params = {"fan_out": fan_out, "scheduled": bool(countdown), "chunk_annotations": chunk_annotations}
    if not structure:
        params["structure"] = False
    return job_create(kind=JOB_KIND, project=project, params=params, created_by=user, enqueue=enqueue)


def agreement_schedule(*, project: Project, countdown: int = SCHEDULE_COUNTDOWN_SECONDS) -> Job:
    """Debounced recomputation after submissions: at most one scheduled agreement job per
    project waits in the queue; while one is queued this returns it and enqueues nothing (it
    will read the newest annotations when it starts). Locks the project row so that two
    concurrent submissions cannot both enqueue; the common case (a job already waits) takes
    no lock, so submissions do not queue behind each other on the project row. The lock is
    FOR NO KEY UPDATE: the submission's own inserts already hold FOR KEY SHARE on the project
    row (foreign keys), and upgrading that to FOR UPDATE deadlocked two submissions."""
    waiting = Job.objects.filter(project=project, kind=JOB_KIND, state=JobState.QUEUED, params__scheduled=True).first()
    if waiting is not None:
        return waiting
    with transaction.atomic():
        Project.objects.select_for_update(no_key=True).filter(pk=project.pk).first()
        pending = Job.objects.filter(
            project=project, kind=JOB_KIND, state=JobState.QUEUED, params__scheduled=True
        ).first()
        if pending is not None:
            return pending
        job = agreement_start(project=project, countdown=countdown)
        # Remembered once committed, for a little less than the countdown: until the job
        # starts (agreement_scheduled_forget) a submission need not ask the database.
        if countdown > 1:
            transaction.on_commit(lambda: cache.set(_scheduled_key(project.pk), job.pk, timeout=countdown - 1))
        return job


def _scheduled_key(project_id: int) -> str:
    return f"accord:agreement-scheduled:{project_id}"


def agreement_scheduled(*, project_id: int) -> bool:
    """True when a debounced agreement job of the project is known to wait (read from the
    cache, no query), so a submission can skip ``agreement_schedule``. False means "ask
    ``agreement_schedule``", which tests the database."""
    return cache.get(_scheduled_key(project_id)) is not None


def agreement_scheduled_forget(*, job_id: int) -> None:
    """The job is starting: submissions from now on schedule the next one."""
    for project_id in Job.objects.filter(pk=job_id).values_list("project_id", flat=True):
        cache.delete(_scheduled_key(project_id))
