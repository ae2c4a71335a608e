"""Celery tasks of the agreement job. Thin: they take ids (and the JSON plan) and call services.

    agreement_job(job_id)                          start: plan, then inline or a chord
      ├─ agreement_chunk_task(job_id, plan, k)     one per chunk of sentences (all layers)
      └─ agreement_assemble_task(partials, job_id, plan)   chord callback: merge and store

Chunks are ranges of sentence ids of about ``CHUNK_ANNOTATIONS`` annotations (the plan fixes
them), so any number of workers share the work evenly; each returns small mergeable statistics
through the result backend, and the callback's report equals the inline computation's.

Every step holds the job's lease (``job_lease``) while it works, so the sweep does not take a
long chunk for a dead worker; between steps (chunks queued behind other work, the callback
not started yet) the job records the chord's task ids (``job_wait``) and every live worker's
sweep renews the lease while those tasks are queued or run on a live worker. Safe to run twice: a finished job is not restarted
(``job_begin``), chunk tasks only read, and the assembly updates the job's one report row
(unique per job) before finishing the job.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import chord, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from annotator.jobs.runner import MAX_RETRIES, TRANSIENT_ERRORS, register_job_kind
from annotator.jobs.services import job_begin, job_fail, job_finish, job_lease, job_progress, job_wait
from annotator.projects.models import Project

from . import services

logger = logging.getLogger(__name__)

SOFT_LIMIT = 30 * 60
CHUNK_POINTS = 90  # progress points shared by the chunk tasks (5 at the start, 100 when stored)


def _result(stored: Any) -> dict[str, Any]:
    return {"report": stored.pk, "data_version": stored.data_version}


def _retry_or_fail(task: Any, job_id: int, exc: BaseException, what: str = "") -> None:
    """Retry a transient error with backoff; after MAX_RETRIES, fail the job with the reason."""
    if task.request.retries >= MAX_RETRIES:
        job_fail(job_id=job_id, error=f"{what}gave up after {MAX_RETRIES} retries: {exc}")
        return
    raise task.retry(exc=exc, countdown=min(2 ** task.request.retries, 60)) from exc


def _fail_for(job_id: int, exc: BaseException, task: Any) -> None:
    """Record a final failure on the job; transient errors are retried by the caller first."""
    if isinstance(exc, SoftTimeLimitExceeded):
        job_fail(job_id=job_id, error=f"stopped after the time limit of {SOFT_LIMIT} s")
    else:
        logger.exception("agreement job %s failed", job_id)
        job_fail(job_id=job_id, error=f"internal error: {type(exc).__name__}: {exc}")


@shared_task(name="accord.agreement.job", bind=True, acks_late=True, reject_on_worker_lost=True,
             max_retries=MAX_RETRIES, soft_time_limit=SOFT_LIMIT, time_limit=SOFT_LIMIT + 120)
def agreement_job(self: Any, job_id: int) -> None:
    """Start the agreement computation of a queued job. Small projects (or ``fan_out=never``)
    compute here and finish the job; larger ones enqueue a chord (one task per chunk of
    sentences, then the assembly) and leave the job running: the assembly finishes it."""
    services.agreement_scheduled_forget(job_id=job_id)  # before it reads anything
    job = job_begin(job_id=job_id)
    if job is None:  # already done or failed: a redelivered message
        return
    try:
        project = Project.objects.get(pk=job.project_id)
        params = job.params or {}
        size = int(params.get("chunk_annotations") or services.CHUNK_ANNOTATIONS)
        fan_out = params.get("fan_out", "auto")
        plan = services.agreement_plan(project=project, chunk_annotations=size,
                                       structure=bool(params.get("structure", True)))
        if fan_out == "never" or (fan_out == "auto" and plan["annotations"] <= services.INLINE_MAX_ANNOTATIONS):
            def progress(fraction: float, message: str = "") -> None:
                job_progress(job_id=job_id, progress=100 * fraction, message=message)

            with job_lease(job_id=job_id):
                stored = services.agreement_compute(project=project, job_id=job_id, progress=progress, plan=plan)
            job_finish(job_id=job_id, result=_result(stored))
            return
        chunks = len(plan["chunks"])
        job_progress(job_id=job_id, progress=5, message=f"computing {chunks} chunks on the workers")
        result = chord(
            agreement_chunk_task.s(job_id, plan, k) for k in range(chunks)
        )(agreement_assemble_task.s(job_id, plan))
        # No task holds the job's lease while its chunks wait in the queue: the workers'
        # sweep renews it while these tasks are queued or run on live workers.
        job_wait(job_id=job_id, task_ids=[r.id for r in result.parent.results] + [result.id])
    except TRANSIENT_ERRORS as exc:
        _retry_or_fail(self, job_id, exc)
    except Exception as exc:  # noqa: BLE001 - recorded on the job
        _fail_for(job_id, exc, self)


# track_started: the sweep reads which worker runs a chunk (see jobs_renew_waiting)
@shared_task(name="accord.agreement.chunk", bind=True, acks_late=True, reject_on_worker_lost=True,
             ignore_result=False, track_started=True, max_retries=MAX_RETRIES, soft_time_limit=SOFT_LIMIT, time_limit=SOFT_LIMIT + 120)
def agreement_chunk_task(self: Any, job_id: int, plan: dict[str, Any], chunk: int) -> dict[str, Any]:
    """One chunk's mergeable statistics (a read; safe to repeat). Its return value (small JSON)
    goes to the chord callback through the result backend. A failure fails the job (the chord
    stops)."""
    try:
        with job_lease(job_id=job_id):  # the job stays "alive" while any of its chunks runs
            partial = services.agreement_chunk(plan=plan, chunk=chunk)
    except TRANSIENT_ERRORS as exc:
        _retry_or_fail(self, job_id, exc, what=f"chunk {chunk}: ")
        raise  # out of retries: the chord must stop too
    except Exception as exc:
        _fail_for(job_id, exc, self)
        raise
    chunks = len(plan["chunks"])
    services.agreement_progress_add(job_id=job_id, points=max(1, CHUNK_POINTS // chunks),
                                    message=f"chunk {chunk + 1} of {chunks} done")
    return partial


@shared_task(name="accord.agreement.assemble", bind=True, acks_late=True, reject_on_worker_lost=True,
             ignore_result=False, track_started=True, max_retries=MAX_RETRIES, soft_time_limit=SOFT_LIMIT, time_limit=SOFT_LIMIT + 120)
def agreement_assemble_task(self: Any, partials: list[dict[str, Any]], job_id: int, plan: dict[str, Any]) -> None:
    """Chord callback: merge the chunks, store the report (the job's one row), finish the job."""
    try:
        with job_lease(job_id=job_id):
            stored = services.agreement_assemble(plan=plan, partials=partials, job_id=job_id)
        job_finish(job_id=job_id, result=_result(stored))
    except TRANSIENT_ERRORS as exc:
        _retry_or_fail(self, job_id, exc)
    except Exception as exc:  # noqa: BLE001 - recorded on the job
        _fail_for(job_id, exc, self)


register_job_kind(services.JOB_KIND, agreement_job)
