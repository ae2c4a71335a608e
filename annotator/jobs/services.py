"""Writing the job rows that are the public state of background work."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from annotator.projects.models import Project

from .models import Job, JobState

logger = logging.getLogger(__name__)


def job_create(
    *, kind: str, project: Project | None, params: dict[str, Any], created_by: Any = None, enqueue: Callable[[int], Any]
) -> Job:
    """Create a queued job and enqueue ``enqueue(job.id)`` once the transaction commits
    (a worker must never look for a row that is not there yet)."""
    job = Job.objects.create(kind=kind, project=project, params=params, created_by=created_by)
    transaction.on_commit(lambda: enqueue(job.id))
    return job


def _lease_cutoff() -> datetime:
    return timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS)


def job_begin(*, job_id: int) -> Job | None:
    """Mark a job running; returns None when it is done or failed, or when another
    worker holds its lease (running and renewed recently), so that a duplicate message
    never runs the same job twice at once and finished work is never redone."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.warning("job %s does not exist; nothing to do", job_id)
            return None
        if job.state in (JobState.DONE, JobState.FAILED):
            return None
        if job.state == JobState.RUNNING and job.updated_at >= _lease_cutoff():
            logger.info("job %s is running elsewhere; this delivery does nothing", job_id)
            return None
        job.state = JobState.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.message = "running" if job.attempts == 1 else f"running (attempt {job.attempts})"
        job.save(update_fields=["state", "attempts", "started_at", "message", "updated_at"])
        return job


@contextmanager
def job_lease(*, job_id: int) -> Iterator[None]:
    """Renew the running job's lease (its ``updated_at``) from a side thread while the
    body runs, so a long step without progress reports is not taken for a dead worker.
    When the process dies the renewals stop and ``jobs_sweep`` requeues the job."""
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(settings.JOB_LEASE_SECONDS / 3):
                Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(updated_at=timezone.now())
        except Exception:  # noqa: BLE001 - a missed renewal is survivable
            logger.warning("lease renewal for job %s failed", job_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=renew, name=f"job-{job_id}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)


def job_requeue(*, job_id: int, message: str) -> None:
    """Put a running job back to queued (a retry is about to be sent)."""
    Job.objects.filter(pk=job_id).update(state=JobState.QUEUED, message=message[:1000], updated_at=timezone.now())


def _enqueue_on_commit(enqueue: Callable[[Job], Any], job: Job) -> None:
    """``enqueue(job)`` once the transaction commits (binds this job, not a loop variable)."""
    transaction.on_commit(lambda: enqueue(job))


def jobs_sweep(*, enqueue: Callable[[Job], Any]) -> dict[str, int]:
    """Find jobs that would otherwise wait forever and act on them. Safe to run from
    several workers at once (rows are locked with skip_locked).

    - running, lease expired (its worker died): requeued, or failed with a reason after
      ``JOB_MAX_ATTEMPTS`` attempts;
    - queued for longer than ``JOB_RESEND_QUEUED_AFTER`` (its message was lost, e.g. a
      broker restarted without persistence): the message is sent again; a duplicate
      is harmless because ``job_begin`` guards every delivery.
    """
    requeued = failed = resent = 0
    now = timezone.now()
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        for job in Job.objects.select_for_update(skip_locked=skip_locked).filter(state=JobState.RUNNING, updated_at__lt=_lease_cutoff()):
            if job.attempts >= settings.JOB_MAX_ATTEMPTS:
                job.state, job.finished_at = JobState.FAILED, now
                job.error = f"the worker running it stopped responding {job.attempts} times; giving up"
                job.message = "failed"
                failed += 1
            else:
                job.state = JobState.QUEUED
                job.message = f"requeued: the worker running attempt {job.attempts} stopped responding"
                requeued += 1
                _enqueue_on_commit(enqueue, job)
            job.save(update_fields=["state", "message", "error", "finished_at", "updated_at"])
        stale_queue = now - timedelta(seconds=settings.JOB_RESEND_QUEUED_AFTER)
        for job in Job.objects.select_for_update(skip_locked=skip_locked).filter(state=JobState.QUEUED, updated_at__lt=stale_queue):
            job.save(update_fields=["updated_at"])
            _enqueue_on_commit(enqueue, job)
            resent += 1
    return {"requeued": requeued, "failed": failed, "resent": resent}


def job_progress(*, job_id: int, progress: float, message: str = "") -> None:
    """Record progress (0-100). A plain UPDATE: safe to call often from a task."""
    fields: dict[str, Any] = {"progress": max(0, min(100, int(progress))), "updated_at": timezone.now()}
    if message:
        fields["message"] = message[:1000]
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(**fields)


def job_finish(*, job_id: int, result: Any, message: str = "done") -> None:
    Job.objects.filter(pk=job_id).update(
        state=JobState.DONE,
        progress=100,
        result=result,
        message=message[:1000],
        error="",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def job_fail(*, job_id: int, error: str, message: str = "failed") -> None:
    """End a job as failed with a reason a person can read."""
    Job.objects.filter(pk=job_id).update(
        state=JobState.FAILED,
        message=message[:1000],
        error=error,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
