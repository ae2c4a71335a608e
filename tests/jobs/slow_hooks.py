"""A hook for worker processes of the jobs tests (never imported by the app).

``celery worker --include tests.jobs.slow_hooks`` with ``ACCORD_SLOW_WRITE=<seconds>``: an
export then sleeps that long inside its work folder, after the folder exists and before its
files are written, so a test can SIGKILL the worker while the folder is there.
"""

from __future__ import annotations

import functools
import os
import time
from typing import Any

DELAY = float(os.environ.get("ACCORD_SLOW_WRITE", "0") or 0)

if DELAY > 0:
    from annotator.exports import services as export_services

    _write = export_services._write

    @functools.wraps(_write)
    def _slow_write(*args: Any, **kwargs: Any) -> Any:
        time.sleep(DELAY)
        return _write(*args, **kwargs)

    export_services._write = _slow_write
