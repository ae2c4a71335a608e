"""Export endpoints: permission matrix, 202 + job, list query count, download rules."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.exports.models import Export, ExportState
from annotator.exports.services import export_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _start(project, user, django_capture_on_commit_callbacks, fmt="jsonl"):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(user).post(f"/api/projects/{project.pk}/exports/", {"format": fmt}, format="json")
    return response


@pytest.mark.parametrize(
    ("who", "status"), [("lead", 202), ("viewer", 202), ("annotator", 403), ("outsider", 404), (None, 401)]
)
def test_starting_an_export_by_role(demo_gold, media_root, django_capture_on_commit_callbacks, who, status):
    project, users = demo_gold
    response = _start(project, users.get(who), django_capture_on_commit_callbacks)
    assert response.status_code in ((401, 403) if who is None else (status,)), response.content
    if status == 202 and who:
        export = Export.objects.get(pk=response.json()["export"])
        assert response.json() == {"job": export.job_id, "export": export.pk, "reused": False}
        assert export.state == ExportState.QUEUED and export.version is None  # numbered when done


def test_bad_format_is_a_400_naming_the_field(demo_gold, django_capture_on_commit_callbacks):
    project, users = demo_gold
    response = _start(project, users["lead"], django_capture_on_commit_callbacks, fmt="xlsx")
    assert response.status_code == 400 and response.json()["field"] == "format"


@pytest.mark.parametrize(
    ("who", "status"), [("lead", 200), ("viewer", 200), ("annotator", 403), ("outsider", 404), (None, 401)]
)
def test_export_detail_and_download_by_role(demo_gold, media_root, django_capture_on_commit_callbacks, who, status):
    project, users = demo_gold
    export_id = _start(project, users["lead"], django_capture_on_commit_callbacks).json()["export"]
    export_run(export_id=export_id)
    client = client_for(users.get(who))
    for url in (f"/api/exports/{export_id}/", f"/api/exports/{export_id}/download/",
                f"/api/projects/{project.pk}/exports/latest/jsonl/download/", f"/api/projects/{project.pk}/exports/"):
        response = client.get(url)
        assert response.status_code in ((401, 403) if who is None else (status,)), (url, response.status_code)


def test_download_with_a_token_gives_the_file_its_type_and_name(demo_gold, media_root, django_capture_on_commit_callbacks):
    project, users = demo_gold
    export_id = _start(project, users["viewer"], django_capture_on_commit_callbacks).json()["export"]
    export = export_run(export_id=export_id)
    token = Token.objects.create(user=users["viewer"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for url in (f"/api/exports/{export_id}/download/", f"/api/projects/{project.pk}/exports/latest/jsonl/download/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/x-ndjson"
        assert response["Content-Disposition"] == 'attachment; filename="demo-jsonl-v1.jsonl"'
        body = b"".join(response.streaming_content)
        assert len(body.splitlines()) == 12 and response["X-Checksum-SHA256"] == export.sha256


def test_download_is_refused_while_the_export_is_not_done(demo_gold, media_root, django_capture_on_commit_callbacks):
    project, users = demo_gold
    export_id = _start(project, users["lead"], django_capture_on_commit_callbacks).json()["export"]
    client = client_for(users["lead"])
    response = client.get(f"/api/exports/{export_id}/download/")
    assert response.status_code == 409 and "queued" in response.json()["detail"]
    Export.objects.filter(pk=export_id).update(state=ExportState.RUNNING)
    assert client.get(f"/api/exports/{export_id}/download/").status_code == 409
    latest = client.get(f"/api/projects/{project.pk}/exports/latest/jsonl/download/")
    assert latest.status_code == 404 and "no finished" in latest.json()["detail"]
    assert client.get(f"/api/exports/{export_id}/").json()["download"] is None


def test_export_list_is_paginated_with_a_fixed_number_of_queries(
    demo_gold, media_root, django_capture_on_commit_callbacks, django_assert_max_num_queries, settings
):
    project, users = demo_gold
    settings.EXPORT_MAX_ACTIVE_JOBS = 10
    for fmt in ("jsonl", "conll", "stance-csv", "bundle", "hf"):
        _start(project, users["lead"], django_capture_on_commit_callbacks, fmt=fmt)
    client = client_for(users["lead"])
    with django_assert_max_num_queries(6):  # role, project (x2: permission, view), count, page
        response = client.get(f"/api/projects/{project.pk}/exports/?page_size=3")
    page = response.json()
    assert page["count"] == 5 and len(page["results"]) == 3 and page["next"]
    assert [r["format"] for r in page["results"]] == ["hf", "bundle", "stance-csv"]
    assert page["results"][2]["version"] is None and page["results"][0]["created_by"] == users["lead"].username


def _post(project, user, body, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        return client_for(user).post(f"/api/projects/{project.pk}/exports/", body, format="json")


def test_a_viewers_raw_export_names_no_annotator(demo_gold, media_root, django_capture_on_commit_callbacks):
    import json

    project, users = demo_gold
    response = _post(project, users["viewer"], {"format": "jsonl", "raw": True}, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    export_run(export_id=response.json()["export"])
    body = client_for(users["viewer"]).get(f"/api/exports/{response.json()['export']}/download/")
    text = b"".join(body.streaming_content).decode()
    annotators = {r["annotator"] for line in text.splitlines() for r in json.loads(line)["raw"]}
    assert len(annotators) == 3 and all(a.startswith("ann-") for a in annotators)
    assert not {"ana", "ben", "chloe"} & annotators
    refused = _post(project, users["viewer"], {"format": "jsonl", "raw": True, "annotator_names": True},
                    django_capture_on_commit_callbacks)
    assert refused.status_code == 403 and refused.json()["field"] == "annotator_names"


def test_an_export_that_names_annotators_is_for_leads_only(demo_gold, media_root, django_capture_on_commit_callbacks):
    project, users = demo_gold
    plain = _post(project, users["lead"], {"format": "jsonl", "raw": True}, django_capture_on_commit_callbacks)
    named = _post(project, users["lead"], {"format": "jsonl", "raw": True, "annotator_names": True},
                  django_capture_on_commit_callbacks)
    for response in (plain, named):
        export_run(export_id=response.json()["export"])
    named_id, plain_id = named.json()["export"], plain.json()["export"]
    viewer, lead = client_for(users["viewer"]), client_for(users["lead"])
    assert viewer.get(f"/api/exports/{named_id}/download/").status_code == 404
    assert viewer.get(f"/api/exports/{named_id}/").status_code == 404
    assert [e["id"] for e in viewer.get(f"/api/projects/{project.pk}/exports/").json()["results"]] == [plain_id]
    latest = viewer.get(f"/api/projects/{project.pk}/exports/latest/jsonl/download/")
    assert latest.status_code == 200 and b"ann-" in b"".join(latest.streaming_content)
    assert lead.get(f"/api/exports/{named_id}/download/").status_code == 200
    assert lead.get(f"/api/projects/{project.pk}/exports/latest/jsonl/download/").status_code == 200


def test_export_filter_options_are_validated_and_recorded(demo_gold, media_root, django_capture_on_commit_callbacks):
    project, users = demo_gold
    bad = _post(project, users["viewer"], {"format": "jsonl", "status": "gold,nope"}, django_capture_on_commit_callbacks)
    assert bad.status_code == 400 and bad.json()["field"] == "status"
    bad = _post(project, users["viewer"], {"format": "jsonl", "min_confidence": 2}, django_capture_on_commit_callbacks)
    assert bad.status_code == 400 and bad.json()["field"] == "min_confidence"
    ok = _post(project, users["viewer"], {"format": "jsonl", "status": "all", "min_confidence": 0.5},
               django_capture_on_commit_callbacks)
    assert ok.status_code == 202
    export = export_run(export_id=ok.json()["export"])
    assert export.params["status"] == ["gold", "adjudicated", "disputed", "unannotated"]
    assert export.params["min_confidence"] == 0.5
    coverage = export.stats["coverage"]
    assert sum(row["total"] for row in coverage.values()) == project.sentences.count()
