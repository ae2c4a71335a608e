"""Fault injection for the trust tests' worker processes (never imported by the app).

A test starts ``celery worker --include tests.trust.fault_hooks`` with
``ACCORD_FAULT_DELAY=<seconds>``: the export build and each agreement chunk then sleep that
long before doing their work, with the job already ``running``, so the test can SIGKILL
the worker (or restart Redis) in the middle of a job deterministically instead of racing
a fast job.
"""

from __future__ import annotations

import functools
import os
import time
from typing import Any

DELAY = float(os.environ.get("ACCORD_FAULT_DELAY", "0") or 0)


def _slowed(fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        time.sleep(DELAY)
        return fn(*args, **kwargs)

    return wrapper


if DELAY > 0:
    from annotator.agreement import services as agreement_services
    from annotator.exports import services as export_services

    export_services.export_build = _slowed(export_services.export_build)
    agreement_services.agreement_chunk = _slowed(agreement_services.agreement_chunk)
