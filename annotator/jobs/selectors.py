"""Reading job state, including whether any worker is alive to run it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import Job, JobState, WorkerHeartbeat


def workers_alive() -> int:
    """How many workers wrote a heartbeat recently."""
    since = timezone.now() - timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS)
    return WorkerHeartbeat.objects.filter(last_seen__gte=since).count()


def job_public_state(job: Job) -> dict[str, Any]:
    """The job as clients see it. A queued job with no live worker says so rather than
    spinning silently."""
    message = job.message
    worker_alive = None
    if job.state == JobState.QUEUED:
        worker_alive = workers_alive() > 0
        if not worker_alive:
            message = (
                "waiting: no worker is running, so this job cannot start. "
                "Start one with `make worker` (or `celery -A annotator worker`)."
            )
        elif not message:
            message = "queued: waiting for a free worker"
    return {
        "id": job.id,
        "kind": job.kind,
        "project": job.project_id,
        "state": job.state,
        "progress": job.progress,
        "message": message,
        "result": job.result,
        "error": job.error,
        "worker_alive": worker_alive,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }
