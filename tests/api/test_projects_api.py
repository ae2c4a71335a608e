import pytest
from rest_framework.test import APIClient

from annotator.projects.models import Role
from tests.factories import SCHEMA, MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_token_is_issued_for_valid_credentials_and_works():
    user = UserFactory(username="ml")
    project = ProjectFactory()
    MembershipFactory(project=project, user=user, role=Role.VIEWER)
    response = APIClient().post("/api/auth/token/", {"username": "ml", "password": "pw-accord-test"}, format="json")
    assert response.status_code == 200
    client = APIClient(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    listing = client.get("/api/projects/").json()
    assert listing["count"] == 1 and listing["results"][0]["slug"] == project.slug
    assert set(listing["results"][0]) >= {"id", "slug", "name", "label_schema", "role"}


def test_wrong_password_gets_a_400_naming_the_field():
    UserFactory(username="ml")
    response = APIClient().post("/api/auth/token/", {"username": "ml", "password": "nope"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "password"


def test_anonymous_callers_are_refused():
    assert APIClient().get("/api/projects/").status_code in (401, 403)


def test_project_list_only_shows_the_callers_projects():
    user = UserFactory()
    mine = MembershipFactory(user=user).project
    ProjectFactory()  # someone else's
    results = client_for(user).get("/api/projects/").json()["results"]
    assert [p["id"] for p in results] == [mine.id]


@pytest.mark.parametrize("role", [None, "annotator", "viewer", "lead"])
def test_project_detail_is_404_for_non_members_and_patch_is_lead_only(role):
    user = UserFactory()
    project = ProjectFactory()
    if role:
        MembershipFactory(project=project, user=user, role=role)
    client = client_for(user)
    get = client.get(f"/api/projects/{project.id}/")
    patch = client.patch(f"/api/projects/{project.id}/", {"overlap": 3}, format="json")
    if role is None:
        assert (get.status_code, patch.status_code) == (404, 404)
    elif role == "lead":
        assert (get.status_code, patch.status_code) == (200, 200)
        assert patch.json()["overlap"] == 3
    else:
        assert (get.status_code, patch.status_code) == (200, 403)


def test_creating_a_project_validates_the_schema_and_names_the_field():
    user = UserFactory(is_staff=True)  # PROJECT_CREATORS: staff and leads by default
    bad = {**SCHEMA, "entity_types": [{"name": "PER", "hotkey": "s"}]}
    response = client_for(user).post("/api/projects/", {"slug": "x", "label_schema": bad}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "label_schema.entity_types[0].hotkey"
    ok = client_for(user).post("/api/projects/", {"slug": "x", "label_schema": SCHEMA}, format="json")
    assert ok.status_code == 201 and ok.json()["role"] == "lead"


def test_schema_and_docs_are_served():
    user = UserFactory()
    schema = client_for(user).get("/api/schema/")
    assert schema.status_code == 200
    for path in ("/api/projects/{id}/next/", "/api/sentences/{id}/annotation/", "/api/jobs/{id}/"):
        assert path in schema.content.decode()
    assert client_for(user).get("/api/docs/").status_code == 200


def test_job_detail_is_visible_to_its_creator_and_leads_only():
    from annotator.jobs.models import Job

    lead, other = UserFactory(), UserFactory()
    project = ProjectFactory()
    MembershipFactory(project=project, user=lead, role=Role.LEAD)
    MembershipFactory(project=project, user=other, role=Role.ANNOTATOR)
    job = Job.objects.create(kind="import_articles", project=project)
    body = client_for(lead).get(f"/api/jobs/{job.id}/").json()
    assert {k: body[k] for k in ("id", "kind", "state", "progress")} == {"id": job.id, "kind": "import_articles", "state": "queued", "progress": 0}
    assert "no worker is running" in body["message"]
    assert client_for(other).get(f"/api/jobs/{job.id}/").status_code == 404


@pytest.mark.parametrize(
    ("value", "status", "stored"),
    [("cc-by-4.0", 200, "cc-by-4.0"), (" mit ", 200, "mit"), ("", 200, ""), ("CC BY 4.0", 400, None), ("a" * 65, 400, None)],
)
def test_a_lead_sets_the_gold_license_and_a_bad_one_gets_a_400_naming_it(value, status, stored):
    project = ProjectFactory()
    lead = UserFactory()
    MembershipFactory(project=project, user=lead, role="lead")
    client = APIClient()
    client.force_authenticate(lead)
    response = client.patch(f"/api/projects/{project.id}/", {"license": value}, format="json")
    assert response.status_code == status, response.content
    project.refresh_from_db()
    if status == 200:
        assert response.json()["license"] == stored == project.license
    else:
        assert response.json()["field"] == "license" and project.license == ""
