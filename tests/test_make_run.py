"""`make run` for a newcomer (issue 13, bug 12): the port is documented, the "running at"
lines come last, once the server accepts connections, and the worker starts quietly."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_run_prints_the_url_last_after_the_server_answers_on_the_chosen_port():
    out = subprocess.run(["make", "-n", "run", "PORT=8400"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    start = out.index("celery -A annotator")
    script = out[start:]
    assert "--quiet" in script.split("&", 1)[0]  # no banner
    serve, poll, url = script.index("gunicorn annotator.wsgi"), script.index("create_connection"), script.index("running at http://127.0.0.1:8400/")
    assert serve < poll < url
    assert "--bind 127.0.0.1:8400" in script[serve:poll], "gunicorn serves on the chosen port"
    assert "running at" not in out[:start]


def test_readme_says_how_to_change_the_port():
    assert "make run PORT=8400" in (ROOT / "README.md").read_text(encoding="utf-8")
