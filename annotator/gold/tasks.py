"""Background aggregation into candidate gold (``POST /api/projects/{id}/aggregate/``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.jobs.models import Job
from annotator.jobs.runner import job_task

from .services import gold_aggregate


@job_task("aggregate_gold")
def aggregate_gold_job(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Run :func:`gold_aggregate` for ``job.project`` with ``job.params`` (method, threshold).

    Safe to run twice: the runner skips a finished job, and a redelivered unfinished one
    re-aggregates into the same rows (candidates are upserted per sentence; identical
    machine gold is left alone; lead gold is never touched)."""
    return gold_aggregate(
        project=job.project,
        method=job.params.get("method", "majority"),
        threshold=job.params.get("threshold", 0.5),
        progress=progress,
    )
