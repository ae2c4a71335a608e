"""A sentence (or assignment) id the caller may not see answers exactly as an id that
does not exist: same status, same body (issue 9, item 20), so nobody learns which ids
exist in other projects, or in their own project outside their role."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.trust.conftest import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

UNKNOWN = 10**9
GOLD = {"labels": {"entities": [], "stance": [], "events": []}, "annotation_ids": [], "version": 1}
ANNOTATION = {"entities": [], "stance": [], "events": [], "status": "draft", "version": 0}
ROUTES = [
    ("get", "/api/sentences/{id}/", None),
    ("get", "/api/sentences/{id}/annotation/", None),
    ("put", "/api/sentences/{id}/annotation/", ANNOTATION),
    ("get", "/api/sentences/{id}/adjudication/", None),
    ("put", "/api/sentences/{id}/gold/", GOLD),
    ("post", "/api/sentences/{id}/gold/reopen/", None),
]


def _call(client: APIClient, method: str, path: str, body: Any) -> tuple[int, Any]:
    response = getattr(client, method)(path, body, format="json") if body is not None else getattr(client, method)(path)
    return response.status_code, response.json()


@pytest.mark.parametrize("role", ["outsider", "viewer", "other"])
@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{m}-{p}" for m, p, _ in ROUTES])
def test_a_forbidden_sentence_id_answers_exactly_like_an_unknown_one(in_savepoint: World, role: str, method: str,
                                                                      path: str, body: Any) -> None:
    world = in_savepoint
    client = APIClient()
    client.force_login(world.users[role])
    forbidden = world.s3.pk  # assigned to ann1 only; no gold; in a project the outsider is not in
    status, answer = _call(client, method, path.format(id=forbidden), body)
    assert (status, answer) == _call(client, method, path.format(id=UNKNOWN), body)
    assert status == 404 and set(answer) == {"detail", "field", "errors"}


def test_a_forbidden_assignment_id_answers_exactly_like_an_unknown_one(in_savepoint: World) -> None:
    world = in_savepoint
    client = APIClient()
    client.force_login(world.users["outsider"])
    forbidden = client.delete(f"/api/assignments/{world.assignment_s3.pk}/")
    unknown = client.delete(f"/api/assignments/{UNKNOWN}/")
    assert (forbidden.status_code, forbidden.json()) == (unknown.status_code, unknown.json())
