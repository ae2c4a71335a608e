"""NUL characters and lone surrogates in any text field are a 400 naming the field
(issue 9, item 8), never a 500 from the database: PostgreSQL stores neither in text or
jsonb, and a lone surrogate cannot even be encoded as UTF-8. Imports name file and line;
an import job that fails for good leaves no upload behind."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, AnnotationRevision
from annotator.documents.models import Document
from annotator.jobs.models import Job, JobState
from tests.factories import SCHEMA
from tests.trust.conftest import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# As JSON escapes: a body is bytes on the wire, and these are how they arrive.
NUL, SURROGATE = "\\u0000", "\\ud800"
BAD = [(NUL, "NUL"), (SURROGATE, "surrogate")]


def _client(world: World, role: str) -> APIClient:
    client = APIClient()
    client.force_login(world.users[role])
    return client


def _send(client: APIClient, method: str, url: str, raw_json: str) -> Any:
    return getattr(client, method)(url, raw_json.encode(), content_type="application/json")


@pytest.mark.parametrize(("escape", "what"), BAD)
@pytest.mark.parametrize("field", ["note", "skip_reason"])
def test_an_annotation_text_field_with_a_bad_character_is_a_400_naming_it(in_savepoint: World, escape: str,
                                                                         what: str, field: str) -> None:
    world = in_savepoint
    before = Annotation.objects.get(sentence=world.s2, annotator=world.users["annotator"])
    revisions = AnnotationRevision.objects.count()
    body = ('{"entities": [], "stance": [], "events": [], "status": "skipped", "version": ' + str(before.version)
            + ', "skip_reason": "garbled", "' + field + '": "a' + escape + 'b"}')
    response = _send(_client(world, "annotator"), "put", f"/api/sentences/{world.s2.pk}/annotation/", body)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["field"] == field and what in answer["detail"]
    assert Annotation.objects.get(pk=before.pk).version == before.version
    assert AnnotationRevision.objects.count() == revisions


@pytest.mark.parametrize(("escape", "what"), BAD)
def test_a_schema_description_with_a_bad_character_is_a_400_naming_it(in_savepoint: World, escape: str,
                                                                     what: str) -> None:
    world = in_savepoint
    types = [{**t, "description": "@BAD@"} if t["name"] == "GPE" else t for t in SCHEMA["entity_types"]]
    schema = json.dumps({**SCHEMA, "entity_types": types}).replace("@BAD@", f"a{escape}b")
    client = _client(world, "lead")
    created = _send(client, "post", "/api/projects/", '{"slug": "bad-text", "label_schema": ' + schema + "}")
    assert created.status_code == 400, created.content
    assert created.json()["field"] == "label_schema.entity_types[1].description"
    assert what in created.json()["detail"]
    patched = _send(client, "patch", f"/api/projects/{world.project.pk}/", '{"label_schema": ' + schema + "}")
    assert patched.status_code == 400 and patched.json()["field"] == "label_schema.entity_types[1].description"
    named = _send(client, "patch", f"/api/projects/{world.project.pk}/", '{"name": "x' + escape + '"}')
    assert named.status_code == 400 and named.json()["field"] == "name"


def test_a_bad_character_in_a_key_is_refused_too(in_savepoint: World) -> None:
    world = in_savepoint
    response = _send(_client(world, "lead"), "post", "/api/projects/", '{"slug": "k", "a\\u0000b": 1}')
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def _upload(world: World, name: str, data: bytes) -> Any:
    upload = io.BytesIO(data)
    upload.name = name
    return _client(world, "lead").post(f"/api/projects/{world.project.pk}/imports/", {"files": [upload]},
                                       format="multipart")


JSONL_CASES = [
    (b'{"title": "t", "text": "Putin met\\u0000 Kim."}', "text", "NUL"),
    (b'{"title": "t\\ud800", "text": "Putin met Kim."}', "title", "surrogate"),
    (b'{"title": "t", "text": "Putin met Kim.", "source": "\\udfff"}', "source", "surrogate"),
    (b'{"title": "t", "text": "Putin met Kim.", "meta": {"tags": ["ok", "x\\u0000"]}}', "meta.tags[1]", "NUL"),
    (b'{"title": "t", "text": "Putin met Kim.", "meta": {"k\\ud83d": 1}}', "meta", "surrogate"),
    (b'{"title": "t", "text": "Putin met Kim.", "url": "http://x/\\u0000"}', "url", "NUL"),
]


@pytest.mark.parametrize(("record", "field", "what"), JSONL_CASES, ids=[c[1] for c in JSONL_CASES])
def test_an_import_with_a_bad_character_is_a_400_naming_file_line_and_field(in_savepoint: World, record: bytes,
                                                                            field: str, what: str) -> None:
    documents = Document.objects.count()
    response = _upload(in_savepoint, "news.jsonl", b'{"title": "fine", "text": "Seoul protested."}\n' + record + b"\n")
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["field"] == "file"
    assert answer["detail"].startswith(f"news.jsonl, line 2: {field} "), answer["detail"]
    assert what in answer["detail"]
    assert Document.objects.count() == documents


def test_the_import_command_names_file_and_line_of_a_bad_character(in_savepoint: World, tmp_path: Any) -> None:
    path = tmp_path / "news.jsonl"
    path.write_bytes(b'{"title": "fine", "text": "Seoul protested."}\n{"title": "t", "text": "a\\ud800b"}\n')
    with pytest.raises(CommandError) as info:
        call_command("import_articles", in_savepoint.project.slug, str(path))
    assert str(info.value).startswith(f"{path}, line 2: text ")
    assert "surrogate" in str(info.value) and "nothing imported" in str(info.value)


def test_an_import_job_that_fails_for_good_deletes_its_upload(in_savepoint: World) -> None:
    """The upload is checked before the job starts; should a bad file still reach the
    worker (stored before this check existed), the job fails with the reason and the
    stored file goes."""
    from annotator.documents.tasks import import_articles_job

    stored = default_storage.save("imports/bad/news.jsonl", ContentFile(b'{"title": "t", "text": "a\\u0000b"}\n'))
    job = Job.objects.create(kind="import_articles", project=in_savepoint.project,
                             params={"files": [{"name": "news.jsonl", "path": stored}]})
    import_articles_job.apply(args=[job.id])
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error.startswith("news.jsonl, line 1: text ") and "NUL" in job.error
    assert not default_storage.exists(stored)


@pytest.mark.parametrize(("url", "field"), [
    ("/api/projects/{p}/assignments/?annotator=a%00b", "annotator"),
    ("/api/projects/{p}/assignments/?state=%00", "state"),
    ("/api/projects/{p}/members/a%00b/", "path"),
])
def test_a_nul_in_the_url_or_a_query_parameter_is_a_400_naming_it(in_savepoint: World, url: str, field: str) -> None:
    client = _client(in_savepoint, "lead")
    response = client.patch(url.format(p=in_savepoint.project.pk), {"role": "viewer"}, format="json")
    if field != "path":
        response = client.get(url.format(p=in_savepoint.project.pk))
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field and "NUL" in response.json()["detail"]
