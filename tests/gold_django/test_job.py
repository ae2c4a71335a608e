"""The aggregation job through a real Celery worker on Redis, run twice."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from annotator.gold.models import Gold, GoldCandidate, GoldRevision
from annotator.gold.services import gold_aggregate_start
from annotator.jobs.models import Job, JobState
from tests.conftest import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _finish(job: Job, worker) -> Job:  # type: ignore[no-untyped-def]
    def done() -> bool:
        job.refresh_from_db()
        return job.state in (JobState.DONE, JobState.FAILED)

    wait_for(done, 90, what=f"job {job.id}; worker log:\n{worker.output()}")
    return job


def test_aggregation_job_runs_on_a_real_worker_and_a_second_run_changes_nothing(celery_worker) -> None:
    from annotator.gold.tasks import aggregate_gold_job
    from annotator.projects.demo import demo_load

    project = demo_load().project
    lead = get_user_model().objects.get(username="lead")
    job = _finish(gold_aggregate_start(project=project, method="dawid-skene", threshold=0.9, user=lead), celery_worker)
    assert job.state == JobState.DONE, job.error
    assert job.result["sentences"] == 12 and job.result["queue"] > 0 and job.progress == 100
    rows = list(Gold.objects.order_by("id").values("id", "version", "labels"))
    assert GoldCandidate.objects.filter(project=project).count() == 12

    job2 = _finish(gold_aggregate_start(project=project, method="dawid-skene", threshold=0.9, user=lead), celery_worker)
    assert job2.state == JobState.DONE and job2.result["created"] == job2.result["updated"] == 0
    assert list(Gold.objects.order_by("id").values("id", "version", "labels")) == rows
    revisions = GoldRevision.objects.count()

    finished_at = job2.finished_at
    aggregate_gold_job.apply(args=[job2.id])  # a redelivered message for a finished job does nothing
    job2.refresh_from_db()
    assert job2.finished_at == finished_at and GoldRevision.objects.count() == revisions
