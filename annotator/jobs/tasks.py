"""A self-check job: proves a worker picks up work and reports progress (ops, tests)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

from .models import Job
from .runner import job_task


@job_task("selfcheck")
def selfcheck_job(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Run ``params["steps"]`` steps of ``params["delay"]`` seconds, reporting each."""
    steps = int(job.params.get("steps", 1))
    delay = float(job.params.get("delay", 0))
    for step in range(steps):
        time.sleep(delay)
        progress((step + 1) / steps, f"step {step + 1} of {steps}")
    return {"steps": steps, "attempts": job.attempts, "host": socket.gethostname()}
