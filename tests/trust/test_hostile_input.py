"""Hostile and malformed input: bounded bodies, uploads and nesting with clear errors, and
every kind of wrong value in an annotation refused with a 400 that names the field, with
nothing saved (a hypothesis search over ``PUT /api/sentences/{id}/annotation/``)."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, AnnotationRevision
from api.parsers import MAX_JSON_DEPTH, json_depth
from tests.trust.conftest import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _client(world: World, role: str) -> APIClient:
    client = APIClient()
    client.force_login(world.users[role])
    return client


# -- bodies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/sentences/{s}/annotation/", "/api/projects/", "/api/label-schema/validate/"])
def test_json_nested_too_deep_is_a_400_not_a_crash(in_savepoint: World, path: str) -> None:
    world = in_savepoint
    url = path.format(s=world.s2.pk)
    method = "put" if "annotation" in url else "post"
    for depth in (MAX_JSON_DEPTH + 1, 100_000):
        body = "[" * depth + "]" * depth
        response = getattr(_client(world, "annotator"), method)(url, body, content_type="application/json")
        assert response.status_code == 400, (url, depth, response.status_code)
        assert f"nested deeper than {MAX_JSON_DEPTH}" in response.json()["detail"]


def test_a_body_over_the_limit_is_a_413_in_json(in_savepoint: World, settings: Any) -> None:
    world = in_savepoint
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = '{"note": "' + "x" * 20_000 + '"}'
    response = _client(world, "annotator").put(f"/api/sentences/{world.s2.pk}/annotation/", body,
                                               content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "the request body is larger than the limit of 10000 bytes",
                               "field": "body", "errors": []}


@pytest.mark.parametrize("body", [b"\xff\xfe{", b'{"entities": NaN}', b'{"version": Infinity}', b"{"])
def test_a_body_that_is_not_json_is_a_400(in_savepoint: World, body: bytes) -> None:
    world = in_savepoint
    response = _client(world, "annotator").put(f"/api/sentences/{world.s2.pk}/annotation/", body,
                                               content_type="application/json")
    assert response.status_code == 400, response.status_code
    assert set(response.json()) == {"detail", "field", "errors"}


def test_json_depth_counts_without_recursion() -> None:
    assert json_depth(1) == 0 and json_depth([]) == 1 and json_depth({"a": [{"b": 1}]}) == 3
    deep: Any = []
    for _ in range(50_000):
        deep = [deep]
    assert json_depth(deep) == 50_001


# -- uploads --------------------------------------------------------------------------------


def _upload(world: World, name: str, data: bytes) -> Any:
    upload = io.BytesIO(data)
    upload.name = name
    return _client(world, "lead").post(f"/api/projects/{world.project.pk}/imports/", {"files": [upload]},
                                       format="multipart")


def test_an_upload_over_the_size_limit_is_refused_naming_the_file(in_savepoint: World, settings: Any) -> None:
    settings.IMPORT_MAX_FILE_BYTES = 1000
    response = _upload(in_savepoint, "big.txt", b"Title\n\n" + b"Putin met Kim. " * 200)
    assert response.status_code == 400 and response.json()["field"] == "file"
    assert "big.txt" in response.json()["detail"]


def test_an_article_over_the_length_limit_is_refused_with_its_line(in_savepoint: World, settings: Any) -> None:
    settings.IMPORT_MAX_ARTICLE_CHARS = 100
    response = _upload(in_savepoint, "news.jsonl", b'{"title": "ok", "text": "short"}\n{"title": "t", "text": "'
                       + b"x " * 100 + b'"}\n')
    assert response.status_code == 400
    assert response.json()["detail"].startswith("news.jsonl, line 2:")


def test_an_upload_nested_too_deep_is_refused_with_its_line(in_savepoint: World) -> None:
    record = b'{"title": "t", "text": "Putin met Kim.", "meta": ' + b'{"a": ' * 50 + b"1" + b"}" * 50 + b"}\n"
    response = _upload(in_savepoint, "deep.jsonl", record)
    assert response.status_code == 400
    assert response.json()["detail"] == "deep.jsonl, line 1: JSON nested deeper than 20 levels"


def test_too_many_files_in_one_upload_is_refused(in_savepoint: World, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    world = in_savepoint
    files = []
    for i in range(5):
        upload = io.BytesIO(b"T\n\nPutin met Kim.\n")
        upload.name = f"a{i}.txt"
        files.append(upload)
    response = _client(world, "lead").post(f"/api/projects/{world.project.pk}/imports/", {"files": files},
                                           format="multipart")
    assert response.status_code in (400, 413), response.status_code


# -- every kind of wrong value in an annotation ------------------------------------------------

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(2**70), max_value=-1),
    st.integers(min_value=2**31 + 1, max_value=2**70),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
NOT_AN_OFFSET = st.one_of(JUNK.filter(lambda v: not (isinstance(v, int) and not isinstance(v, bool)) or v < 0
                                      or v > 10_000),
                          st.integers(min_value=100, max_value=10_000))  # past the end of the sentence
NOT_A_NAME = st.one_of(JUNK, st.text(max_size=30)).filter(lambda v: v not in ("PER", "GPE", "ORG", "neutral", "favor",
                                                                              "against", "none", "the pact",
                                                                              "Contact:Meet", "Entity", "Place",
                                                                              "Time"))

# (path into the base annotation, strategy of wrong values, top-level field the error must name)
MUTATIONS = [
    (("entities", 0, "start"), NOT_AN_OFFSET, "entities[0]"),
    (("entities", 0, "end"), NOT_AN_OFFSET, "entities[0]"),
    (("entities", 0, "end"), st.integers(min_value=-5, max_value=0), "entities[0]"),  # reversed / empty span
    (("entities", 0, "label"), NOT_A_NAME, "entities[0]"),
    (("entities", 0), JUNK, "entities[0]"),
    (("entities",), JUNK.filter(lambda v: not isinstance(v, list) and v is not None), "entities"),
    (("stance", 0, "target"), NOT_A_NAME, "stance[0]"),
    (("stance", 0, "label"), NOT_A_NAME, "stance[0]"),
    (("events", 0, "type"), NOT_A_NAME, "events[0]"),
    (("events", 0, "trigger", "start"), NOT_AN_OFFSET, "events[0]"),
    (("events", 0, "arguments", 0, "role"), NOT_A_NAME, "events[0]"),
    (("events", 0, "arguments", 0, "end"), NOT_AN_OFFSET, "events[0]"),
    (("status",), NOT_A_NAME, "status"),
    (("version",), JUNK.filter(lambda v: v is not None), "version"),
    (("unsure",), JUNK.filter(lambda v: not isinstance(v, bool)), "unsure"),
    (("seconds",), st.one_of(st.integers(max_value=-1), st.integers(min_value=10**6), st.text(), st.booleans()),
     "seconds"),
    (("note",), st.one_of(st.integers(), st.lists(st.text(), max_size=2), st.text(min_size=2001, max_size=2100)),
     "note"),
    (("junk_key",), JUNK, "junk_key"),
]


def _base(version: int) -> dict[str, Any]:
    # s2 is "The U.S. said troops moved."; every span below is valid there
    return {
        "entities": [{"start": 4, "end": 8, "label": "GPE"}],
        "stance": [{"target": "the pact", "label": "neutral"}],
        "events": [{"type": "Contact:Meet", "trigger": {"start": 9, "end": 13},
                    "arguments": [{"role": "Entity", "start": 14, "end": 20}]}],
        "status": "draft", "version": version, "unsure": False, "seconds": 3, "note": "",
    }


def _set(body: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


def test_the_base_annotation_is_valid(in_savepoint: World) -> None:
    world = in_savepoint
    assert world.s2.text.startswith("The U.S. said troops moved")
    response = _client(world, "annotator").put(f"/api/sentences/{world.s2.pk}/annotation/", _base(1), format="json")
    assert response.status_code == 200, response.json()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_wrong_value_is_a_400_naming_the_field_and_nothing_is_saved(in_savepoint: World, data: Any) -> None:
    world = in_savepoint
    path, strategy, field = data.draw(st.sampled_from(MUTATIONS))
    before = Annotation.objects.get(sentence=world.s2, annotator=world.users["annotator"])
    revisions = AnnotationRevision.objects.count()
    body = _set(_base(before.version), path, data.draw(strategy))
    response = _client(world, "annotator").put(f"/api/sentences/{world.s2.pk}/annotation/", body, format="json")
    assert response.status_code == 400, (body, response.status_code, response.content[:300])
    fields = [e["field"] for e in response.json()["errors"]] + [response.json()["field"]]
    assert any(f and f.startswith(field) for f in fields), (body, response.json())
    after = Annotation.objects.get(pk=before.pk)
    assert (after.version, after.labels, after.status, after.note) == (before.version, before.labels, before.status,
                                                                        before.note)
    assert AnnotationRevision.objects.count() == revisions


@pytest.mark.parametrize("body", [[], "text", 7, [{"entities": []}]])
def test_a_body_that_is_not_an_object_is_a_400(in_savepoint: World, body: Any) -> None:
    world = in_savepoint
    response = _client(world, "annotator").put(f"/api/sentences/{world.s2.pk}/annotation/", body, format="json")
    assert response.status_code == 400


def test_an_upload_over_the_line_limit_is_refused_naming_the_file(in_savepoint: World,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.documents import parsing

    monkeypatch.setattr(parsing, "MAX_LINES", 100)
    lines = b"".join(b'{"title": "t%d", "text": "Putin met Kim number %d."}\n' % (i, i) for i in range(101))
    response = _upload(in_savepoint, "many.jsonl", lines)
    assert response.status_code == 400
    assert response.json()["detail"] == "many.jsonl: file has 101 lines; the limit is 100"
