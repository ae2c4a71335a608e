"""Scoped API tokens: created, listed without keys, used, revoked; ``exports:read`` keys can
list and download exports and nothing else; legacy ``POST /api/auth/token/`` still works;
the browser's session needs CSRF."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from annotator.accounts.models import ApiToken
from api.authentication import EXPORTS_READ_ROUTES, scope_allows
from tests.trust.conftest import PASSWORD, World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _session(world: World, role: str = "lead") -> APIClient:
    client = APIClient()
    client.force_login(world.users[role])
    return client


def _token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _create(world: World, scope: str, role: str = "lead") -> dict:
    response = _session(world, role).post("/api/tokens/", {"name": "ml pipeline", "scope": scope}, format="json")
    assert response.status_code == 201, response.data
    return response.json()


def test_a_token_is_shown_once_and_stored_hashed(in_savepoint: World) -> None:
    created = _create(in_savepoint, "full")
    key = created["key"]
    row = ApiToken.objects.get(pk=created["id"])
    assert key not in (row.key_hash, row.prefix, row.name) and len(row.key_hash) == 64
    listed = _session(in_savepoint).get("/api/tokens/").json()["results"]
    assert created["id"] in [t["id"] for t in listed]
    assert all("key" not in t for t in listed), "keys are never listed"


def test_a_full_token_acts_as_its_user_until_revoked(in_savepoint: World) -> None:
    world = in_savepoint
    key = _create(world, "full")["key"]
    client = _token_client(key)
    assert client.get("/api/me/").json()["username"] == world.users["lead"].username
    assert client.patch(f"/api/projects/{world.project.pk}/", {"name": "By script"}, format="json").status_code == 200
    token_id = ApiToken.objects.get(user=world.users["lead"], name="ml pipeline").pk
    assert _session(world).delete(f"/api/tokens/{token_id}/").status_code == 204
    assert client.get("/api/me/").status_code in (401, 403)
    assert _session(world).delete(f"/api/tokens/{token_id}/").status_code == 204, "revoking twice is harmless"


def test_an_exports_read_token_downloads_exports(in_savepoint: World) -> None:
    world = in_savepoint
    client = _token_client(_create(world, "exports:read", role="viewer")["key"])
    assert client.get("/api/projects/").status_code == 200
    assert client.get(f"/api/projects/{world.project.pk}/exports/").status_code == 200
    assert client.get(f"/api/exports/{world.export.pk}/").status_code == 200
    download = client.get(f"/api/exports/{world.export.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content)
    assert client.get(f"/api/projects/{world.project.pk}/exports/latest/jsonl/download/").status_code == 200


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/api/projects/{p}/exports/"),
    ("get", "/api/projects/{p}/"),
    ("patch", "/api/projects/{p}/"),
    ("get", "/api/projects/{p}/agreement/latest/"),
    ("get", "/api/projects/{p}/adjudication/"),
    ("get", "/api/sentences/{s}/adjudication/"),
    ("get", "/api/projects/{p}/members/"),
    ("post", "/api/tokens/"),
    ("get", "/api/tokens/"),
    ("get", "/api/jobs/{j}/"),
])
def test_an_exports_read_token_is_refused_everywhere_else(in_savepoint: World, method: str, path: str) -> None:
    world = in_savepoint
    # a lead's limited key: the lead could do all of this, the key may not
    client = _token_client(_create(world, "exports:read")["key"])
    url = path.format(p=world.project.pk, s=world.s1.pk, j=world.job.pk)
    body = {"name": "x", "scope": "full", "format": "conll"}
    response = client.get(url) if method == "get" else getattr(client, method)(url, body, format="json")
    assert response.status_code == 403, (method, url, response.status_code)
    assert "scope" in response.json()["detail"]


def test_an_exports_read_token_can_revoke_itself_and_then_stops_working(in_savepoint: World) -> None:
    """Issue 9 item 20: an ML pipeline's limited key must be able to log itself out."""
    world = in_savepoint
    created = _create(world, "exports:read")
    client = _token_client(created["key"])
    assert client.delete("/api/auth/token/revoke/").status_code == 204
    assert client.get("/api/me/").status_code in (401, 403)
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is not None


def test_someone_elses_token_cannot_be_revoked(in_savepoint: World) -> None:
    world = in_savepoint
    assert _session(world, "annotator").delete(f"/api/tokens/{world.token.pk}/").status_code == 404
    world.token.refresh_from_db()
    assert world.token.revoked_at is None


def test_a_bad_scope_is_a_400_naming_the_field(in_savepoint: World) -> None:
    response = _session(in_savepoint).post("/api/tokens/", {"name": "x", "scope": "admin"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "scope"


def test_an_unknown_or_forged_key_is_refused(in_savepoint: World) -> None:
    for key in ("acc_" + "x" * 54, "acc_", "0" * 40, "acc_" + "\u00e9" * 300):
        assert _token_client(key).get("/api/me/").status_code in (401, 403), key


def test_the_legacy_token_endpoint_still_works_and_revokes(in_savepoint: World) -> None:
    world = in_savepoint
    anonymous = APIClient()
    key = anonymous.post("/api/auth/token/", {"username": "lead1", "password": PASSWORD}, format="json").json()["token"]
    client = _token_client(key)
    assert client.get("/api/me/").status_code == 200
    assert client.delete("/api/auth/token/revoke/").status_code == 204
    assert client.get("/api/me/").status_code in (401, 403)
    assert world.users["lead"].username == "lead1"


def test_the_browser_session_needs_a_csrf_token(in_savepoint: World) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(in_savepoint.users["lead"])
    response = client.patch(f"/api/projects/{in_savepoint.project.pk}/", {"name": "CSRF"}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_the_scope_table() -> None:
    assert scope_allows("full", url_name="gold", method="PUT")
    assert scope_allows("exports:read", url_name="export-download", method="GET")
    assert not scope_allows("exports:read", url_name="project-exports", method="POST")
    assert not scope_allows("exports:read", url_name=None, method="GET")
    assert not scope_allows("unknown", url_name="me", method="GET")
    assert "tokens" not in EXPORTS_READ_ROUTES
