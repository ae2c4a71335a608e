"""The production Content-Security-Policy in real Chromium: the agreement plots and Swagger UI
render with zero violations.

The live server runs the test profile, so every response gets the header here, on its way to
the browser: the policy is read from the production profile (in a child process with the
production environment) and set by the production middleware itself. A listener installed
before any page script records every ``securitypolicyviolation``; the console is watched too.
Before: 331 inline-style violations drew the plots as black boxes, and Swagger UI's inline
script was blocked (0 operations).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator.agreement.services import agreement_compute
from annotator.projects.demo import demo_load
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.postgres, pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")]

ROOT = Path(__file__).resolve().parents[2]
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""


@pytest.fixture(scope="module")
def production_header() -> str:
    """The Content-Security-Policy header that the production profile sends, as its own
    middleware builds it."""
    code = ("from django.conf import settings; import json; "
            "print(json.dumps([settings.CONTENT_SECURITY_POLICY, settings.MIDDLEWARE]))")
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**clean, "DJANGO_ENV": "production", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "accord.example.org",
             "DATABASE_URL": "sqlite:////tmp/accord-csp-check.sqlite3"},
    )
    assert result.returncode == 0, result.stderr
    policy, middleware = json.loads(result.stdout.strip().splitlines()[-1])
    assert "annotator.core.middleware.ContentSecurityPolicyMiddleware" in middleware
    from django.http import HttpRequest, HttpResponse
    from django.test.utils import override_settings

    from annotator.core.middleware import ContentSecurityPolicyMiddleware

    with override_settings(CONTENT_SECURITY_POLICY=policy):
        response = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())(HttpRequest())
    header = response.headers["Content-Security-Policy"]
    assert "style-src 'self'" in header and "script-src 'self'" in header and "unsafe-inline" not in header
    return header


@pytest.fixture
def csp_page(page: Any, live_server: Any, production_header: str) -> Any:
    """``page`` whose every response from the live server carries the production header."""
    console: list[str] = []

    def with_header(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": production_header})

    page.route(f"{live_server.url}/**", with_header)
    page.add_init_script(LISTEN)
    page.on("console", lambda message: console.append(message.text))
    page.csp_console = console
    return page


def _violations(page: Any) -> list[str]:
    recorded = page.evaluate("window.__csp")
    return recorded + [text for text in page.csp_console if "Content Security Policy" in text]


def _share_of_black(png: bytes) -> float:
    from PIL import Image

    rgb = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    pixels = len(rgb) // 3
    return sum(1 for i in range(0, len(rgb), 3) if rgb[i] + rgb[i + 1] + rgb[i + 2] < 60) / pixels


def test_agreement_plots_render_under_the_production_csp(csp_page, live_server, transactional_db, artifacts_dir):
    project = demo_load().project
    agreement_compute(project=project)
    agreement_compute(project=project)  # two reports: the history chart is drawn too
    path = f"/p/{project.slug}/agreement/"
    sign_in(csp_page, live_server.url, "lead", path)
    csp_page.wait_for_selector("figure.plot svg")
    plots = csp_page.locator("figure.plot svg")
    assert plots.count() >= 5
    csp_page.screenshot(path=str(artifacts_dir / "agreement-production-csp.png"), full_page=True)
    assert _violations(csp_page) == []
    for k in range(plots.count()):
        svg = plots.nth(k)
        background = svg.evaluate("s => getComputedStyle(s.querySelector('path')).fill")
        assert background == "rgb(255, 255, 255)", f"plot {k}: the figure's background is {background}"
        assert _share_of_black(svg.screenshot()) < 0.2, f"plot {k} is mostly black"

    csp_page.locator("ol.disputed a").first.click()
    csp_page.wait_for_selector(".side-by-side section")
    assert _violations(csp_page) == []
    columns = csp_page.locator(".side-by-side").evaluate("e => getComputedStyle(e).gridTemplateColumns.split(' ').length")
    assert columns == 3, "one column per annotator"
    assert not csp_page.js_errors


def test_swagger_ui_shows_operations_under_the_production_csp(csp_page, live_server, transactional_db, artifacts_dir):
    from annotator.projects.services import user_ensure

    user_ensure(username="reader", password="accord-demo")
    sign_in(csp_page, live_server.url, "reader", "/")
    csp_page.goto(f"{live_server.url}/api/docs/")
    csp_page.wait_for_selector(".opblock", timeout=30_000)
    assert csp_page.locator(".opblock").count() >= 30, "every operation of the schema is listed"
    csp_page.screenshot(path=str(artifacts_dir / "swagger-production-csp.png"))
    assert _violations(csp_page) == []
    assert not csp_page.js_errors


@pytest.mark.parametrize("who, paths", [
    ("lead", ["/", "/p/demo/", "/p/demo/settings/", "/p/demo/members/", "/p/demo/import/", "/p/demo/exports/",
              "/p/demo/adjudicate/", "/projects/new/"]),
    ("ana", ["/p/demo-practice/annotate/"]),
])
def test_every_page_runs_under_the_production_csp(csp_page, live_server, transactional_db, who, paths):
    """The other pages, so that a new inline style or script anywhere fails here first."""
    demo_load()
    sign_in(csp_page, live_server.url, who, paths[0])
    for path in paths:
        response = csp_page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        csp_page.wait_for_load_state("networkidle")
        assert _violations(csp_page) == [], path
        csp_page.csp_console.clear()
    assert not csp_page.js_errors
