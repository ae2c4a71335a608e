"""The one shape of every background job task.

``job_task(kind)`` turns ``fn(job, progress) -> result`` into a Celery task that takes a
job id only, is safe to run twice (a finished job is not redone), retries transient
errors with backoff and a bound, and always leaves the job row done or failed with a
reason a person can read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from annotator.core.errors import DomainError

from .models import Job
from .services import job_begin, job_fail, job_finish, job_lease, job_progress, job_requeue

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    BrokerError,
    ConnectionError,
    TimeoutError,
)
MAX_RETRIES = 5

JobFunction = Callable[[Job, Callable[[float, str], None]], Any]
_TASKS: dict[str, Any] = {}


def job_task(kind: str, *, soft_time_limit: int = 30 * 60) -> Callable[[JobFunction], Any]:
    def decorate(fn: JobFunction) -> Any:
        @shared_task(
            name=f"accord.job.{kind}",
            bind=True,
            acks_late=True,
            reject_on_worker_lost=True,
            max_retries=MAX_RETRIES,
            soft_time_limit=soft_time_limit,
            time_limit=soft_time_limit + 120,
        )
        def run(self: Any, job_id: int) -> None:
            job = job_begin(job_id=job_id)
            if job is None:
                return
            with job_lease(job_id=job_id):
                _run(self, job, job_id)

        def _run(self: Any, job: Job, job_id: int) -> None:

            def progress(fraction: float, message: str = "") -> None:
                job_progress(job_id=job_id, progress=100 * fraction, message=message)

            try:
                result = fn(job, progress)
            except DomainError as exc:
                job_fail(job_id=job_id, error=exc.message)
            except SoftTimeLimitExceeded:
                job_fail(job_id=job_id, error=f"stopped after the time limit of {soft_time_limit} s")
            except TRANSIENT_ERRORS as exc:
                if self.request.retries >= MAX_RETRIES:
                    job_fail(job_id=job_id, error=f"gave up after {MAX_RETRIES} retries: {exc}")
                    return
                job_requeue(job_id=job_id, message=f"retrying after a transient error: {exc}")
                raise self.retry(exc=exc, countdown=min(2 ** self.request.retries, 60)) from exc
            except Exception as exc:  # noqa: BLE001 - recorded on the job, then logged
                logger.exception("job %s (%s) failed", job_id, kind)
                job_fail(job_id=job_id, error=f"internal error: {type(exc).__name__}: {exc}")
            else:
                job_finish(job_id=job_id, result=result)

        run.job_function = fn  # unit tests call the plain function
        _TASKS[kind] = run
        return run

    return decorate


def register_job_kind(kind: str, task: Any) -> None:
    """Name the task that runs jobs of ``kind`` (job_task does this itself); the sweep
    uses it to send a stalled job again."""
    _TASKS[kind] = task


def task_for(kind: str) -> Any | None:
    return _TASKS.get(kind)


def task_state(task_id: str) -> tuple[str, str | None]:
    """Celery's state of a task (from the result backend) and, for a started task, the
    hostname of the worker running it (tasks that need this set ``track_started``)."""
    result = current_app.AsyncResult(task_id)
    state = result.state
    info = result.info if state == "STARTED" else None
    hostname = info.get("hostname") if isinstance(info, dict) else None
    return state, hostname
