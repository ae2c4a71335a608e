"""The export job: thin, takes a job id (see :func:`annotator.jobs.runner.job_task`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.jobs.models import Job
from annotator.jobs.runner import TRANSIENT_ERRORS, job_task

from .services import export_fail, export_job_for, export_run


@job_task("export", soft_time_limit=60 * 60)
def export_job(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Build the export named by ``job.params["export"]``.

    Safe to run twice: the runner skips a finished job and :func:`export_run` skips a done
    export and otherwise rewrites the same deterministic path. A transient error leaves the
    export running for the runner's retry; any other error marks it failed (the runner marks
    the job failed with the reason)."""
    export = export_job_for(job=job)
    try:
        export = export_run(export_id=export.pk, progress=progress)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:  # also the soft time limit (SoftTimeLimitExceeded)
        export_fail(export_id=export.pk, error=f"{type(exc).__name__}: {exc}")
        raise
    return {"export": export.pk, "format": export.format, "version": export.version,
            "sha256": export.sha256, "size": export.size, "sentences": export.stats.get("sentences")}
