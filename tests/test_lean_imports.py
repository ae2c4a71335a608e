"""Issue 12 target 2: the web process does not import the heavy libraries; jobs load them
when they run. Checked in a fresh interpreter, since this suite's own process imports them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("spacy", "matplotlib", "pyarrow", "datasets")


def test_url_routes_and_the_wsgi_app_do_not_import_spacy_matplotlib_pyarrow_or_datasets():
    probe = (
        "import sys, django; django.setup(); import annotator.wsgi, annotator.urls;"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "annotator.settings.test"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
