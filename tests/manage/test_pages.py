"""The lead's pages render for leads only and the "new project" form creates a project."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from annotator.projects.models import Membership, Project, Role
from tests.factories import SCHEMA, MembershipFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PAGES = ("settings", "import", "members")


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "who,expected", [("lead", 200), ("annotator", 403), ("viewer", 403), ("other_annotator", 404), ("non_member", 404)]
)
def test_manage_pages_are_for_leads_only(page, who, expected):
    project = ProjectFactory(name="Pact <b>news</b>")
    user = UserFactory()
    if who in ("lead", "annotator", "viewer"):
        MembershipFactory(project=project, user=user, role=who)
    elif who == "other_annotator":
        MembershipFactory(user=user, role=Role.ANNOTATOR)
    response = client_for(user).get(f"/p/{project.slug}/{page}/")
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "Pact &lt;b&gt;news&lt;/b&gt;" in body and "<b>news</b>" not in body  # names are text
        assert 'aria-current="page"' in body


@pytest.mark.parametrize("page", ["/projects/new/", *(f"/p/x/{p}/" for p in PAGES)])
def test_anonymous_visitors_are_sent_to_sign_in(page):
    response = Client().get(page)
    assert response.status_code == 302 and response.url.startswith("/login/")


def creator():  # type: ignore[no-untyped-def]
    """Someone PROJECT_CREATORS (default: staff and leads) lets create projects."""
    return MembershipFactory(role=Role.LEAD).user


def test_new_project_page_offers_a_valid_starter_schema():
    response = client_for(creator()).get("/projects/new/")
    assert response.status_code == 200
    text = response.context["form"]["schema"]
    from annotator.projects.schema import validate_label_schema

    assert validate_label_schema(json.loads(text)) == []


def test_new_project_form_creates_the_project_with_the_caller_as_lead_and_goes_to_settings():
    user = creator()
    response = client_for(user).post(
        "/projects/new/",
        {"name": "Pact", "slug": "pact", "overlap": "3", "schema": json.dumps(SCHEMA), "guidelines": "# G"},
    )
    assert response.status_code == 302 and response.url == "/p/pact/settings/"
    project = Project.objects.get(slug="pact")
    assert (project.name, project.overlap, project.guidelines) == ("Pact", 3, "# G")
    assert Membership.objects.get(project=project, user=user).role == Role.LEAD


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"schema": "{not json"}, "label_schema"),
        (
            {"schema": json.dumps({**SCHEMA, "entity_types": [{"name": "A", "hotkey": "s"}]})},
            "label_schema.entity_types[0].hotkey",
        ),
        ({"slug": "Not A Slug"}, "slug"),
        ({"overlap": "many"}, "overlap"),
    ],
)
def test_a_refused_new_project_shows_the_reason_and_keeps_the_input(changes, field):
    form = {
        "name": "Pact",
        "slug": "pact",
        "overlap": "2",
        "schema": json.dumps(SCHEMA),
        "guidelines": "kept text",
        **changes,
    }
    response = client_for(creator()).post("/projects/new/", form)
    assert response.status_code == 400
    assert response.context["error"]["field"] == field
    assert "kept text" in response.content.decode()
    assert not Project.objects.filter(slug="pact").exists()


@pytest.mark.parametrize("role", [Role.ANNOTATOR, Role.VIEWER])
def test_someone_who_may_not_create_projects_neither_sees_new_project_nor_opens_it(role):
    """Issue 13: every user, annotators included, saw "New project"."""
    user = MembershipFactory(role=role).user
    client = client_for(user)
    home = client.get("/").content.decode()
    assert "New project" not in home and "/projects/new/" not in home
    assert client.get("/projects/new/").status_code == 403
    form = {"name": "P", "slug": "p", "overlap": "2", "schema": json.dumps(SCHEMA), "guidelines": ""}
    assert client.post("/projects/new/", form).status_code == 403
    assert not Project.objects.filter(slug="p").exists()


def test_a_lead_sees_new_project_on_the_home_page():
    assert "/projects/new/" in client_for(creator()).get("/").content.decode()


def test_anyone_sees_new_project_when_the_setting_says_anyone(settings):
    settings.PROJECT_CREATORS = "anyone"
    assert "/projects/new/" in client_for(UserFactory()).get("/").content.decode()
