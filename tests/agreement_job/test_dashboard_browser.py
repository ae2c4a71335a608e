"""The dashboard in real Chromium: a lead sees it with its plots, an annotator is refused."""

from __future__ import annotations

import shutil

import pytest

from annotator.agreement.services import agreement_compute
from annotator.projects.demo import demo_load

# the shared Playwright fixtures of tests/browser (one Chromium per session)
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.postgres]


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_dashboard_in_chromium_lead_sees_it_annotator_is_refused(live_server, page, artifacts_dir, transactional_db):  # noqa: F811
    project = demo_load().project
    agreement_compute(project=project)
    agreement_compute(project=project)  # two reports: the over-time chart has a line
    path = f"/p/{project.slug}/agreement/"
    sign_in(page, live_server.url, "lead", path)
    page.wait_for_selector("#h-headline")
    assert page.locator("figure.plot svg").count() >= 5
    assert page.get_by_role("button", name="Recompute").is_visible()
    page.screenshot(path=str(artifacts_dir / "agreement-dashboard.png"), full_page=True)
    page.locator("ol.disputed a").first.click()
    page.wait_for_selector(".side-by-side")
    page.screenshot(path=str(artifacts_dir / "agreement-side-by-side.png"), full_page=True)
    assert not page.js_errors

    page.context.clear_cookies()
    sign_in(page, live_server.url, "ana", "/")
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 403
