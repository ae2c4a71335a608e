"""Issue 9 item 1: account takeover through ``POST /api/projects/{id}/members/``.

The adversary's path: a lead adds ``dora`` (no password) as lead of demo; any user creates
a project, "adds" dora to it with a password of their choosing, signs in as dora and reads
demo's adjudication. Each step of that path is closed here."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from annotator.projects.models import Membership, Role
from tests.factories import SCHEMA, MembershipFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

CHOSEN = "attacker-chosen-passphrase-42"


def signed_in(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def demo():
    project = ProjectFactory(slug="demo")
    lead = MembershipFactory(project=project, role=Role.LEAD, user=UserFactory(username="lead")).user
    annotator = MembershipFactory(project=project, role=Role.ANNOTATOR, user=UserFactory(username="ana")).user
    return project, lead, annotator


def test_the_adversarys_path_to_dora_is_closed(demo, settings):
    settings.PROJECT_CREATORS = "anyone"  # even where anyone may create a project
    project, lead, annotator = demo
    dora = get_user_model().objects.create_user("dora")  # an account with no usable password
    Membership.objects.create(project=project, user=dora, role=Role.LEAD)
    attacker = signed_in(annotator)
    own = attacker.post("/api/projects/", {"slug": "mine", "label_schema": SCHEMA}, format="json")
    assert own.status_code == 201
    grab = attacker.post(
        f"/api/projects/{own.json()['id']}/members/", {"username": "dora", "role": "viewer", "password": CHOSEN},
        format="json",
    )
    assert grab.status_code == 400 and grab.json()["field"] == "password"
    dora.refresh_from_db()
    assert not dora.has_usable_password()
    token = APIClient().post("/api/auth/token/", {"username": "dora", "password": CHOSEN}, format="json")
    assert token.status_code == 400


def test_a_password_is_refused_for_a_new_name_too_and_no_account_is_created(demo):
    project, lead, _ = demo
    response = signed_in(lead).post(
        f"/api/projects/{project.id}/members/", {"username": "zoe", "role": "annotator", "password": CHOSEN},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "password"
    assert not get_user_model().objects.filter(username="zoe").exists()


def test_adding_an_unknown_name_creates_no_account_and_says_the_same_as_for_a_stranger(demo):
    """The route neither creates accounts nor tells which usernames exist: a name the lead
    does not already work with gets the same answer whether or not it is an account."""
    project, lead, _ = demo
    UserFactory(username="stranger")  # exists, but shares no project the lead leads
    client = signed_in(lead)
    missing = client.post(f"/api/projects/{project.id}/members/", {"username": "ghost", "role": "annotator"},
                          format="json")
    stranger = client.post(f"/api/projects/{project.id}/members/", {"username": "stranger", "role": "annotator"},
                           format="json")
    assert missing.status_code == stranger.status_code == 400
    assert missing.content.decode() == stranger.content.decode().replace("stranger", "ghost")
    assert missing.json()["field"] == "username" and "invit" in missing.json()["detail"]
    assert not get_user_model().objects.filter(username="ghost").exists()
    assert not Membership.objects.filter(project=project, user__username="stranger").exists()


def test_a_lead_may_add_someone_from_another_project_they_lead(demo):
    project, lead, _ = demo
    second = ProjectFactory()
    MembershipFactory(project=second, role=Role.LEAD, user=lead)
    bob = MembershipFactory(project=second, role=Role.ANNOTATOR, user=UserFactory(username="bob")).user
    response = signed_in(lead).post(f"/api/projects/{project.id}/members/", {"username": "bob", "role": "annotator"},
                                    format="json")
    assert response.status_code == 201 and response.json()["outcome"] == "added"
    assert Membership.objects.filter(project=project, user=bob, role=Role.ANNOTATOR).exists()


def test_re_adding_a_member_says_already_a_member_or_role_updated(demo):
    """Issue 13: re-adding an existing member said "Added" again."""
    project, lead, annotator = demo
    client = signed_in(lead)
    url = f"/api/projects/{project.id}/members/"
    same = client.post(url, {"username": "ana", "role": "annotator"}, format="json")
    assert same.status_code == 200 and same.json()["outcome"] == "unchanged"
    changed = client.post(url, {"username": "ana", "role": "viewer"}, format="json")
    assert changed.status_code == 200 and changed.json()["outcome"] == "role_changed"
    assert changed.json()["role"] == "viewer"


@pytest.mark.parametrize(("setting", "who", "status"), [
    ("staff_and_leads", "annotator", 403),
    ("staff_and_leads", "lead", 201),
    ("staff_and_leads", "staff", 201),
    ("staff", "lead", 403),
    ("staff", "staff", 201),
    ("anyone", "annotator", 201),
])
def test_who_may_create_projects_is_a_setting(demo, settings, setting, who, status):
    settings.PROJECT_CREATORS = setting
    project, lead, annotator = demo
    user = {"annotator": annotator, "lead": lead, "staff": UserFactory(username="admin1", is_staff=True)}[who]
    response = signed_in(user).post("/api/projects/", {"slug": f"p-{who}", "label_schema": SCHEMA}, format="json")
    assert response.status_code == status, response.content


def test_project_creators_default_is_staff_and_leads():
    from django.conf import settings

    assert settings.PROJECT_CREATORS == "staff_and_leads"


def test_staff_may_add_any_existing_account_by_name_but_still_set_no_password(demo):
    project, _, _ = demo
    admin = UserFactory(username="admin1", is_staff=True)
    Membership.objects.create(project=project, user=admin, role=Role.LEAD)
    UserFactory(username="stranger")
    client = signed_in(admin)
    url = f"/api/projects/{project.id}/members/"
    assert client.post(url, {"username": "stranger", "role": "viewer"}, format="json").status_code == 201
    refused = client.post(url, {"username": "stranger", "role": "viewer", "password": CHOSEN}, format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "password"
