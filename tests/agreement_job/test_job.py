"""The agreement job end to end: PostgreSQL, a real Celery worker on Redis, the demo project."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from annotator.agreement.models import AgreementReport
from annotator.agreement.services import agreement_schedule, agreement_start
from annotator.jobs.models import Job, JobState
from annotator.projects.demo import demo_load
from tests.conftest import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONTRACT_KEYS = {"project", "computed_at", "annotators", "sentences", "stance", "events", "entities"}


def _without_time(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "computed_at"}


def _command_report(slug: str) -> dict:
    out, err = StringIO(), StringIO()
    call_command("compute_agreement", slug, "--json", stdout=out, stderr=err)
    assert "%" in err.getvalue(), "progress goes to stderr"
    return json.loads(out.getvalue())  # stdout holds the JSON and nothing else


def _finish(job: Job, worker) -> Job:  # type: ignore[no-untyped-def]
    def done() -> bool:
        job.refresh_from_db()
        return job.state in (JobState.DONE, JobState.FAILED)

    wait_for(done, 120, what=f"agreement job {job.id}; worker log:\n{worker.output()}")
    assert job.state == JobState.DONE, job.error
    return job


@pytest.mark.parametrize(("fan_out", "chunk_annotations"), [("always", 20_000), ("always", 5), ("never", 5)])
def test_job_through_a_real_worker_equals_the_command_on_the_demo(celery_worker, fan_out, chunk_annotations):
    """One chunk task, a chord of 8 chunk tasks (36 annotations in chunks of 5), and 8 chunks
    computed in the starting task: each stores the report the command computes in one chunk."""
    project = demo_load().project
    job = _finish(agreement_start(project=project, fan_out=fan_out, chunk_annotations=chunk_annotations),
                  celery_worker)
    stored = AgreementReport.objects.get(job=job)
    assert job.result == {"report": stored.pk, "data_version": stored.data_version}
    assert CONTRACT_KEYS <= set(stored.report)
    assert stored.report["annotators"] == ["ana", "ben", "chloe"]
    assert stored.report["sentences"] == 12
    assert _without_time(stored.report) == _without_time(_command_report("demo"))


def test_the_same_job_run_twice_leaves_one_consistent_report(celery_worker):
    from annotator.agreement.tasks import agreement_job

    project = demo_load().project
    job = _finish(agreement_start(project=project, fan_out="always", chunk_annotations=5), celery_worker)
    first = AgreementReport.objects.get(job=job).report
    # a redelivered message for a finished job does nothing
    agreement_job.delay(job.id)
    # and a job that crashed mid-way and runs again overwrites its one report row
    Job.objects.filter(pk=job.id).update(state=JobState.QUEUED)
    agreement_job.delay(job.id)
    _finish(job, celery_worker)
    wait_for(lambda: AgreementReport.objects.get(job=job).report["computed_at"] != first["computed_at"], 60,
             what="the second run's report")
    assert AgreementReport.objects.filter(job=job).count() == 1
    assert _without_time(AgreementReport.objects.get(job=job).report) == _without_time(first)


def test_schedule_keeps_at_most_one_pending_job_per_project():
    project = demo_load().project
    first = agreement_schedule(project=project, countdown=3600)
    second = agreement_schedule(project=project, countdown=3600)
    assert first.id == second.id
    assert Job.objects.filter(project=project, kind="agreement", state=JobState.QUEUED).count() == 1


def test_while_a_scheduled_job_waits_a_submission_reads_nothing_to_schedule_it(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Issue 12: a submission tested for a waiting job with 2 queries even when one waits."""
    from annotator.agreement.services import agreement_scheduled
    from annotator.agreement.tasks import agreement_job

    project = demo_load().project
    assert not agreement_scheduled(project_id=project.pk)
    with django_capture_on_commit_callbacks(execute=True):
        job = agreement_schedule(project=project, countdown=3600)
    with django_assert_num_queries(0):
        assert agreement_scheduled(project_id=project.pk)
    agreement_job.apply(args=(job.id,))  # once it starts, the next submission schedules anew
    assert not agreement_scheduled(project_id=project.pk)
