"""Redis restarted in the middle of a job (named ``zz`` so it runs last: Redis is shared).

The broker loses its queue (``shutdown nosave``) while an export job is running on a real
worker. Within a bound the job must end ``done`` (or ``failed`` with a reason): never stay
running or queued for ever. Redis is started again at once and, whatever happens, is
checked to be up when the test ends.
"""

from __future__ import annotations

import subprocess
import time
from typing import Any

import pytest

from annotator.jobs.models import Job, JobState
from tests.conftest import wait_for
from tests.trust.test_faults import FAULT_DELAY, _demo_with_gold, fault_workers  # noqa: F401 - fixture

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
               "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"]


def _redis_up() -> bool:
    return subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True, text=True,
                          timeout=5).stdout.strip() == "PONG"


def _ensure_redis() -> None:
    if not _redis_up():
        subprocess.run(REDIS_START, check=False, timeout=15)
        wait_for(_redis_up, 15, what="redis to answer again")


@pytest.fixture
def redis_restarter(redis_server_binary: str) -> Any:

    def restart() -> None:
        subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True, timeout=10)
        wait_for(lambda: not _redis_up(), 10, 0.05, what="redis to stop")
        subprocess.run(REDIS_START, check=True, timeout=15)
        wait_for(_redis_up, 15, 0.05, what="redis to answer again")

    try:
        yield restart
    finally:
        _ensure_redis()


def test_a_job_ends_done_or_failed_when_redis_restarts_under_it(fault_workers: Any, redis_restarter: Any) -> None:  # noqa: F811
    from annotator.exports.services import export_start

    project, lead = _demo_with_gold()
    worker = fault_workers(FAULT_DELAY)
    export = export_start(project=project, format="jsonl", created_by=lead)
    wait_for(lambda: Job.objects.get(pk=export.job_id).state == JobState.RUNNING, 60, 0.1,
             what=f"the export job to run; log:\n{worker.output()}")
    started = time.monotonic()
    redis_restarter()
    wait_for(lambda: Job.objects.get(pk=export.job_id).state in (JobState.DONE, JobState.FAILED), 90, 0.2,
             what=f"the job to end after the restart; log:\n{worker.output()}")
    job = Job.objects.get(pk=export.job_id)
    assert job.state == JobState.DONE or job.error, "a failed job says why"
    assert job.state == JobState.DONE, f"failed instead of completing: {job.error}"
    assert time.monotonic() - started < 90
    assert worker.process.poll() is None, "the worker reconnected and is still running"
