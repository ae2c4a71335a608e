"""The exports page's copy-paste lines for ML engineers, in real Chromium: the token is set
first, every format is offered, and the lines run in bash when pasted (issue 10 item 8)."""

from __future__ import annotations

import os
import subprocess  # noqa: S404 - runs the lines under test, as a user would
import sys
from pathlib import Path

import pytest

from annotator.exports.models import ExportFormat
from annotator.exports.services import export_run, export_start

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_lines(lines: str, cwd, tmp_path):  # type: ignore[no-untyped-def]
    """Run the page's lines in bash as a user would after pasting them (python3 = this venv)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf-home")}
    env.pop("ACCORD_TOKEN", None)
    return subprocess.run(  # noqa: S603, S607 - bash with the pasted lines, as a user would
        ["bash", "-e", "-c", lines], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_ml_lines_set_the_token_first_list_every_format_and_run_when_pasted(
    media_root, demo_gold, live_server, tmp_path, browser, django_capture_on_commit_callbacks
):
    project, users = demo_gold
    for fmt in ("bundle", "oneie"):
        with django_capture_on_commit_callbacks(execute=False):
            export = export_start(project=project, format=fmt, created_by=users["lead"])
        export_run(export_id=export.pk)
    page = browser.new_page()
    try:
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server.url}/login/?next=/p/{project.slug}/exports/")
        page.fill("#id_username", users["viewer"].username)
        page.fill("#id_password", "pw-accord-test")
        page.click("form button[type=submit]")
        page.wait_for_url(f"**/p/{project.slug}/exports/")

        offered = page.eval_on_selector_all("#ml-format option", "os => os.map(o => o.value)")
        assert sorted(offered) == sorted(ExportFormat.values)  # oneie included
        listed = page.inner_text("#ml p.muted")
        assert all(f"{value}" in listed for value in ExportFormat.values)
        first = page.inner_text("#ml-code").splitlines()[0]
        assert first.startswith("export ACCORD_TOKEN=$(curl") and "$ACCORD_PASSWORD" in first

        page.click("#ml-token")
        page.wait_for_function("document.getElementById('ml-code').textContent.startsWith(\"export ACCORD_TOKEN='\")")
        lines = page.inner_text("#ml-code")
        assert lines.splitlines()[1].startswith('curl -fL -H "Authorization: Token $ACCORD_TOKEN"')
        done = _run_lines(lines, tmp_path, tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "DatasetDict" in done.stdout and "ner_tags" in done.stdout

        page.select_option("#ml-format", "oneie")
        lines = page.inner_text("#ml-code")
        assert "/exports/latest/oneie/download/" in lines
        done = _run_lines(lines, tmp_path, tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
        assert ".oneie.json" in done.stdout
        assert errors == []
    finally:
        page.close()
