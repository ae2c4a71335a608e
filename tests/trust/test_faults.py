"""Faults, really done and bounded in time: the worker SIGKILLed in the middle of an export
job and of an agreement job (requeued, completes once, no partial file ever downloadable,
nothing duplicated); two tabs saving one annotation (one wins, one 409, no lost update).

The Redis restart lives in ``test_zz_redis_restart.py`` so that it runs last.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from annotator.jobs.models import Job, JobState
from tests.conftest import ROOT, Worker, stop_worker, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FAULT_DELAY = 4.0  # seconds a slowed job spends "running" before its real work


def start_fault_worker(log: Path, delay: float = 0.0) -> Worker:
    """A real ``celery worker`` on the test database and Redis, with the fault hooks."""
    from urllib.parse import urlparse, urlunparse

    from django.db import connection

    parts = urlparse(settings.TEST_DATABASE_URL)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "annotator.settings.test",
        "TEST_DATABASE_URL": urlunparse(parts._replace(path=f"/{connection.settings_dict['NAME']}")),
        "TEST_REDIS_URL": settings.TEST_REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
        "ACCORD_FAULT_DELAY": str(delay),
    }
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "annotator", "worker", "--loglevel=INFO", "--concurrency=1",
         "--pool=prefork", "--without-gossip", "--without-mingle", "--include", "tests.trust.fault_hooks",
         "-n", f"trust-{os.getpid()}-{time.monotonic_ns()}@%h"],
        cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
    )
    return Worker(process, log)


@pytest.fixture
def fault_workers(transactional_db: None, media_root: Path, tmp_path: Path) -> Any:
    """start(delay) -> Worker; every worker started is stopped at the end, even on failure."""
    import redis

    redis.Redis.from_url(settings.TEST_REDIS_URL).flushdb()
    started: list[Worker] = []

    def start(delay: float = 0.0) -> Worker:
        worker = start_fault_worker(tmp_path / f"worker{len(started)}.log", delay)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        stop_worker(worker, signal.SIGKILL)


def _kill(worker: Worker) -> None:
    """SIGKILL the worker's whole process group (main process and pool child) at once."""
    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout=10)


def _demo_with_gold() -> tuple[Any, Any]:
    from annotator.projects.demo import demo_load
    from annotator.projects.models import Membership, Role
    from tests.exports_job.conftest import make_gold

    project = demo_load().project
    make_gold(project)
    return project, Membership.objects.get(project=project, role=Role.LEAD).user


def test_an_export_survives_its_worker_being_killed_and_no_partial_file_is_served(fault_workers: Any) -> None:
    from annotator.exports.models import Export, ExportState
    from annotator.exports.services import export_start

    project, lead = _demo_with_gold()
    client = APIClient()
    client.force_login(lead)
    first = fault_workers(FAULT_DELAY)
    export = export_start(project=project, format="bundle", created_by=lead)
    url = f"/api/exports/{export.pk}/download/"
    seen: list[int] = []

    def poll_running() -> bool:
        seen.append(client.get(url).status_code)
        return Job.objects.get(pk=export.job_id).state == JobState.RUNNING

    wait_for(poll_running, 60, 0.1, what=f"the export job to run; log:\n{first.output()}")
    _kill(first)
    assert Job.objects.get(pk=export.job_id).state == JobState.RUNNING, "killed mid-job"
    second = fault_workers(0.0)

    def poll_done() -> Any:
        response = client.get(url)
        seen.append(response.status_code)
        return response if response.status_code == 200 else None

    response = wait_for(poll_done, 120, 0.2, what=f"the requeued export; log:\n{second.output()}")
    assert set(seen) <= {409, 200} and seen.count(200) == 1, f"only 409 until done, then the file: {set(seen)}"
    body = b"".join(response.streaming_content)
    export.refresh_from_db()
    job = Job.objects.get(pk=export.job_id)
    assert (export.state, job.state, job.attempts) == (ExportState.DONE, JobState.DONE, 2), job.error
    assert hashlib.sha256(body).hexdigest() == export.sha256 == response["X-Checksum-SHA256"], "the whole file"
    assert Export.objects.filter(project=project).count() == 1, "one Export row for the job"
    folder = Path(settings.MEDIA_ROOT) / export.path
    assert [p.name for p in folder.parent.iterdir()] == [folder.name], "one file, no partial copies beside it"


def test_an_agreement_job_survives_its_worker_being_killed(fault_workers: Any) -> None:
    from annotator.agreement.models import AgreementReport
    from annotator.agreement.services import agreement_start

    project, lead = _demo_with_gold()
    first = fault_workers(FAULT_DELAY)
    job = agreement_start(project=project, user=lead, fan_out="never")
    wait_for(lambda: Job.objects.get(pk=job.pk).state == JobState.RUNNING, 60, 0.1,
             what=f"the agreement job to run; log:\n{first.output()}")
    _kill(first)
    second = fault_workers(0.0)
    wait_for(lambda: Job.objects.get(pk=job.pk).state in (JobState.DONE, JobState.FAILED), 120, 0.2,
             what=f"the requeued agreement job (state {Job.objects.get(pk=job.pk).state}); log:\n{second.output()}")
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.DONE, 2), job.error
    assert AgreementReport.objects.filter(job=job).count() == 1, "one report per job"
    client = APIClient()
    client.force_login(lead)
    assert client.get(f"/api/projects/{project.pk}/agreement/latest/").json()["job"] == job.pk


def test_two_tabs_saving_the_same_annotation_one_wins_one_conflicts(transactional_db: None) -> None:
    """Two threads (two tabs, two database connections) PUT the same version at once on
    PostgreSQL: exactly one 200, one 409 carrying the winner; the stored labels are the
    winner's and the history has exactly one new revision."""
    from django.db import connection

    from annotator.annotations.assignment import assignment_create
    from annotator.annotations.models import Annotation, AnnotationRevision
    from annotator.annotations.services import annotation_put
    from tests.factories import ARTICLE, MembershipFactory, ProjectFactory, UserFactory, add_text

    project = ProjectFactory()
    user = UserFactory(username="tabs")
    MembershipFactory(project=project, user=user, role="annotator")
    add_text(project, ARTICLE)
    sentence = project.sentences.order_by("document_id", "index").first()
    assignment_create(project=project, sentence=sentence, annotator=user)
    base = {"stance": [], "events": [], "status": "draft"}
    annotation_put(sentence_id=sentence.pk, annotator=user, payload={**base, "entities": [], "version": 0})
    revisions = AnnotationRevision.objects.count()
    labels = {"tab-a": [{"start": 0, "end": 5, "label": "PER"}], "tab-b": [{"start": 10, "end": 13, "label": "PER"}]}
    results: dict[str, Any] = {}
    barrier = threading.Barrier(2)

    def tab(name: str, version: int) -> None:
        try:
            client = APIClient()
            client.force_login(user)
            barrier.wait(5)
            results[name] = client.put(f"/api/sentences/{sentence.pk}/annotation/",
                                       {**base, "entities": labels[name], "version": version}, format="json")
        finally:
            connection.close()

    for _ in range(3):  # three rounds, each from the version the last one stored
        version = Annotation.objects.get(sentence=sentence, annotator=user).version
        threads = [threading.Thread(target=tab, args=(name, version)) for name in labels]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        codes = sorted(r.status_code for r in results.values())
        assert codes == [200, 409], codes
        winner = next(n for n, r in results.items() if r.status_code == 200)
        loser = next(n for n, r in results.items() if r.status_code == 409)
        stored = Annotation.objects.get(sentence=sentence, annotator=user)
        assert stored.labels["entities"] == labels[winner] and stored.version == version + 1
        assert results[loser].json()["current"]["entities"] == labels[winner], "the 409 shows what won"
        assert AnnotationRevision.objects.count() == revisions + 1, "one new revision, none lost or doubled"
        revisions = AnnotationRevision.objects.count()
        results.clear()
        barrier.reset()
