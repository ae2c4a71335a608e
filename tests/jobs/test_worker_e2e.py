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


# --- issue 9, item 15: lost workers, busy workers, leftovers of killed runs -------------------


def test_a_job_whose_worker_was_killed_says_worker_lost_while_no_worker_runs(celery_worker):
    """The sweep runs only in workers: with none alive, the API itself tells from the lease."""
    import signal

    from rest_framework.test import APIClient

    from annotator.jobs.services import job_create
    from annotator.jobs.tasks import selfcheck_job
    from tests.conftest import stop_worker
    from tests.factories import UserFactory

    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)
    job = job_create(kind="selfcheck", project=None, params={"steps": 400, "delay": 0.25}, created_by=user,
                     enqueue=lambda job_id: selfcheck_job.delay(job_id))
    wait_for(lambda: Job.objects.get(pk=job.id).progress >= 1, 60, what="the job to make progress")
    stop_worker(celery_worker, signal.SIGKILL)
    state = wait_for(lambda: (lambda s: s if s["worker_lost"] and s["worker_alive"] is False else None)(
        client.get(f"/api/jobs/{job.id}/").json()), 60, 0.5, what="the API to say the worker was lost")
    assert state["state"] == "running", "the job is not finished: a worker that starts requeues it"
    assert state["message"].startswith("worker lost") and "no worker is running" in state["message"]


def test_an_agreement_chord_queued_behind_a_busy_worker_is_not_taken_for_dead(celery_worker, settings):
    """One worker slot, busy with a job three leases long while the agreement job's chunks wait
    in the queue behind it: the job is not requeued (one attempt) and ends done."""
    from django.db import transaction

    from annotator.agreement.services import agreement_start
    from annotator.jobs.services import job_create
    from annotator.jobs.tasks import selfcheck_job
    from annotator.projects.demo import demo_load

    project = demo_load().project
    busy_seconds = 3 * settings.JOB_LEASE_SECONDS
    with transaction.atomic():  # both messages are sent at commit, agreement first
        job = agreement_start(project=project, fan_out="always", chunk_annotations=5)
        busy = job_create(kind="selfcheck", project=None, params={"steps": 4 * busy_seconds, "delay": 0.25},
                          enqueue=lambda job_id: selfcheck_job.delay(job_id))
    seen: set[str] = set()

    def finished() -> bool:
        current = Job.objects.get(pk=job.id)
        seen.add(current.message)
        return current.state in (JobState.DONE, JobState.FAILED)

    wait_for(finished, 180, 0.1, what=f"the agreement job; worker log:\n{celery_worker.output()}")
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert Job.objects.get(pk=busy.id).state == JobState.DONE
    assert job.attempts == 1, f"taken for dead while its chunks waited: {sorted(seen)}"
    assert not any(m.startswith("requeued") for m in seen)


@pytest.fixture
def fresh_redis(transactional_db, media_root):  # type: ignore[no-untyped-def]
    from tests.conftest import _flush_redis

    _flush_redis()
    return media_root


def test_an_export_killed_in_its_work_folder_leaves_nothing_behind(fresh_redis, tmp_path):
    """SIGKILL while the export writes in media/exports/.work/: the job is requeued and done,
    and the work folder of the killed run is removed (the sweep, once the job is done)."""
    import signal

    from django.db import connection

    from annotator.exports.services import export_start
    from tests.conftest import start_worker, stop_worker
    from tests.trust.test_faults import _demo_with_gold

    project, lead = _demo_with_gold()
    work = fresh_redis / "exports" / ".work"
    db = connection.settings_dict["NAME"]
    slow = start_worker(db, tmp_path / "slow.log", include="tests.jobs.slow_hooks",
                        env_extra={"ACCORD_SLOW_WRITE": "60"})
    second = None
    try:
        export = export_start(project=project, format="jsonl", created_by=lead)
        wait_for(lambda: list(work.rglob(".export-*")), 90, 0.1, what=f"the work folder; log:\n{slow.output()}")
        stop_worker(slow, signal.SIGKILL)
        assert Job.objects.get(pk=export.job_id).state == JobState.RUNNING, "killed mid-job"
        second = start_worker(db, tmp_path / "second.log")
        wait_for(lambda: Job.objects.get(pk=export.job_id).state in (JobState.DONE, JobState.FAILED), 120,
                 what=f"the requeued export; log:\n{second.output()}")
        job = Job.objects.get(pk=export.job_id)
        assert (job.state, job.attempts) == (JobState.DONE, 2), job.error
        wait_for(lambda: not any(work.iterdir()), 30, 0.2,
                 what=f"the work folder to be cleaned: {sorted(str(p) for p in work.rglob('*'))}")
    finally:
        stop_worker(slow, signal.SIGKILL)
        if second is not None:
            stop_worker(second)
