"""Writing the job rows that are the public state of background work."""

from __future__ import annotations

import logging
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from annotator.projects.models import Project

from .models import Job, JobState
from .selectors import live_worker_hostnames

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
        job.waiting_on, job.waiting_since = [], None
        job.save(update_fields=["state", "attempts", "started_at", "message", "waiting_on", "waiting_since",
                                "updated_at"])
        return job


def job_wait(*, job_id: int, task_ids: list[str]) -> None:
    """Record that a running job now waits for Celery tasks it sent (a chord's chunks and its
    callback) rather than for a task holding its lease. While they are queued, or run on a
    worker whose heartbeat is fresh, ``jobs_sweep`` renews the job's lease; a finished or
    failed job is left alone (the chord may already be done)."""
    now = timezone.now()
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        waiting_on=list(task_ids), waiting_since=now, updated_at=now)


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
    Job.objects.filter(pk=job_id).update(state=JobState.QUEUED, message=message[:1000], waiting_on=[],
                                         waiting_since=None, updated_at=timezone.now())


def _enqueue_on_commit(enqueue: Callable[[Job], Any], job: Job) -> None:
    """``enqueue(job)`` once the transaction commits (binds this job, not a loop variable)."""
    transaction.on_commit(lambda: enqueue(job))


TaskState = Callable[[str], tuple[str, str | None]]


def _waiting_is_alive(job: Job, task_state: TaskState, live: set[str], now: datetime) -> bool:
    """Whether a job waiting for its tasks (``job.waiting_on``) is still being worked on: no
    task failed, none started on a worker whose heartbeat stopped, and the wait is within
    ``JOB_WAIT_LIMIT_SECONDS`` (a queued task cannot be told from a lost one, so the wait
    is bounded; after it the job is requeued like any job whose lease expired)."""
    if job.waiting_since is None or job.waiting_since < now - timedelta(seconds=settings.JOB_WAIT_LIMIT_SECONDS):
        return False
    for task_id in job.waiting_on:
        state, hostname = task_state(task_id)
        if state in ("FAILURE", "REVOKED") or (state == "STARTED" and hostname not in live):
            return False
    return True


def jobs_renew_waiting(*, task_state: TaskState) -> int:
    """Renew the lease of every running job that waits for its tasks while they are queued
    or run on live workers (see :func:`job_wait`): a chord whose chunks wait behind other
    work on a busy, healthy worker is not taken for a dead one. ``task_state(task_id)``
    answers Celery's state and, for a started task, its worker's hostname. Called by every
    live worker's sweep; with no worker alive nothing renews, and the API says the worker
    was lost. Returns how many jobs were renewed."""
    now = timezone.now()
    waiting = list(Job.objects.filter(state=JobState.RUNNING, waiting_since__isnull=False)
                   .only("id", "waiting_on", "waiting_since"))
    if not waiting:
        return 0
    live = live_worker_hostnames()
    alive = [job.id for job in waiting if _waiting_is_alive(job, task_state, live, now)]
    return Job.objects.filter(pk__in=alive, state=JobState.RUNNING).update(updated_at=now) if alive else 0


def jobs_sweep(*, enqueue: Callable[[Job], Any], task_state: TaskState | None = None) -> dict[str, int]:
    """Find jobs that would otherwise wait forever and act on them. Safe to run from
    several workers at once (rows are locked with skip_locked).

    - waiting for their tasks (a chord) that are queued or run on live workers: lease
      renewed (only when ``task_state`` is given; see :func:`jobs_renew_waiting`);
    - running, lease expired (its worker died): requeued, or failed with a reason after
      ``JOB_MAX_ATTEMPTS`` attempts;
    - queued for longer than ``JOB_RESEND_QUEUED_AFTER`` (its message was lost, e.g. a
      broker restarted without persistence): the message is sent again; a duplicate
      is harmless because ``job_begin`` guards every delivery.
    """
    renewed = jobs_renew_waiting(task_state=task_state) if task_state is not None else 0
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
            job.waiting_on, job.waiting_since = [], None
            job.save(update_fields=["state", "message", "error", "finished_at", "waiting_on", "waiting_since",
                                    "updated_at"])
        stale_queue = now - timedelta(seconds=settings.JOB_RESEND_QUEUED_AFTER)
        for job in Job.objects.select_for_update(skip_locked=skip_locked).filter(state=JobState.QUEUED, updated_at__lt=stale_queue):
            job.save(update_fields=["updated_at"])
            _enqueue_on_commit(enqueue, job)
            resent += 1
    return {"requeued": requeued, "failed": failed, "resent": resent, "renewed": renewed}


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
        waiting_on=[],
        waiting_since=None,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def job_fail(*, job_id: int, error: str, message: str = "failed") -> None:
    """End a job as failed with a reason a person can read."""
    Job.objects.filter(pk=job_id).update(
        state=JobState.FAILED,
        message=message[:1000],
        error=error,
        waiting_on=[],
        waiting_since=None,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


# --- work folders ---------------------------------------------------------------------------

WORK_DIR = ".work"
_JOB_WORK_DIR = re.compile(r"job-(\d+)")


def job_work_dir(*, area: str, job_id: int) -> Path:
    """The scratch folder of one job's run in ``MEDIA_ROOT/<area>/.work/job-<id>/`` (not
    created here). A run killed mid-way leaves it behind; ``jobs_clean_work_dirs`` removes
    it once the job is done or failed."""
    return Path(settings.MEDIA_ROOT) / area / WORK_DIR / f"job-{job_id}"


# Far longer than any job may run (the longest time limit is about an hour): a folder in a
# work directory that names no job and has not changed for this long is a leftover (e.g. of
# a run killed before work folders were per job).
STALE_WORK_SECONDS = 24 * 3600


def jobs_clean_work_dirs() -> int:
    """Remove the work folders (``MEDIA_ROOT/*/.work/job-<id>``) of jobs that are done,
    failed or deleted: what runs killed mid-way left behind. Folders of queued or running
    jobs stay (a requeued job may start writing again at any moment). Other folders in a
    work directory go once unchanged for ``STALE_WORK_SECONDS``. At most one query; safe
    to run from several workers at once. Returns how many folders were removed."""
    folders: dict[int, list[Path]] = {}
    removed = 0
    stale = timezone.now().timestamp() - STALE_WORK_SECONDS
    for path in Path(settings.MEDIA_ROOT).glob(f"*/{WORK_DIR}/*"):
        match = _JOB_WORK_DIR.fullmatch(path.name)
        if match and path.is_dir():
            folders.setdefault(int(match.group(1)), []).append(path)
        elif path.is_dir() and path.stat().st_mtime < stale:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    if not folders:
        return removed
    active = set(Job.objects.filter(pk__in=folders, state__in=(JobState.QUEUED, JobState.RUNNING))
                 .values_list("id", flat=True))
    for job_id, paths in folders.items():
        if job_id in active:
            continue
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed
