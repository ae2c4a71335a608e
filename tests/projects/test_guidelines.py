"""Guidelines are rendered once, when saved; pages show the stored HTML. Input is capped.

Before: every project page, the workspace and the settings page rendered the Markdown on
each request, so one pathological guideline ("[" * 20000) made all of them 500 after 30 s.
"""

from __future__ import annotations

import importlib

import pytest
from django.test import Client
from rest_framework.test import APIClient

from annotator.core.markdown import MAX_CHARS
from annotator.projects.models import Project, Role
from annotator.projects.services import project_create, project_update
from tests.factories import SCHEMA, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def lead_and_project():
    lead = UserFactory(username="lea")
    project = project_create(slug="rules", label_schema=SCHEMA, guidelines="# Rules\n\nMark **names**.", created_by=lead)
    return lead, project


def _refuse_rendering(monkeypatch):  # type: ignore[no-untyped-def]
    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("Markdown was rendered while serving a page")

    # the templates' one way to render Markdown (patching annotator.core.markdown itself would
    # leak into modules first imported during the test, such as the API's views)
    monkeypatch.setattr("frontend.templatetags.accord.render_markdown", boom)


def test_saving_guidelines_stores_their_sanitised_html(lead_and_project):
    _, project = lead_and_project
    assert project.guidelines_html == "<h1>Rules</h1>\n<p>Mark <strong>names</strong>.</p>"
    project_update(project=project, guidelines="Now <script>x()</script> **bold**")
    project.refresh_from_db()
    assert project.guidelines_html == "<p>Now  <strong>bold</strong></p>" and project.guidelines_version == 2


@pytest.mark.parametrize("path", ["/p/rules/", "/p/rules/annotate/", "/p/rules/settings/"])
def test_project_pages_show_stored_html_without_rendering(lead_and_project, monkeypatch, path):
    lead, project = lead_and_project
    MembershipFactory(project=project, user=UserFactory(username="ann"), role=Role.ANNOTATOR)
    user = lead if path.endswith("settings/") else UserFactory(username="ann")
    _refuse_rendering(monkeypatch)
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    assert "Mark <strong>names</strong>." in response.content.decode()


def test_guidelines_over_the_cap_are_refused_with_the_field(lead_and_project):
    lead, project = lead_and_project
    client = APIClient()
    client.force_authenticate(lead)
    too_long = "[" * (MAX_CHARS + 1)
    response = client.patch(f"/api/projects/{project.pk}/", {"guidelines": too_long}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "guidelines"
    response = client.post("/api/projects/", {"slug": "other", "label_schema": SCHEMA, "guidelines": too_long},
                           format="json")
    assert response.status_code == 400 and response.json()["field"] == "guidelines"
    from annotator.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        project_update(project=project, guidelines=too_long)
    assert refused.value.field == "guidelines"
    assert Project.objects.get(pk=project.pk).guidelines == "# Rules\n\nMark **names**."


def test_the_new_project_form_refuses_over_the_cap_without_rendering_it(monkeypatch):
    staff = UserFactory(username="lea")
    staff.is_staff = True  # may create projects whatever PROJECT_CREATORS says
    staff.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(staff)
    import json

    form = {"name": "X", "slug": "x", "overlap": "2", "schema": json.dumps(SCHEMA), "guidelines": "[" * (MAX_CHARS + 1)}
    response = client.post("/projects/new/", form)
    assert response.status_code == 400 and not Project.objects.filter(slug="x").exists()
    assert "[[[[[[[[[[</p>" not in response.content.decode(), "an over-long text is not previewed"


@pytest.mark.parametrize("who", ["annotator", "viewer", "lead"])
def test_the_preview_refuses_text_over_the_cap(lead_and_project, who):
    _, project = lead_and_project
    user = UserFactory(username=f"u-{who}")
    MembershipFactory(project=project, user=user, role=who)
    client = APIClient()
    client.force_authenticate(user)
    response = client.post("/api/markdown/preview/", {"text": "[" * (MAX_CHARS + 1)}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "text"
    response = client.post("/api/markdown/preview/", {"text": "[" * 20000}, format="json")
    assert response.status_code == 200 and response.json()["html"].startswith("<p>[[[")


def test_the_migration_renders_the_guidelines_of_existing_projects(lead_and_project):
    _, project = lead_and_project
    Project.objects.filter(pk=project.pk).update(guidelines="**old** " + "[" * 20000, guidelines_html="")
    migration = importlib.import_module("annotator.projects.migrations.0003_project_guidelines_html")
    from django.apps import apps

    migration.render_guidelines(apps, None)
    assert Project.objects.get(pk=project.pk).guidelines_html.startswith("<p><strong>old</strong> [[[")
