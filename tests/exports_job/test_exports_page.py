"""The exports page in real Chromium: start an export, watch the progress bar, download it."""

from __future__ import annotations

import pytest

from annotator.exports.models import Export, ExportState

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_lead_starts_a_bundle_export_sees_progress_and_downloads_it(
    media_root, celery_worker, demo_gold, live_server, artifacts_dir, tmp_path, browser
):
    project, users = demo_gold
    page = None
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        page.set_default_timeout(60_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server.url}/login/?next=/p/{project.slug}/exports/")
        page.fill("#id_username", users["lead"].username)
        page.fill("#id_password", "accord-demo")
        page.click("form button[type=submit]")
        page.wait_for_url(f"**/p/{project.slug}/exports/")
        assert "Authorization: Token" in page.inner_text("#ml-lines")

        page.select_option("#export-format", "bundle")
        page.focus("#export-start")
        page.keyboard.press("Enter")  # keyboard first
        page.wait_for_selector("#export-status:not([hidden])")
        page.wait_for_function("document.getElementById('export-progress').value == 100")
        page.wait_for_selector("#export-rows tr[data-export] a[download]")
        export = Export.objects.get(project=project)
        assert export.state == ExportState.DONE
        row = page.inner_text(f"#export-rows tr[data-export='{export.pk}']")
        assert "bundle" in row and "v1" in row and export.sha256 in row
        page.screenshot(path=str(artifacts_dir / "exports_page.png"), full_page=True)

        with page.expect_download() as info:
            page.click(f"#export-rows tr[data-export='{export.pk}'] a[download]")
        download = info.value
        assert download.suggested_filename == export.filename
        saved = tmp_path / export.filename
        download.save_as(saved)
        assert saved.stat().st_size == export.size
        assert errors == []
    finally:
        if page is not None:
            page.close()


def test_annotators_cannot_open_the_exports_page(demo_gold, client):
    project, users = demo_gold
    client.force_login(users["annotator"])
    assert client.get(f"/p/{project.slug}/exports/").status_code == 403
    client.force_login(users["outsider"])
    assert client.get(f"/p/{project.slug}/exports/").status_code == 404
    client.force_login(users["viewer"])
    assert client.get(f"/p/{project.slug}/exports/").status_code == 200


def _run_lines(lines: str, cwd, tmp_path):  # type: ignore[no-untyped-def]
    """Run the page's lines in bash as a user would after pasting them (python3 = this venv)."""
    import os
    import subprocess  # noqa: S404 - runs the lines under test
    import sys
    from pathlib import Path

    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf-home")}
    env.pop("ACCORD_TOKEN", None)
    return subprocess.run(  # noqa: S603, S607 - bash with the pasted lines, as a user would
        ["bash", "-e", "-c", lines], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_ml_lines_set_the_token_first_list_every_format_and_run_when_pasted(
    media_root, demo_gold, live_server, tmp_path, browser, django_capture_on_commit_callbacks
):
    from annotator.exports.models import ExportFormat
    from annotator.exports.services import export_run, export_start

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
