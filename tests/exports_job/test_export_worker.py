"""End to end through a real Celery worker on Redis: POST → job → file → download → consumers."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.exports.models import Export, ExportState
from annotator.jobs.models import Job
from tests.conftest import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _export_through_worker(project, user, fmt):  # type: ignore[no-untyped-def]
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    started = client.post(f"/api/projects/{project.pk}/exports/", {"format": fmt}, format="json")
    assert started.status_code == 202, started.content
    job_id, export_id = started.json()["job"], started.json()["export"]
    job = wait_for(lambda: (j := client.get(f"/api/jobs/{job_id}/").json())["state"] in ("done", "failed") and j,
                   120, what=f"{fmt} export job")
    assert job["state"] == "done", job
    assert job["result"]["export"] == export_id
    response = client.get(f"/api/exports/{export_id}/download/")
    assert response.status_code == 200
    return Export.objects.get(pk=export_id), b"".join(response.streaming_content)


def test_jsonl_export_runs_on_the_worker_and_downloads(media_root, celery_worker, demo_gold):
    project, users = demo_gold
    export, body = _export_through_worker(project, users["viewer"], "jsonl")
    assert export.state == ExportState.DONE and Job.objects.get(pk=export.job_id).progress == 100
    lines = [json.loads(line) for line in body.decode().splitlines()]
    assert len(lines) == 12 and [r["sentence"]["index"] for r in lines] == sorted(r["sentence"]["index"] for r in lines)


def test_bundle_export_runs_on_the_worker_and_loads_in_datasets_and_spacy(
    media_root, celery_worker, demo_gold, tmp_path, monkeypatch
):
    project, users = demo_gold
    export, body = _export_through_worker(project, users["lead"], "bundle")
    folder = tmp_path / "gold"
    zipfile.ZipFile(io.BytesIO(body)).extractall(folder)
    # every file checks out against SHA256SUMS
    from annotator.exports.formats.manifest import sha256_file

    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert sha256_file(folder / name) == digest, name

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets

    ner = datasets.load_dataset(str(folder), "ner", cache_dir=str(tmp_path / "cache"))
    split = next(iter(ner.values()))
    names = split.features["ner_tags"].feature.names
    assert names[0] == "O" and "B-GPE" in names and len(split) == 12
    stance = datasets.load_dataset(str(folder), "stance", cache_dir=str(tmp_path / "cache"))
    assert next(iter(stance.values())).features["label"].names == ["favor", "against", "neutral", "none"]

    import spacy
    from spacy.tokens import DocBin

    docs = []
    for path in sorted((folder / "spacy").rglob("*.spacy")):
        docs += list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    assert len(docs) == 12
    gold = [json.loads(line) for line in (folder / "jsonl" / "gold.jsonl").read_text().splitlines()]
    by_id = {r["sentence"]["id"]: r for r in gold}
    for doc in docs:
        record = by_id[doc.user_data["sentence_id"]]
        assert doc.text == record["sentence"]["text"]
        assert sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]) == sorted(
            (e["start"], e["end"], e["label"]) for e in record["gold"]["entities"])
    card = (folder / "README.md").read_text()
    assert "license: unknown" in card and "Agreement" in card and "tokenizer" in card.lower()
    splits = (folder / "splits.csv").read_text().splitlines()
    assert splits[0] == "document_id,title,split" and len(splits) == 2
