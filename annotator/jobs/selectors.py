"""Reading job state, including whether any worker is alive to run it."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import Job, JobState, WorkerHeartbeat


def workers_alive() -> int:
    """How many workers wrote a heartbeat recently."""
    since = timezone.now() - timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS)
    return WorkerHeartbeat.objects.filter(last_seen__gte=since).count()


def live_worker_hostnames() -> set[str]:
    """The hostnames of the workers that wrote a heartbeat recently."""
    since = timezone.now() - timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS)
    return set(WorkerHeartbeat.objects.filter(last_seen__gte=since).values_list("hostname", flat=True))


def job_public_state(job: Job) -> dict[str, Any]:
    """The job as clients see it. A queued job with no live worker says so rather than
    spinning silently; a running job whose lease expired says its worker was lost (the
    sweep that requeues it runs in workers, so with none alive nobody else would)."""
    message = job.message
    worker_alive = None
    lease_cutoff = timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    worker_lost = job.state == JobState.RUNNING and job.updated_at < lease_cutoff
    if worker_lost:
        worker_alive = workers_alive() > 0
        since = job.updated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        message = f"worker lost: the worker running this job has not renewed it since {since}; " + (
            "a live worker will requeue it shortly." if worker_alive else
            "no worker is running, so it waits here until one starts (`make worker` or "
            "`celery -A annotator worker`), which requeues it."
        )
    elif job.state == JobState.QUEUED:
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
        "worker_lost": worker_lost,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }
