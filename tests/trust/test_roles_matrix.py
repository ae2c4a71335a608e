"""Every API endpoint and every project page against every role, from one table.

The table must name every route: ``test_every_api_route_is_in_the_table`` and
``test_every_project_page_is_in_the_table`` walk the URL resolver and fail on a route the
table does not list, so a new endpoint cannot land without its row. Objects outside the
caller's projects answer 404, never 403; annotators never receive another annotator's
labels or notes, or gold, in any JSON response or page (``walk_for_leaks``).

Roles: lead, annotator (ann1), other (ann2, another annotator of the same project), viewer
(the ML team), outsider (lead of another project), anonymous.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.factories import SCHEMA
from tests.trust.conftest import A1_ENTITY, PASSWORD, ROLES, World, walk_for_leaks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

L, A, O2, V, X, N = ROLES
ANON = 403  # DRF answers an unauthenticated session caller 403 (no WWW-Authenticate scheme first)


def everyone(status: int, anonymous: int = ANON) -> dict[str, int]:
    return {L: status, A: status, O2: status, V: status, X: status, N: anonymous}


def project_route(lead: int, annotator: int, viewer: int) -> dict[str, int]:
    """A route under projects/{id}/: members by role, the outsider 404, anonymous refused."""
    return {L: lead, A: annotator, O2: annotator, V: viewer, X: 404, N: ANON}


def only(role_status: dict[str, int], default: int = 404) -> dict[str, int]:
    return {**{r: default for r in ROLES}, N: ANON, **role_status}


def _file() -> dict[str, Any]:
    upload = io.BytesIO(b"A title\n\nPutin met Kim. Seoul protested.\n")
    upload.name = "new.txt"
    return {"files": [upload]}


def _invitation(world: World) -> int:
    from annotator.accounts.invitations import invitation_create

    return invitation_create(project=world.project, role="annotator", created_by=world.users[L])[0].pk


Body = Callable[[World, str], Any]
# (url name, method) -> (kwargs for reverse, body, expected status per role)
TABLE: dict[tuple[str, str], tuple[Callable[[World], dict], Body | None, dict[str, int]]] = {
    ("token", "post"): (lambda w: {}, lambda w, r: {"username": w.users[r].username if r in w.users else "nobody",
                                                    "password": PASSWORD}, everyone(200, anonymous=400)),
    ("token-revoke", "delete"): (lambda w: {}, None, everyone(204)),
    ("me", "get"): (lambda w: {}, None, everyone(200)),
    ("tokens", "get"): (lambda w: {}, None, everyone(200)),
    ("tokens", "post"): (lambda w: {}, lambda w, r: {"name": "ml", "scope": "exports:read"}, everyone(201)),
    ("token-detail", "delete"): (lambda w: {"token_id": w.token.pk}, None, only({L: 204})),
    ("projects", "get"): (lambda w: {}, None, everyone(200)),
    # PROJECT_CREATORS defaults to staff_and_leads: leads (of any project) may, others 403
    ("projects", "post"): (lambda w: {}, lambda w, r: {"slug": f"new-{r}", "label_schema": SCHEMA},
                           {**everyone(403), L: 201, X: 201}),
    ("project", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(200, 200, 200)),
    ("project", "patch"): (lambda w: {"pk": w.project.pk}, lambda w, r: {"name": "Renamed"},
                           project_route(200, 403, 403)),
    ("project-imports", "post"): (lambda w: {"pk": w.project.pk}, lambda w, r: _file(), project_route(202, 403, 403)),
    ("next", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(403, 200, 403)),
    ("queue", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(403, 200, 403)),
    ("progress", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(403, 200, 403)),
    ("assignments", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(200, 403, 403)),
    ("assignments", "post"): (lambda w: {"pk": w.project.pk},
                              lambda w, r: {"sentence": w.s3.pk, "annotator": "ann2"}, project_route(201, 403, 403)),
    ("assignment", "delete"): (lambda w: {"pk": w.assignment_s3.pk}, None, only({L: 204})),
    ("sentence", "get"): (lambda w: {"pk": w.s2.pk}, None, only({A: 200})),
    ("annotation", "get"): (lambda w: {"pk": w.s2.pk}, None, only({A: 200})),
    ("annotation", "put"): (lambda w: {"pk": w.s2.pk},
                            lambda w, r: {"entities": [A1_ENTITY], "stance": [], "events": [], "status": "draft",
                                          "version": 1}, only({A: 200})),
    ("job", "get"): (lambda w: {"pk": w.job.pk}, None, only({L: 200})),
    ("agreement", "post"): (lambda w: {"pk": w.project.pk}, lambda w, r: {}, project_route(202, 403, 403)),
    ("agreement-latest", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(200, 403, 200)),
    ("agreement-reports", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(200, 403, 200)),
    ("gold-aggregate", "post"): (lambda w: {"pk": w.project.pk}, lambda w, r: {}, project_route(202, 403, 403)),
    ("adjudication-queue", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(200, 403, 403)),
    ("adjudication", "get"): (lambda w: {"pk": w.s1.pk}, None, only({L: 200})),
    ("gold", "put"): (lambda w: {"pk": w.s1.pk},
                      lambda w, r: {"labels": {"entities": [], "stance": [], "events": []}, "annotation_ids": [],
                                    "version": 1}, only({L: 200})),
    ("gold-reopen", "post"): (lambda w: {"pk": w.s1.pk}, None, only({L: 200})),
    ("project-exports", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(200, 403, 200)),
    ("project-exports", "post"): (lambda w: {"pk": w.project.pk}, lambda w, r: {"format": "conll"},
                                  project_route(202, 403, 202)),
    ("export-latest", "get"): (lambda w: {"pk": w.project.pk, "export_format": "jsonl"}, None,
                               project_route(200, 403, 200)),
    ("export-latest-download", "get"): (lambda w: {"pk": w.project.pk, "export_format": "jsonl"}, None,
                                        project_route(200, 403, 200)),
    ("export", "get"): (lambda w: {"export_id": w.export.pk}, None, project_route(200, 403, 200)),
    ("export-download", "get"): (lambda w: {"export_id": w.export.pk}, None, project_route(200, 403, 200)),
    ("members", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(200, 403, 403)),
    ("members", "post"): (lambda w: {"pk": w.project.pk}, lambda w, r: {"username": "ann2", "role": "annotator"},
                          project_route(200, 403, 403)),
    ("invitations", "get"): (lambda w: {"pk": w.project.pk}, None, project_route(200, 403, 403)),
    ("invitations", "post"): (lambda w: {"pk": w.project.pk}, lambda w, r: {"role": "annotator"},
                              project_route(201, 403, 403)),
    ("invitation", "delete"): (lambda w: {"invitation_id": _invitation(w)}, None, only({L: 204})),
    ("member", "patch"): (lambda w: {"pk": w.project.pk, "username": "ann2"}, lambda w, r: {"role": "viewer"},
                          project_route(200, 403, 403)),
    ("member", "delete"): (lambda w: {"pk": w.project.pk, "username": "ann2"}, None, project_route(204, 403, 403)),
    ("project-schema-validate", "post"): (lambda w: {"pk": w.project.pk}, lambda w, r: SCHEMA,
                                          project_route(200, 403, 403)),
    ("project-schema-impact", "post"): (lambda w: {"pk": w.project.pk}, lambda w, r: {"label_schema": SCHEMA},
                                        project_route(200, 403, 403)),
    ("label-schema-validate", "post"): (lambda w: {}, lambda w, r: SCHEMA, everyone(200)),
    ("markdown-preview", "post"): (lambda w: {}, lambda w, r: {"text": "# Hi"}, everyone(200)),
    ("schema", "get"): (lambda w: {}, None, everyone(200, anonymous=200)),
    ("docs", "get"): (lambda w: {}, None, everyone(200, anonymous=200)),
}

# Pages under /p/<slug>/...: kwargs, expected status per role (anonymous: redirect to sign in).
PAGES: dict[str, tuple[Callable[[World], dict], dict[str, int]]] = {
    "project": (lambda w: {}, {L: 200, A: 200, O2: 200, V: 200, X: 404, N: 302}),
    "workspace": (lambda w: {}, {L: 200, A: 200, O2: 200, V: 404, X: 404, N: 302}),
    "agreement": (lambda w: {}, {L: 200, A: 403, O2: 403, V: 403, X: 404, N: 302}),
    "agreement-sentence": (lambda w: {"sentence_id": w.s1.pk}, {L: 200, A: 403, O2: 403, V: 403, X: 404, N: 302}),
    "exports": (lambda w: {}, {L: 200, A: 403, O2: 403, V: 200, X: 404, N: 302}),
    "adjudicate": (lambda w: {}, {L: 200, A: 403, O2: 403, V: 403, X: 404, N: 302}),  # like agreement (bug 11)
    "adjudicate-sentence": (lambda w: {"sentence_id": w.s1.pk}, {L: 200, A: 403, O2: 403, V: 403, X: 404, N: 302}),
    "manage-settings": (lambda w: {}, {L: 200, A: 403, O2: 403, V: 403, X: 404, N: 302}),
    "manage-import": (lambda w: {}, {L: 200, A: 403, O2: 403, V: 403, X: 404, N: 302}),
    "manage-members": (lambda w: {}, {L: 200, A: 403, O2: 403, V: 403, X: 404, N: 302}),
}


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> list[tuple[str, str, Any]]:
    """(namespace, full route, pattern) for every URL pattern."""
    out = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            out += _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            out.append((namespace, prefix + str(entry.pattern), entry))
    return out


def api_routes() -> set[tuple[str, str]]:
    routes = set()
    for namespace, _route, pattern in _walk(get_resolver().url_patterns):
        if namespace != "api":
            continue
        view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        for method in ("get", "post", "put", "patch", "delete"):
            if view is not None and hasattr(view, method):
                routes.add((pattern.name, method))
    return routes


def project_pages() -> set[str]:
    return {p.name for ns, route, p in _walk(get_resolver().url_patterns)
            if ns == "frontend" and route.startswith("p/<slug:slug>/")}


def test_every_api_route_is_in_the_table() -> None:
    missing = api_routes() - set(TABLE)
    assert not missing, f"add these (url name, method) rows to TABLE with each role's status: {sorted(missing)}"
    stale = set(TABLE) - api_routes()
    assert not stale, f"TABLE names routes that no longer exist: {sorted(stale)}"


def test_every_project_page_is_in_the_table() -> None:
    missing = project_pages() - set(PAGES)
    assert not missing, f"add these pages to PAGES with each role's status: {sorted(missing)}"
    assert not set(PAGES) - project_pages()


def client_for(world: World, role: str) -> APIClient:
    client = APIClient()
    if role != N:
        client.force_login(world.users[role])
    return client


CASES = [(name, method, role) for (name, method) in TABLE for role in ROLES]


@pytest.mark.parametrize(("name", "method", "role"), CASES, ids=[f"{m}-{n}-{r}" for n, m, r in CASES])
def test_api_route_answers_each_role_as_the_table_says(in_savepoint: World, name: str, method: str, role: str) -> None:
    world = in_savepoint
    make_kwargs, make_body, expected = TABLE[(name, method)]
    url = reverse(f"api:{name}", kwargs=make_kwargs(world))
    body = make_body(world, role) if make_body else None
    client = client_for(world, role)
    fmt = "multipart" if name == "project-imports" else "json"
    response = getattr(client, method)(url, body, format=fmt) if body is not None else getattr(client, method)(url)
    assert response.status_code == expected[role], (
        f"{method.upper()} {url} as {role}: {response.status_code}, expected {expected[role]}: "
        f"{getattr(response, 'data', None) if not response.streaming else '(file)'}"
    )
    if response.status_code == 403 and role == X:
        pytest.fail("an outsider must get 404, never 403, for another project's objects")
    if not response.streaming and response.get("Content-Type", "").startswith("application/json"):
        labels, strings = world.forbidden_for(role)
        leaks = walk_for_leaks(response.json(), labels, strings)
        assert not leaks, f"{method.upper()} {url} as {role} leaked: {leaks}"


PAGE_CASES = [(name, role) for name in PAGES for role in ROLES]


@pytest.mark.parametrize(("name", "role"), PAGE_CASES, ids=[f"{n}-{r}" for n, r in PAGE_CASES])
def test_project_page_answers_each_role_as_the_table_says(in_savepoint: World, name: str, role: str) -> None:
    world = in_savepoint
    make_kwargs, expected = PAGES[name]
    url = reverse(f"frontend:{name}", kwargs={"slug": world.project.slug, **make_kwargs(world)})
    response = client_for(world, role).get(url)
    assert response.status_code == expected[role], f"GET {url} as {role}: {response.status_code}"
    if response.status_code == 302:
        assert response["Location"].startswith("/login/")
    _labels, strings = world.forbidden_for(role)
    html = response.content.decode()
    assert not [s for s in strings if s in html], f"{url} as {role} shows another annotator's note"


@pytest.mark.parametrize("role", ["annotator", "other"])
def test_an_annotator_never_receives_another_annotators_labels_or_gold(in_savepoint: World, role: str) -> None:
    """On the sentence both annotated (and gold exists for): own sentence, own annotation,
    next item and queue carry only the caller's own labels."""
    world = in_savepoint
    client = client_for(world, role)
    labels, strings = world.forbidden_for(role)
    for url in (f"/api/sentences/{world.s1.pk}/", f"/api/sentences/{world.s1.pk}/annotation/",
                f"/api/projects/{world.project.pk}/next/", f"/api/projects/{world.project.pk}/queue/",
                f"/api/projects/{world.project.pk}/"):
        response = client.get(url)
        assert response.status_code in (200, 204), (url, response.status_code)
        if response.status_code == 200:
            assert not walk_for_leaks(response.json(), labels, strings), url
    page = client.get(f"/p/{world.project.slug}/annotate/?sentence={world.s1.pk}").content.decode()
    assert not [s for s in strings if s in page]
