"""Playwright for Python driving Debian's Chromium against pytest-django's live server.

Projects are built through the services; people sign in through the real form.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "fixtures" / "demo" / "schema.json").read_text(encoding="utf-8"))
PASSWORD = "accord-demo"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture
def make_project(transactional_db: None) -> Any:
    """make_project(slug, [(title, text), ...]) -> (project, annotator user)."""
    from annotator.documents.services import articles_import
    from annotator.projects.services import membership_set, project_create, user_ensure

    def make(slug: str, articles: list[tuple[str, str]], *, username: str = "anna") -> tuple[Any, Any]:
        project = project_create(slug=slug, name=f"Project {slug}", label_schema=SCHEMA, overlap=2,
                                 guidelines="# Guidelines\n\nMark **names**, not titles. <script>alert(1)</script>")
        user = user_ensure(username=username, password=PASSWORD)
        membership_set(project=project, user=user, role="annotator")
        files = [(f"a{i}.txt", f"{title}\n\n{text}\n".encode()) for i, (title, text) in enumerate(articles)]
        articles_import(project=project, files=files)
        return project, user

    return make


def sign_in(page: Any, base_url: str, username: str, next_path: str) -> None:
    """Through the real sign-in form; lands on ``next_path``."""
    page.goto(f"{base_url}/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{next_path}*")
