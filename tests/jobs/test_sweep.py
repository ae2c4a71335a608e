from datetime import timedelta

import pytest
from django.utils import timezone

from annotator.jobs.models import Job, JobState
from annotator.jobs.services import job_begin, jobs_sweep

pytestmark = pytest.mark.django_db


def age(job: Job, seconds: float) -> None:
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(seconds=seconds))


def test_a_running_job_with_a_fresh_lease_is_not_started_twice():
    job = Job.objects.create(kind="selfcheck")
    assert job_begin(job_id=job.id) is not None
    assert job_begin(job_id=job.id) is None  # a duplicate delivery does nothing


def test_a_running_job_whose_lease_expired_is_requeued_and_sent_again(settings, django_capture_on_commit_callbacks):
    job = Job.objects.create(kind="selfcheck", state=JobState.RUNNING, attempts=1)
    age(job, settings.JOB_LEASE_SECONDS + 1)
    sent = []
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_sweep(enqueue=lambda j: sent.append(j.id)) == {"requeued": 1, "failed": 0, "resent": 0, "renewed": 0}
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and "stopped responding" in job.message
    assert sent == [job.id]
    assert job_begin(job_id=job.id).attempts == 2


def test_a_job_whose_worker_keeps_dying_fails_with_a_reason(settings):
    job = Job.objects.create(kind="selfcheck", state=JobState.RUNNING, attempts=settings.JOB_MAX_ATTEMPTS)
    age(job, settings.JOB_LEASE_SECONDS + 1)
    assert jobs_sweep(enqueue=lambda j: None)["failed"] == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "stopped responding 3 times" in job.error


def test_a_queued_job_whose_message_was_lost_is_sent_again(settings, django_capture_on_commit_callbacks):
    job = Job.objects.create(kind="selfcheck")
    fresh = Job.objects.create(kind="selfcheck")
    age(job, settings.JOB_RESEND_QUEUED_AFTER + 1)
    sent = []
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_sweep(enqueue=lambda j: sent.append(j.id))["resent"] == 1
    assert sent == [job.id] and fresh.id not in sent
