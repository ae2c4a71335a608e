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
        page.select_option("#export-status", "all")  # the same options as the API's body
        page.fill("#export-min-confidence", "0.5")
        assert page.is_visible("#export-names")  # a lead may name annotators
        page.focus("#export-start")
        page.keyboard.press("Enter")  # keyboard first
        page.wait_for_selector("#export-status:not([hidden])")
        page.wait_for_function("document.getElementById('export-progress').value == 100")
        page.wait_for_selector("#export-rows tr[data-export] a[download]")
        export = Export.objects.get(project=project)
        assert export.state == ExportState.DONE
        assert export.params["status"] == ["gold", "adjudicated", "disputed", "unannotated"]
        assert (export.params["min_confidence"], export.params["annotator_names"]) == (0.5, False)
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


def test_the_page_hides_exports_that_name_annotators_from_viewers(
    demo_gold, client, media_root, django_capture_on_commit_callbacks
):
    from annotator.exports.services import export_start

    project, users = demo_gold
    with django_capture_on_commit_callbacks(execute=False):
        named = export_start(project=project, format="jsonl", created_by=users["lead"], raw=True,
                             annotator_names=True)
    client.force_login(users["viewer"])
    page = client.get(f"/p/{project.slug}/exports/").content.decode()
    assert f'data-export="{named.pk}"' not in page and 'id="export-names"' not in page
    client.force_login(users["lead"])
    page = client.get(f"/p/{project.slug}/exports/").content.decode()
    assert f'data-export="{named.pk}"' in page and 'id="export-names"' in page
