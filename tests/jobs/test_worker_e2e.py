"""End to end: a real Celery worker process on real Redis runs a real import job."""

import pytest

from annotator.documents.models import Document, Sentence
from annotator.documents.services import articles_import_enqueue
from annotator.jobs.models import Job, JobState
from tests.conftest import wait_for
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_import_job_reaches_done_through_a_real_worker(media_root, celery_worker):
    project = ProjectFactory()
    uploads = [("news.jsonl", b'{"title": "A", "text": "Putin met Kim. Seoul protested."}\n')]
    job = articles_import_enqueue(project=project, uploads=uploads)  # on_commit: autocommit enqueues now

    def finished():
        job.refresh_from_db()
        return job.state in (JobState.DONE, JobState.FAILED)

    wait_for(finished, 90, what=f"job {job.id} to finish; worker log:\n{celery_worker.output()}")
    assert job.state == JobState.DONE, job.error
    assert job.result["summary"] == "imported 1 article, 2 sentences"
    assert Document.objects.filter(project=project).count() == 1
    assert Sentence.objects.filter(project=project).count() == 2
    assert not list((media_root / "imports").rglob("*.jsonl")), "uploads are removed after import"


def test_a_bad_upload_fails_the_job_with_file_and_line(media_root, celery_worker):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from annotator.documents.tasks import import_articles_job
    from annotator.jobs.services import job_create

    project = ProjectFactory()
    path = default_storage.save("imports/x/bad.jsonl", ContentFile(b'{"title": "a"}\n'))
    job = job_create(
        kind="import_articles",
        project=project,
        params={"files": [{"name": "bad.jsonl", "path": path}]},
        enqueue=lambda job_id: import_articles_job.delay(job_id),
    )
    wait_for(lambda: Job.objects.get(pk=job.id).state == JobState.FAILED, 90, what="the job to fail")
    job.refresh_from_db()
    assert job.error == "bad.jsonl, line 1: missing text field"
    assert Document.objects.filter(project=project).count() == 0


def test_a_job_survives_its_worker_being_killed(tmp_path, celery_worker):
    """SIGKILL the worker mid-job: a second worker's sweep finds the expired lease,
    requeues the job, and it completes exactly once more (attempt 2)."""
    import signal

    from django.db import connection

    from annotator.jobs.services import job_create
    from annotator.jobs.tasks import selfcheck_job
    from tests.conftest import start_worker, stop_worker

    job = job_create(kind="selfcheck", project=None, params={"steps": 40, "delay": 0.25},
                     enqueue=lambda job_id: selfcheck_job.delay(job_id))
    wait_for(lambda: Job.objects.get(pk=job.id).progress >= 10, 60, what="the job to make progress")
    stop_worker(celery_worker, signal.SIGKILL)
    assert Job.objects.get(pk=job.id).state == JobState.RUNNING
    second = start_worker(connection.settings_dict["NAME"], tmp_path / "worker2.log")
    try:
        wait_for(lambda: Job.objects.get(pk=job.id).state in (JobState.DONE, JobState.FAILED), 120,
                 what=f"the requeued job to finish; worker log:\n{second.output()}")
    finally:
        stop_worker(second)
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert job.attempts == 2 and job.result["attempts"] == 2
