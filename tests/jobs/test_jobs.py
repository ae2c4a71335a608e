from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from annotator.core.errors import DomainError
from annotator.jobs.models import Job, JobState, WorkerHeartbeat
from annotator.jobs.runner import job_task
from annotator.jobs.selectors import job_public_state, workers_alive

pytestmark = pytest.mark.django_db

calls: list[int] = []


@job_task("test_echo")
def echo_job(job, progress):
    calls.append(job.id)
    progress(0.5, "half way")
    if job.params.get("fail") == "domain":
        raise DomainError("the input was wrong")
    if job.params.get("fail") == "bug":
        raise KeyError("oops")
    return {"echo": job.params.get("value")}


def run(job: Job) -> Job:
    echo_job.apply(args=[job.id])  # runs the real task body in this process
    job.refresh_from_db()
    return job


def test_a_job_runs_to_done_with_its_result():
    job = run(Job.objects.create(kind="test_echo", params={"value": 7}))
    assert (job.state, job.progress, job.result, job.error) == (JobState.DONE, 100, {"echo": 7}, "")
    assert job.started_at and job.finished_at


def test_running_a_finished_job_twice_does_nothing_the_second_time():
    calls.clear()
    job = run(Job.objects.create(kind="test_echo", params={"value": 1}))
    run(job)
    assert calls == [job.id]
    job.refresh_from_db()
    assert job.attempts == 1 and job.state == JobState.DONE


def test_a_domain_error_fails_the_job_with_the_readable_reason():
    job = run(Job.objects.create(kind="test_echo", params={"fail": "domain"}))
    assert (job.state, job.error) == (JobState.FAILED, "the input was wrong")


def test_an_unexpected_error_fails_the_job_and_names_the_exception():
    job = run(Job.objects.create(kind="test_echo", params={"fail": "bug"}))
    assert job.state == JobState.FAILED
    assert job.error.startswith("internal error: KeyError")


def test_a_transient_error_is_retried_then_given_up_with_a_reason(monkeypatch):
    from annotator.jobs import runner

    attempts = []

    @job_task("test_flaky")
    def flaky(job, progress):
        attempts.append(1)
        raise OperationalError("connection reset")

    monkeypatch.setattr(runner, "MAX_RETRIES", 2)
    job = Job.objects.create(kind="test_flaky")
    flaky.apply(args=[job.id], retries=2)  # the last allowed attempt
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "gave up after 2 retries" in job.error


def test_a_queued_job_says_when_no_worker_is_alive():
    job = Job.objects.create(kind="test_echo")
    state = job_public_state(job)
    assert state["worker_alive"] is False
    assert "no worker is running" in state["message"]


def test_a_queued_job_with_a_fresh_heartbeat_is_just_waiting():
    now = timezone.now()
    WorkerHeartbeat.objects.create(hostname="w1", pid=1, started_at=now, last_seen=now)
    WorkerHeartbeat.objects.create(hostname="old", pid=2, started_at=now, last_seen=now - timedelta(minutes=5))
    assert workers_alive() == 1
    state = job_public_state(Job.objects.create(kind="test_echo"))
    assert state["worker_alive"] is True and "no worker" not in state["message"]
