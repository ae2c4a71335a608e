"""The background annotation import (``POST /api/projects/{id}/imports/`` with a ``format``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.jobs.models import Job
from annotator.jobs.runner import job_task

from .services import JOB_KIND, annotations_import_run


@job_task(JOB_KIND)
def import_annotations_job(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Safe to run twice: the runner skips a finished job, and a re-delivered unfinished one
    imports again in one transaction and finds what is already there unchanged."""
    return annotations_import_run(job=job, progress=progress)
