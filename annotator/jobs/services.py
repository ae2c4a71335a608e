"""Writing the job rows that are the public state of background work."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
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


def job_begin(*, job_id: int) -> Job | None:
    """Mark a job running; returns None when it is already done or failed, so that a
    redelivered message (acks_late, worker lost) does not redo finished work."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.warning("job %s does not exist; nothing to do", job_id)
            return None
        if job.state in (JobState.DONE, JobState.FAILED):
            return None
        job.state = JobState.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.message = "running" if job.attempts == 1 else f"running (attempt {job.attempts})"
        job.save(update_fields=["state", "attempts", "started_at", "message", "updated_at"])
        return job


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
