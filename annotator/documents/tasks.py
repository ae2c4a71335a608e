"""Background article import (the browser's upload form and POST /api/.../imports/)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.storage import default_storage

from annotator.jobs.models import Job
from annotator.jobs.runner import TRANSIENT_ERRORS, job_task

from .services import articles_import


@job_task("import_articles")
def import_articles_job(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Import the uploaded files named in ``job.params["files"]`` ([{"name", "path"}]).

    Safe to run twice: the import is one transaction, and the runner skips a finished job;
    a re-delivered unfinished job imports again and finds earlier articles as duplicates."""
    files = []
    for item in job.params["files"]:
        with default_storage.open(item["path"], "rb") as handle:
            files.append((item["name"], handle.read()))
    try:
        summary = articles_import(project=job.project, files=files, progress=progress)
    except TRANSIENT_ERRORS:
        raise  # retried: the next attempt reads the files again
    except Exception:
        _uploads_delete(job)  # failed for good (the runner records why): nothing reads them again
        raise
    _uploads_delete(job)
    return summary.as_dict()


def _uploads_delete(job: Job) -> None:
    for item in job.params["files"]:
        default_storage.delete(item["path"])
