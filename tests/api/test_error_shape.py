"""Every error under /api/ is JSON in the one error shape ``{"detail", "field", "errors"}``
(issue 9, item 20): Django-level 404s, unhandled exceptions (500), too many files or
fields in an upload (400 naming the field). Pages keep Django's own error pages."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from rest_framework.test import APIClient

from annotator.projects.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

SHAPE = {"detail", "field", "errors"}


def _json(response) -> dict:  # type: ignore[no-untyped-def]
    assert response["Content-Type"].startswith("application/json"), (response.status_code, response["Content-Type"])
    body = response.json()
    assert set(body) == SHAPE, body
    return body


@pytest.mark.parametrize("path", ["/api/nope/", "/api/sentences/-1/", "/api/projects/abc/", "/api/sentences/1/x/"])
def test_an_unknown_api_url_is_a_json_404(path: str) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory())
    response = client.get(path)
    assert response.status_code == 404
    _json(response)


def test_an_unhandled_exception_under_api_is_a_json_500(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.views import projects

    def boom(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    monkeypatch.setattr(projects, "projects_for_user", boom)
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    response = client.get("/api/projects/")
    assert response.status_code == 500
    body = _json(response)
    assert "secret internals" not in response.content.decode()
    assert body["field"] is None


def test_a_page_keeps_django_s_error_page() -> None:
    client = Client()
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def _lead_client():  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    lead = UserFactory()
    MembershipFactory(project=project, user=lead, role=Role.LEAD)
    client = APIClient()
    client.force_authenticate(lead)
    return project, client


def test_an_upload_of_too_many_files_is_a_json_400_naming_the_field(settings) -> None:  # type: ignore[no-untyped-def]
    project, client = _lead_client()
    files = []
    for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 20):
        upload = io.BytesIO(b"T\n\nPutin met Kim.\n")
        upload.name = f"a{i}.txt"
        files.append(upload)
    response = client.post(f"/api/projects/{project.id}/imports/", {"files": files}, format="multipart")
    assert response.status_code == 400
    body = _json(response)
    assert body["field"] == "files"
    assert str(settings.DATA_UPLOAD_MAX_NUMBER_FILES) in body["detail"]


def test_a_form_with_too_many_fields_is_a_json_400(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    project, client = _lead_client()
    response = client.post(f"/api/projects/{project.id}/imports/", {f"f{i}": "x" for i in range(20)},
                           format="multipart")
    assert response.status_code == 400
    assert _json(response)["field"] == "body"
