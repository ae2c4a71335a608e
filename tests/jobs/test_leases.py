"""Leases and leftovers (issue 9, item 15), without a worker process: the API says when a
running job's worker was lost; a job waiting for its chord keeps its lease while the chord's
tasks are queued or run on live workers; work folders of finished jobs are removed.
(The same through real workers on Redis: test_worker_e2e.py.)"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from annotator.jobs.models import Job, JobState, WorkerHeartbeat
from annotator.jobs.services import job_wait, job_work_dir, jobs_clean_work_dirs, jobs_sweep
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def age(job: Job, seconds: float) -> None:
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(seconds=seconds))


def beat(hostname: str, seconds_ago: float = 0) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(hostname=hostname, pid=1, started_at=now,
                                   last_seen=now - timedelta(seconds=seconds_ago))


def test_a_running_job_whose_lease_expired_says_worker_lost_in_the_api_when_no_worker_is_alive(settings):
    user = UserFactory()
    job = Job.objects.create(kind="selfcheck", state=JobState.RUNNING, attempts=1, created_by=user)
    client = APIClient()
    client.force_authenticate(user)
    fresh = client.get(f"/api/jobs/{job.pk}/").json()
    assert (fresh["state"], fresh["worker_lost"]) == ("running", False)
    age(job, settings.JOB_LEASE_SECONDS + 1)
    lost = client.get(f"/api/jobs/{job.pk}/").json()
    assert (lost["state"], lost["worker_lost"], lost["worker_alive"]) == ("running", True, False)
    assert lost["message"].startswith("worker lost") and "no worker is running" in lost["message"]


def test_a_lost_job_says_a_live_worker_will_requeue_it(settings):
    from annotator.jobs.selectors import job_public_state

    beat("alive@host")
    job = Job.objects.create(kind="selfcheck", state=JobState.RUNNING, attempts=1)
    age(job, settings.JOB_LEASE_SECONDS + 1)
    state = job_public_state(Job.objects.get(pk=job.pk))
    assert state["worker_lost"] is True and state["worker_alive"] is True and "requeue it shortly" in state["message"]


def waiting_job(settings, task_ids: list[str]) -> Job:
    job = Job.objects.create(kind="agreement", state=JobState.RUNNING, attempts=1)
    job_wait(job_id=job.pk, task_ids=task_ids)
    age(job, settings.JOB_LEASE_SECONDS + 1)
    return job


def test_a_job_waiting_for_queued_chord_tasks_is_renewed_not_requeued(settings):
    beat("busy@host")
    job = waiting_job(settings, ["chunk-0", "chunk-1", "callback"])
    states = {"chunk-0": ("SUCCESS", None), "chunk-1": ("PENDING", None), "callback": ("PENDING", None)}
    swept = jobs_sweep(enqueue=lambda j: None, task_state=states.__getitem__)
    assert swept == {"requeued": 0, "failed": 0, "resent": 0, "renewed": 1}
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.attempts == 1
    assert job.updated_at > timezone.now() - timedelta(seconds=5)


def test_a_chunk_started_on_a_live_worker_keeps_the_job_alive(settings):
    beat("busy@host")
    job = waiting_job(settings, ["chunk-0"])
    swept = jobs_sweep(enqueue=lambda j: None, task_state=lambda task_id: ("STARTED", "busy@host"))
    assert swept["renewed"] == 1 and swept["requeued"] == 0
    assert Job.objects.get(pk=job.pk).state == JobState.RUNNING


def test_a_chunk_started_on_a_dead_worker_lets_the_job_be_requeued(settings):
    beat("dead@host", seconds_ago=settings.WORKER_STALE_AFTER_SECONDS + 5)
    beat("other@host")
    job = waiting_job(settings, ["chunk-0", "chunk-1"])
    states = {"chunk-0": ("STARTED", "dead@host"), "chunk-1": ("PENDING", None)}
    swept = jobs_sweep(enqueue=lambda j: None, task_state=states.__getitem__)
    assert swept["renewed"] == 0 and swept["requeued"] == 1
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.waiting_on == [] and job.waiting_since is None


def test_a_wait_longer_than_the_limit_is_taken_for_lost_messages(settings):
    beat("busy@host")
    job = waiting_job(settings, ["chunk-0"])
    Job.objects.filter(pk=job.pk).update(
        waiting_since=timezone.now() - timedelta(seconds=settings.JOB_WAIT_LIMIT_SECONDS + 1))
    swept = jobs_sweep(enqueue=lambda j: None, task_state=lambda task_id: ("PENDING", None))
    assert swept["renewed"] == 0 and swept["requeued"] == 1


def test_a_failed_chunk_does_not_keep_the_job_alive(settings):
    beat("busy@host")
    waiting_job(settings, ["chunk-0"])
    swept = jobs_sweep(enqueue=lambda j: None, task_state=lambda task_id: ("FAILURE", None))
    assert swept["renewed"] == 0 and swept["requeued"] == 1


def test_finishing_or_requeueing_a_job_clears_what_it_waited_for(settings):
    from annotator.jobs.services import job_begin, job_finish

    job = Job.objects.create(kind="agreement")
    job_begin(job_id=job.pk)
    job_wait(job_id=job.pk, task_ids=["a"])
    job_finish(job_id=job.pk, result={})
    job.refresh_from_db()
    assert (job.waiting_on, job.waiting_since) == ([], None)
    job_wait(job_id=job.pk, task_ids=["b"])  # the chord finished first: a done job is left alone
    assert Job.objects.get(pk=job.pk).waiting_on == []


def make_work_dir(job_id: int) -> Path:
    folder = job_work_dir(area="exports", job_id=job_id) / ".export-abc123"
    folder.mkdir(parents=True)
    (folder / "part.jsonl").write_text("{}\n")
    return folder.parent


def test_work_folders_of_done_failed_and_deleted_jobs_are_removed_others_stay(media_root):
    done = Job.objects.create(kind="export", state=JobState.DONE)
    failed = Job.objects.create(kind="export", state=JobState.FAILED)
    running = Job.objects.create(kind="export", state=JobState.RUNNING)
    queued = Job.objects.create(kind="export", state=JobState.QUEUED)
    folders = {job.pk: make_work_dir(job.pk) for job in (done, failed, running, queued)}
    gone = make_work_dir(999_999)
    assert jobs_clean_work_dirs() == 3
    assert not folders[done.pk].exists() and not folders[failed.pk].exists() and not gone.exists()
    assert folders[running.pk].exists() and folders[queued.pk].exists()
    assert Path(media_root, "exports", ".work").is_dir(), "only the job folders go"


def test_cleaning_work_folders_with_none_there_reads_nothing(media_root, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert jobs_clean_work_dirs() == 0


def test_a_work_folder_of_no_job_goes_once_older_than_any_job_may_run(media_root):
    import os

    from annotator.jobs.services import STALE_WORK_SECONDS

    work = Path(media_root, "exports", ".work")
    old, new = work / ".export-old", work / ".export-new"
    for folder in (old, new):
        folder.mkdir(parents=True)
    past = timezone.now().timestamp() - STALE_WORK_SECONDS - 60
    os.utime(old, (past, past))
    assert jobs_clean_work_dirs() == 1
    assert not old.exists() and new.exists()
