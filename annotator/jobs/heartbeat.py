"""Worker liveness: a thread in each worker's main process touches a row, and now and
then sweeps for jobs whose worker died or whose message was lost (jobs_sweep), renews the
lease of jobs waiting for their chord's tasks, and removes the work folders that killed
runs left behind (jobs_clean_work_dirs).

The embedded filesystem broker has no broadcast channel, so ``inspect().ping()`` cannot
tell whether a worker runs; a heartbeat row works with every broker and database.
"""

from __future__ import annotations

import logging
import os
import threading

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)
_stop = threading.Event()


def _enqueue(job) -> None:  # type: ignore[no-untyped-def]
    from .runner import task_for
    from .services import job_fail

    task = task_for(job.kind)
    if task is None:
        job_fail(job_id=job.id, error=f"no task runs jobs of kind {job.kind!r} in this worker")
        return
    task.delay(job.id)


def _beat(hostname: str, started_at) -> None:  # type: ignore[no-untyped-def]
    from .models import WorkerHeartbeat
    from .runner import task_state
    from .services import jobs_clean_work_dirs, jobs_sweep

    beats = 0
    while not _stop.is_set():
        try:
            close_old_connections()
            WorkerHeartbeat.objects.update_or_create(
                hostname=hostname,
                defaults={"pid": os.getpid(), "started_at": started_at, "last_seen": timezone.now()},
            )
            if beats % max(1, settings.JOB_SWEEP_SECONDS // settings.WORKER_HEARTBEAT_SECONDS) == 0:
                swept = jobs_sweep(enqueue=_enqueue, task_state=task_state)
                if swept["requeued"] or swept["failed"] or swept["resent"]:
                    logger.warning("job sweep: %s", swept)
                jobs_clean_work_dirs()
            beats += 1
        except Exception:  # noqa: BLE001 - a missed beat must never kill the worker
            logger.warning("worker heartbeat failed", exc_info=True)
        finally:
            connection.close()
        _stop.wait(settings.WORKER_HEARTBEAT_SECONDS)


@worker_ready.connect
def start_heartbeat(sender=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
    hostname = getattr(sender, "hostname", None) or f"worker@{os.getpid()}"
    _stop.clear()
    threading.Thread(target=_beat, args=(hostname, timezone.now()), name="accord-heartbeat", daemon=True).start()


@worker_shutdown.connect
def stop_heartbeat(sender=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
    from .models import WorkerHeartbeat

    _stop.set()
    hostname = getattr(sender, "hostname", None)
    if hostname:
        try:
            WorkerHeartbeat.objects.filter(hostname=hostname).delete()
        except Exception:  # noqa: BLE001
            logger.warning("could not remove heartbeat", exc_info=True)
